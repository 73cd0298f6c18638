// What the alerts-file readers share: the rule and result types, and the lines of values in the
// parsed YAML documents (so that every problem names its file and line).
import { isNode } from 'yaml';
import type { Document, LineCounter } from 'yaml';

export type AlertsFormat = 'prometheus' | 'datadog';

export interface AlertRule {
  name: string;
  expr: string;
  line: number;
  /** The format the rule came from; `metricsInExpression` guesses it when absent. */
  format?: AlertsFormat;
  /**
   * Further expressions the alert evaluates besides `expr`: a Datadog formula monitor's
   * variable queries (`query1 = sum:...`), and the expressions of the recording rules (same
   * file, transitively) whose series a Prometheus alert reads. Coverage looks at these too.
   */
  inputs?: string[];
}

export type AlertsParse =
  | { ok: true; format: AlertsFormat; rules: AlertRule[] }
  | { ok: false; kind: 'unrecognised'; message: string }
  | { ok: false; kind: 'invalid'; message: string; line?: number; column?: number };

export type Path = (string | number)[];

/** A rule that its tool would reject; `parseAlerts` turns it into an `invalid` result. */
export class InvalidRule extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** One parsed YAML document (undefined when the file was read with JSON.parse: no lines). */
export interface Ctx {
  doc: Document | undefined;
  lc: LineCounter;
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const key of path) {
    if (Array.isArray(v) && typeof key === 'number') v = v[key];
    else if (isObj(v) && typeof key === 'string' && has(v, key)) v = v[key];
    else return undefined;
  }
  return v;
}

/** The 1-based line of the node at `path`, or of its nearest ancestor that has a position. */
export function lineAt(ctx: Ctx, path: Path): number {
  const { doc } = ctx;
  if (!doc) return 1;
  for (let p = path; ; p = p.slice(0, -1)) {
    const node: unknown = p.length === 0 ? doc.contents : doc.getIn(p, true);
    if (isNode(node) && node.range) return ctx.lc.linePos(node.range[0]).line;
    if (p.length === 0) return 1;
  }
}

export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}
