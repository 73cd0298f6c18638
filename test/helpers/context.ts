// makeContext: a GateContext for one system, built from YAML text the way the loader builds it.
import { parseCodeowners } from '../../src/evidence/codeowners';
import type { Codeowners } from '../../src/evidence/codeowners';
import type { EvalLoad } from '../../src/evidence/evals/types';
import type { FileFact, GateContext, SystemInput } from '../../src/core/types';
import { parseManifest } from '../../src/config/manifest/parse';
import type { ParsedManifest } from '../../src/config/manifest/parse';
import { defaultPolicy } from '../../src/config/policy/default';
import { parsePolicy } from '../../src/config/policy/parse';
import type { Policy } from '../../src/config/policy/schema';
import type { TrustEvidence } from '../../src/evidence/trust/types';
import { FULL_MANIFEST, SPEC_POLICY } from './fixtures';
import { goodEvals } from './evals';

/** The fixed "today" of the tests: SPEC §2's manifest is current on this day. */
export const NOW = new Date('2026-11-20T12:00:00Z');

export const PROMETHEUS_ALERTS = `groups:
  - name: support-triage
    rules:
      - alert: TriageSlow
        expr: latency_p95 > 2
      - alert: TriageErrors
        expr: rate(error_rate[5m]) > 0.05
      - alert: TriageEscalations
        expr: escalation_rate > 0.2
`;

/** The files SPEC §2's manifest names, all present and valid. */
export function fullManifestFiles(): Record<string, FileFact> {
  return {
    'ops/alerts/support-triage.yml': { path: 'ops/alerts/support-triage.yml', exists: true, text: PROMETHEUS_ALERTS },
    'docs/runbook.md': { path: 'docs/runbook.md', exists: true },
    'docs/rollout-comms.md': { path: 'docs/rollout-comms.md', exists: true },
  };
}

export function policyFrom(yaml: string, defaultBranch = 'main'): Policy {
  const p = parsePolicy(yaml, '.github/lastmile-policy.yml', defaultBranch);
  if (!p.ok) throw new Error(`test policy is invalid: ${JSON.stringify(p.errors)}`);
  return p.policy;
}

/** SPEC §3's example policy. */
export function specPolicy(): Policy {
  return policyFrom(SPEC_POLICY);
}

export function manifestFrom(yaml: string, file = 'lastmile.yml'): ParsedManifest {
  return parseManifest(yaml, file);
}

export function trustEvidence(over: Partial<TrustEvidence> = {}): TrustEvidence {
  return { mode: 'pull-request', baseManifests: {}, approvingReviewers: [], discountedReviews: [], memberships: {}, ...over };
}

/** Evidence in which every record of `manifestYaml` is unchanged from the base branch. */
export function unchangedFromBase(manifestYaml: string, file = 'lastmile.yml', over: Partial<TrustEvidence> = {}): TrustEvidence {
  const m = parseManifest(manifestYaml, file).manifest;
  return trustEvidence({ baseManifests: { [file]: { signoffs: m.signoffs ?? [], waivers: m.waivers ?? [] } }, ...over });
}

export interface ContextOptions {
  /** Manifest text; SPEC §2's example by default. */
  manifestYaml?: string;
  manifestFile?: string;
  /** A resolved policy; SPEC §3's example by default. */
  policy?: Policy | 'default';
  stage?: string;
  now?: Date | string;
  /** Trust evidence; by default records are on a gated branch already (verified). */
  trust?: TrustEvidence;
  /** Replaces the files of SPEC §2's manifest; `null` removes one. */
  files?: Record<string, FileFact | null>;
  evals?: Record<string, EvalLoad>;
  baseEvals?: Record<string, EvalLoad | undefined>;
  /** The same system's manifest on the base (null: a new system); absent: no base to compare with. */
  baseManifestYaml?: string | null;
  evalTimes?: SystemInput['evalTimes'];
  /** CODEOWNERS text (parsed as `.github/CODEOWNERS`) or a parsed one. */
  codeowners?: string | Codeowners;
  headSha?: string;
}

export function makeContext(o: ContextOptions = {}): GateContext {
  const manifest = parseManifest(o.manifestYaml ?? FULL_MANIFEST, o.manifestFile ?? 'lastmile.yml');
  const files: Record<string, FileFact> = fullManifestFiles();
  for (const [k, v] of Object.entries(o.files ?? {})) {
    if (v === null) delete files[k];
    else files[k] = v;
  }
  const codeowners = typeof o.codeowners === 'string' ? parseCodeowners(o.codeowners, '.github/CODEOWNERS') : o.codeowners;
  const system: SystemInput = {
    manifest,
    files,
    evals: o.evals ?? goodEvals(),
    ...(codeowners ? { codeowners } : {}),
    ...(o.baseEvals ? { baseEvals: o.baseEvals } : {}),
    ...(o.baseManifestYaml !== undefined
      ? { base: o.baseManifestYaml === null ? null : { file: manifest.file, manifest: parseManifest(o.baseManifestYaml, manifest.file).manifest } }
      : {}),
    ...(o.evalTimes ? { evalTimes: o.evalTimes } : {}),
  };
  const policy = o.policy === 'default' ? defaultPolicy('main') : (o.policy ?? specPolicy());
  return {
    system,
    policy,
    stage: o.stage ?? 'production',
    now: typeof o.now === 'string' ? new Date(o.now) : (o.now ?? NOW),
    trust: o.trust ?? trustEvidence({ mode: 'branch' }),
    ...(o.headSha ? { headSha: o.headSha } : {}),
  };
}
