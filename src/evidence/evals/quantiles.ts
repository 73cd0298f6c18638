/**
 * A streaming quantile estimator with bounded memory, for latency percentiles over files of any
 * size.
 *
 * One percentile definition on both sides of the cap: Hyndman & Fan type 7 (linear interpolation
 * between the order statistics at ranks ⌊h⌋ and ⌊h⌋ + 1, h = (n − 1)·q; numpy's default; see
 * {@link percentile}). Up to `exactCap` values it keeps them all and answers it exactly. Beyond
 * that it folds them into a logarithmic histogram (the DDSketch scheme): a positive value x goes
 * to bucket ⌈log_γ x⌉ with γ = (1 + α) / (1 − α), and a bucket answers with 2γⁱ / (γ + 1), which
 * is within a relative error α of every value in it. The sketch interpolates the same way between
 * its answers for the two ranks, so past the cap a reported quantile is within relative error α
 * of the exact type-7 value (a weighted mean of two values each within α of theirs, all ≥ 0).
 * Either way a percentile is a point estimate: the gates compare it without an interval and say
 * so (SPEC §4). Memory is then one counter per bucket between the smallest and
 * the largest value: about ln(max / min) / (2α), e.g. ~1,300 for latencies spanning 1 ms to
 * 10 min at α = 0.005, whatever the number of values; at most ~4,200 (values below 10⁻⁶ count
 * as 0, values above 10¹² are clamped). Values must be finite and ≥ 0.
 */
/**
 * The q-quantile (q in [0, 1]) of ascending `sortedValues`, by linear interpolation between the
 * closest ranks: h = (n − 1)·q, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (Hyndman & Fan type 7,
 * numpy's and R's default). The one percentile definition of Last Mile: `QuantileSketch` targets
 * it above its exact-storage cap too. A percentile is a point estimate: the gates compare it
 * without an interval and say so (SPEC §4). Undefined for an empty array.
 */
export function percentile(sortedValues: ArrayLike<number>, q: number): number | undefined {
  const n = sortedValues.length;
  if (n === 0) return undefined;
  const qq = Math.min(Math.max(q, 0), 1);
  const h = (n - 1) * qq;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sortedValues[lo] as number;
  const b = sortedValues[hi] as number;
  return a + (h - lo) * (b - a);
}

/**
 * Maps a value to its bucket for one relative accuracy. Shared by every sketch with that accuracy
 * and remembering the last value, so that one sample fed to the whole-file sketch and to each of
 * its slices' sketches costs one logarithm.
 */
class LogIndex {
  private static readonly byAccuracy = new Map<number, LogIndex>();
  private lastX = NaN;
  private lastI = 0;
  readonly gamma: number;
  private readonly invLogGamma: number;

  private constructor(relativeAccuracy: number) {
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.invLogGamma = 1 / Math.log(this.gamma);
  }

  static for(relativeAccuracy: number): LogIndex {
    let li = LogIndex.byAccuracy.get(relativeAccuracy);
    if (!li) LogIndex.byAccuracy.set(relativeAccuracy, (li = new LogIndex(relativeAccuracy)));
    return li;
  }

  index(x: number): number {
    if (x !== this.lastX) {
      this.lastX = x;
      this.lastI = Math.ceil(Math.log(x) * this.invLogGamma);
    }
    return this.lastI;
  }
}

/** Values below this (1 ns, in ms) count as zero; values above MAX_VALUE (~31.7 years in ms) are clamped. */
const MIN_POSITIVE = 1e-6;
const MAX_VALUE = 1e12;

export class QuantileSketch {
  private exact: number[] | undefined = [];
  /** Dense bucket counts: counts[j] is bucket offset + j. */
  private counts: number[] = [];
  private offset = 0;
  private zeros = 0;
  private total = 0;
  private readonly index: LogIndex;
  private readonly gamma: number;

  constructor(
    private readonly exactCap = 4096,
    readonly relativeAccuracy = 0.005,
  ) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) throw new RangeError(`relativeAccuracy must be in (0, 1), got ${relativeAccuracy}`);
    this.index = LogIndex.for(relativeAccuracy);
    this.gamma = this.index.gamma;
  }

  /** Number of values added. */
  get count(): number {
    return this.total;
  }

  /** True while every value is kept (answers are exact). */
  get isExact(): boolean {
    return this.exact !== undefined;
  }

  add(x: number): void {
    this.total++;
    if (this.exact) {
      this.exact.push(x);
      if (this.exact.length > this.exactCap) {
        const values = this.exact;
        this.exact = undefined;
        for (const v of values) this.bucket(v);
      }
      return;
    }
    this.bucket(x);
  }

  private bucket(x: number): void {
    if (x < MIN_POSITIVE) {
      this.zeros++;
      return;
    }
    const i = this.index.index(x < MAX_VALUE ? x : MAX_VALUE);
    const counts = this.counts;
    if (counts.length === 0) {
      this.offset = i;
      counts.push(1);
      return;
    }
    const j = i - this.offset;
    if (j >= 0 && j < counts.length) {
      counts[j] = (counts[j] as number) + 1;
    } else if (j >= counts.length) {
      while (counts.length < j) counts.push(0);
      counts.push(1);
    } else {
      this.counts = [1, ...new Array<number>(-j - 1).fill(0), ...counts];
      this.offset = i;
    }
  }

  /** Number of buckets held (memory is proportional to it). */
  get bucketCount(): number {
    return this.counts.length;
  }

  /** The q-quantile (q in [0, 1]); undefined when no value was added. */
  quantile(q: number): number | undefined {
    if (this.total === 0) return undefined;
    if (this.exact) {
      const sorted = Float64Array.from(this.exact).sort();
      return percentile(sorted, q);
    }
    // Type 7, as percentile(): interpolate between the order statistics at ranks ⌊h⌋ and ⌊h⌋ + 1.
    const h = Math.min(Math.max(q, 0), 1) * (this.total - 1);
    const lo = Math.floor(h);
    const a = this.valueAtRank(lo);
    if (h === lo) return a;
    return a + (h - lo) * (this.valueAtRank(Math.min(lo + 1, this.total - 1)) - a);
  }

  /** The sketch's answer for the order statistic at 0-based `rank` (past the cap). */
  private valueAtRank(rank: number): number {
    if (rank < this.zeros) return 0;
    let seen = this.zeros;
    const counts = this.counts;
    for (let j = 0; j < counts.length; j++) {
      seen += counts[j] as number;
      if (rank < seen) return (2 * Math.pow(this.gamma, this.offset + j)) / (this.gamma + 1);
    }
    return counts.length === 0 ? 0 : (2 * Math.pow(this.gamma, this.offset + counts.length - 1)) / (this.gamma + 1);
  }
}
