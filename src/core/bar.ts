// The bar a pull request is judged by (SPEC §6). The manifest is written by the party being
// gated, so it cannot set its own bar: the base manifest's constraints apply in addition to the
// head's (thresholds, evals and their sources, slices, the facts that decide which sign-offs are
// required), and the policy's `evals.thresholds` floors apply to every system. A loosening takes
// effect after merge, like a policy change; each value kept from the base is said in one line.
// Pure: the loader hands in the base manifest it matched (by `system` id, else by path).
import type { EvalEntry, Manifest } from '../config/manifest/schema';
import { CLASSIFICATIONS, RISK_TIERS } from '../config/manifest/schema';
import type { Policy, SignoffRule } from '../config/policy/schema';
import { catalogueDirection } from '../evidence/evals/metrics';
import type { Direction } from '../evidence/evals/metrics';

/** Both bounds may hold at once: the base's `min` survives a head that writes `max`. */
export interface MetricBar {
  min?: number;
  max?: number;
}

export interface EvalBar {
  /** The head's entry (its file is what is judged). */
  entry: EvalEntry;
  /** Index in the head manifest's `evals`, for locations. */
  index: number;
  /** The base's source for an eval of this name, else the head's. */
  source: string;
  /** Thresholds: the head's, the base's and the policy floors for each metric the manifest names. */
  metrics: Record<string, MetricBar>;
  /** The base's own thresholds of this eval (a direction for metrics the catalogue does not know). */
  baseMetrics: Record<string, MetricBar>;
  /** Slice fields the base declares and the head dropped: not computed, so inconclusive. */
  removedSlices: string[];
}

/** The facts that decide which sign-offs a system needs. */
export interface Facts {
  risk_tier?: string;
  classification?: string;
  pii?: boolean;
}

export interface SystemBar {
  evals: EvalBar[];
  /** Evals the base has (by name) and the head lacks: removed or renamed. */
  removedEvals: { name: string; source: string; path: string }[];
  /** The head's facts, then the base's where there is a base manifest. */
  facts: Facts[];
  /** One line per value kept from the base (or raised to a policy floor), and why. */
  kept: string[];
}

const ALIASES: Record<string, string> = { pass_rate: 'accuracy' };
/** `pass_rate` and `accuracy` name one metric (SPEC §4), for floors and matching. */
export function canonicalMetric(name: string): string {
  return ALIASES[name] ?? name;
}

function thresholdOf(t: { min: number } | { max: number } | undefined): MetricBar {
  if (!t) return {};
  return 'min' in t ? { min: t.min } : { max: t.max };
}

const show = (b: MetricBar): string =>
  [b.min !== undefined ? `min: ${b.min}` : '', b.max !== undefined ? `max: ${b.max}` : ''].filter(Boolean).join(', ') || 'no threshold';

/** The policy floor for a metric name (aliases included), if the policy sets one. */
export function floorFor(policy: Policy, name: string): MetricBar {
  const floors = policy.evals.thresholds;
  return thresholdOf(floors[name] ?? floors[canonicalMetric(name)] ?? Object.entries(floors).find(([k]) => canonicalMetric(k) === canonicalMetric(name))?.[1]);
}

/** The stricter of two bars: the higher minimum, the lower maximum. */
export function stricter(a: MetricBar, b: MetricBar): MetricBar {
  const min = a.min === undefined ? b.min : b.min === undefined ? a.min : Math.max(a.min, b.min);
  const max = a.max === undefined ? b.max : b.max === undefined ? a.max : Math.min(a.max, b.max);
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

const order = (list: readonly string[], v: string | undefined): number => (v === undefined ? -1 : list.indexOf(v));

/**
 * @param base the base's manifest of the same system; `null` when the system is new on the base;
 *   `undefined` when there is no base to compare with (a branch run, a local check without --base).
 */
export function barOf(head: Partial<Manifest>, base: Partial<Manifest> | null | undefined, policy: Policy): SystemBar {
  const kept: string[] = [];
  const baseEvals = new Map((base?.evals ?? []).map((e) => [e.name, e]));
  const headNames = new Set((head.evals ?? []).map((e) => e.name));
  const evals: EvalBar[] = (head.evals ?? []).map((entry, index) => {
    const b = baseEvals.get(entry.name);
    let source: string = entry.source;
    if (b && b.source !== entry.source) {
      source = b.source;
      kept.push(`eval \`${entry.name}\`: source \`${b.source}\` kept from the base (this pull request writes \`${entry.source}\`)`);
    }
    const metrics: Record<string, MetricBar> = {};
    const baseMetrics: Record<string, MetricBar> = {};
    for (const [name, t] of Object.entries(b?.metrics ?? {})) baseMetrics[name] = thresholdOf(t);
    for (const name of new Set([...Object.keys(entry.metrics ?? {}), ...Object.keys(baseMetrics)])) {
      const own = thresholdOf(entry.metrics?.[name]);
      const fromBase = baseMetrics[name] ?? {};
      let bar = stricter(own, fromBase);
      if (show(bar) !== show(own)) kept.push(`eval \`${entry.name}\` ${name}: the base's \`${show(fromBase)}\` applies until merge (this pull request writes \`${show(own)}\`)`);
      const floor = floorFor(policy, name);
      const raised = stricter(bar, floor);
      if (show(raised) !== show(bar)) kept.push(`eval \`${entry.name}\` ${name}: \`${show(bar)}\` raised to the policy floor \`${show(floor)}\``);
      bar = raised;
      metrics[name] = bar;
    }
    const headSlices = new Set(entry.slices ?? []);
    const removedSlices = (b?.slices ?? []).filter((s) => !headSlices.has(s));
    for (const s of removedSlices) kept.push(`eval \`${entry.name}\`: slice \`${s}\` is on the base but not in this pull request; the base's bar applies until merge`);
    return { entry, index, source, metrics, baseMetrics, removedSlices };
  });
  const removedEvals = (base?.evals ?? []).filter((e) => !headNames.has(e.name)).map((e) => ({ name: e.name, source: e.source, path: e.path }));
  for (const e of removedEvals) kept.push(`eval \`${e.name}\` (\`${e.source}\`) is on the base but not in this pull request (removed or renamed); the base's bar applies until merge`);

  const facts: Facts[] = [factsOf(head)];
  if (base) {
    const b = factsOf(base);
    const h = facts[0]!;
    facts.push(b);
    if (order(RISK_TIERS, b.risk_tier) > order(RISK_TIERS, h.risk_tier)) {
      kept.push(`\`compliance.risk_tier\`: the base's \`${b.risk_tier}\` applies until merge (this pull request writes ${h.risk_tier ? `\`${h.risk_tier}\`` : 'none'}): the sign-offs it requires stay required`);
    }
    if (order(CLASSIFICATIONS, b.classification) > order(CLASSIFICATIONS, h.classification)) {
      kept.push(`\`data.classification\`: the base's \`${b.classification}\` applies until merge (this pull request writes ${h.classification ? `\`${h.classification}\`` : 'none'}): the sign-offs it requires stay required`);
    }
    if (b.pii === true && h.pii !== true) kept.push(`\`data.pii\`: the base's \`true\` applies until merge (this pull request writes ${h.pii === undefined ? 'none' : `\`${h.pii}\``}): the sign-offs it requires stay required`);
  }
  return { evals, removedEvals, facts, kept };
}

function factsOf(m: Partial<Manifest>): Facts {
  return {
    ...(m.compliance?.risk_tier !== undefined ? { risk_tier: m.compliance.risk_tier } : {}),
    ...(m.data?.classification !== undefined ? { classification: m.data.classification } : {}),
    ...(m.data?.pii !== undefined ? { pii: m.data.pii } : {}),
  };
}

/**
 * Whether a sign-off rule's `when` holds for these facts. Every key given must match; a fact the
 * manifest does not declare cannot be judged, so the kind is required (fail closed).
 */
export function whenHolds(when: SignoffRule['when'], f: Facts): boolean {
  if (!when) return true;
  if (when.risk_tier && f.risk_tier !== undefined && !when.risk_tier.includes(f.risk_tier)) return false;
  if (when.classification && f.classification !== undefined && !when.classification.includes(f.classification)) return false;
  if (when.pii !== undefined && f.pii !== undefined && when.pii !== f.pii) return false;
  return true;
}

/** Kinds the stage needs: those the head's facts or the base's require (SPEC §6). */
export function requiredKindsFor(policy: Policy, bar: SystemBar): [string, SignoffRule][] {
  return Object.entries(policy.signoffs).filter(([, rule]) => bar.facts.some((f) => whenHolds(rule.when, f)));
}

/**
 * The direction a metric gets worse in (SPEC §5.1): the catalogue, else a threshold the base sets
 * for it, else the policy's floor. Never the pull request's own threshold, which could flip it.
 * Undefined: nothing fixes it, so the metric is shown but not gated on gap, regression or slices.
 */
export function directionOf(name: string, bars: readonly EvalBar[], policy: Policy, format?: string): Direction | undefined {
  // DeepEval metrics are read as the share of test cases that passed them (SPEC §4): a
  // `Toxicity` share is better high, whatever the catalogue says of a toxicity score.
  if (format === 'deepeval') return 'min';
  const known = catalogueDirection(name);
  if (known) return known;
  for (const b of bars) {
    const t = b.baseMetrics[name];
    if (t?.min !== undefined) return 'min';
    if (t?.max !== undefined) return 'max';
  }
  const floor = floorFor(policy, name);
  if (floor.min !== undefined) return 'min';
  if (floor.max !== undefined) return 'max';
  return undefined;
}

export const NO_DIRECTION_NOTE = 'no known direction (not in the metric catalogue, no threshold on the base or in the policy): shown, not gated';
