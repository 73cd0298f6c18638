/**
 * A streaming quantile estimator with bounded memory, for latency percentiles over files of any
 * size.
 *
 * Up to `exactCap` values it keeps them all and answers exactly (linear interpolation between
 * ranks, as {@link percentile}). Beyond that it folds them into a logarithmic histogram (the
 * DDSketch scheme): a positive value x goes to bucket ⌈log_γ x⌉ with γ = (1 + α) / (1 − α), and a
 * bucket answers with 2γⁱ / (γ + 1), which is within a relative error α of every value in it. So
 * past the cap, a reported quantile is within relative error α of a value whose rank is the
 * requested one (nearest rank). Memory is then one counter per occupied bucket: about
 * ln(max / min) / (2α) buckets, e.g. ~1,000 for latencies spanning 1 ms to 10 min at α = 0.005,
 * whatever the number of values. Values must be finite and ≥ 0; zero has its own counter.
 */
import { percentile } from './stats';

export class QuantileSketch {
  private exact: number[] | undefined = [];
  private readonly buckets = new Map<number, number>();
  private zeros = 0;
  private total = 0;
  private readonly logGamma: number;
  private readonly gamma: number;

  constructor(
    private readonly exactCap = 4096,
    readonly relativeAccuracy = 0.005,
  ) {
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
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
    if (x <= 0) {
      this.zeros++;
      return;
    }
    const i = Math.ceil(Math.log(x) / this.logGamma);
    this.buckets.set(i, (this.buckets.get(i) ?? 0) + 1);
  }

  /** The q-quantile (q in [0, 1]); undefined when no value was added. */
  quantile(q: number): number | undefined {
    if (this.total === 0) return undefined;
    if (this.exact) {
      const sorted = Float64Array.from(this.exact).sort();
      return percentile(sorted, q);
    }
    const rank = Math.round(Math.min(Math.max(q, 0), 1) * (this.total - 1));
    if (rank < this.zeros) return 0;
    let seen = this.zeros;
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      seen += this.buckets.get(k) ?? 0;
      if (rank < seen) return (2 * Math.pow(this.gamma, k)) / (this.gamma + 1);
    }
    const last = keys[keys.length - 1];
    return last === undefined ? 0 : (2 * Math.pow(this.gamma, last)) / (this.gamma + 1);
  }
}
