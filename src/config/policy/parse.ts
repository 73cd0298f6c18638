// Policy text → a complete Policy (defaults filled in) or positioned errors. Pure.
import { defaultPolicy } from './default';
import { policySchema } from './schema';
import type { Policy, PolicyDocument } from './schema';
import { issuesToErrors, parseYaml, positionOf } from '../yaml';
import type { ConfigError } from '../yaml';

export type PolicyParse = { ok: true; policy: Policy; document: PolicyDocument } | { ok: false; errors: ConfigError[]; partial?: Partial<Policy> };

export function parsePolicy(text: string, file: string, defaultBranch: string): PolicyParse {
  const src = parseYaml(text, file);
  if (src.errors.length > 0) return { ok: false, errors: src.errors };
  if (src.value === null || typeof src.value !== 'object' || Array.isArray(src.value)) {
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, path: '', expected: 'a mapping with version: 1', found: src.value == null ? 'an empty document' : 'a list or scalar', message: 'the policy must be a YAML mapping' }],
    };
  }
  const parsed = policySchema().safeParse(src.value);
  if (!parsed.success) {
    return { ok: false, errors: issuesToErrors(src, parsed.error.issues), partial: branchesOnly(src.value) };
  }
  const policy = resolvePolicy(parsed.data, defaultBranch);
  const errors: ConfigError[] = [];
  policy.branches.forEach((b, i) => {
    if (parsed.data.branches && !policy.stages[b.stage]) {
      const pos = positionOf(src, ['branches', i, 'stage']);
      errors.push({
        file,
        line: pos.line,
        column: pos.column,
        path: `branches[${i}].stage`,
        expected: `a stage defined under stages: (${Object.keys(policy.stages).join(', ')})`,
        found: JSON.stringify(b.stage),
        message: `unknown stage "${b.stage}"`,
      });
    }
  });
  if (errors.length > 0) return { ok: false, errors, partial: { branches: policy.branches } };
  return { ok: true, policy, document: parsed.data };
}

/** Fills what the document leaves out from the built-in default. */
export function resolvePolicy(doc: PolicyDocument, defaultBranch: string): Policy {
  const d = defaultPolicy(defaultBranch);
  const e = doc.evals ?? {};
  return {
    branches: doc.branches ?? d.branches,
    stages: { ...d.stages, ...(doc.stages ?? {}) },
    signoffs: doc.signoffs ?? d.signoffs,
    evals: {
      confidence: e.confidence ?? d.evals.confidence,
      min_samples: e.min_samples ?? d.evals.min_samples,
      max_age_days: e.max_age_days ?? d.evals.max_age_days,
      require_sources: e.require_sources ?? d.evals.require_sources,
      max_gap: e.max_gap ?? d.evals.max_gap,
      slices: { ...d.evals.slices, ...(e.slices ?? {}) },
      regression: { ...d.evals.regression, ...(e.regression ?? {}) },
      thresholds: e.thresholds ?? d.evals.thresholds,
    },
    waivers: { ...d.waivers, ...(doc.waivers ?? {}) },
    monitoring: { ...d.monitoring, ...(doc.monitoring ?? {}) },
    inventory: {
      require_manifest: doc.inventory?.require_manifest,
      ignore: doc.inventory?.ignore ?? [],
      packages: doc.inventory?.packages ?? {},
    },
  };
}

/**
 * The branch rules of an invalid policy, where that part alone is valid: an invalid policy
 * must still fail closed on the branches it meant to block.
 */
function branchesOnly(value: object): Partial<Policy> | undefined {
  const r = policySchema().shape.branches.safeParse((value as { branches?: unknown }).branches);
  return r.success && r.data ? { branches: r.data } : undefined;
}
