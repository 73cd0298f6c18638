// The built-in policy of SPEC §3, applied when the base branch has no policy file, and the
// source of every default a policy file leaves out.
import type { Policy } from './schema';

/** Where a repository's policy lives unless the `policy` input (or `--policy`) names another file. */
export const DEFAULT_POLICY_PATH = '.github/lastmile-policy.yml';

export const DEFAULT_STAGES: Policy['stages'] = {
  pilot: { require: ['ownership'] },
  staging: { require: ['ownership', 'evals', 'monitoring'] },
  production: {
    require: ['ownership', 'identity', 'data', 'compliance', 'signoffs', 'monitoring', 'rollback', 'rollout', 'integrations', 'evals'],
  },
};

export function defaultPolicy(defaultBranch: string): Policy {
  return {
    branches: [
      { pattern: 'release/**', stage: 'production', enforce: 'block' },
      { pattern: defaultBranch, stage: 'staging', enforce: 'warn' },
      { pattern: '**', stage: 'pilot', enforce: 'warn' },
    ],
    stages: structuredClone(DEFAULT_STAGES),
    signoffs: {
      security: { approvers: ['@write'] },
      'data-governance': { approvers: ['@write'] },
      'business-owner': { approvers: ['@write'] },
      compliance: { approvers: ['@write'], when: { risk_tier: ['limited', 'high'] } },
    },
    evals: {
      confidence: 0.95,
      min_samples: 100,
      max_age_days: 30,
      require_sources: ['curated', 'production-sample'],
      max_gap: 0.05,
      slices: { min_samples: 30, max_drop: 0.1 },
      regression: { max_drop: 0.02 },
      thresholds: {},
    },
    waivers: { approvers: ['@maintain'], max_days: 90 },
    monitoring: { verify_alerts: true },
    inventory: { ignore: [], packages: {} },
  };
}

/** The default as YAML, for the README and `last-mile init`. */
export const DEFAULT_POLICY_YAML = `version: 1
branches:
  - { pattern: "release/**", stage: production, enforce: block }
  - { pattern: main, stage: staging, enforce: warn }   # the repository's default branch
  - { pattern: "**", stage: pilot, enforce: warn }
stages:
  pilot:      { require: [ownership] }
  staging:    { require: [ownership, evals, monitoring] }
  production: { require: [ownership, identity, data, compliance, signoffs, monitoring,
                          rollback, rollout, integrations, evals] }
signoffs:
  security:        { approvers: ["@write"] }
  data-governance: { approvers: ["@write"] }
  business-owner:  { approvers: ["@write"] }
  compliance:      { approvers: ["@write"], when: { risk_tier: [limited, high] } }
evals: { confidence: 0.95, min_samples: 100, max_age_days: 30,
         require_sources: [curated, production-sample], max_gap: 0.05,
         slices: { min_samples: 30, max_drop: 0.10 }, regression: { max_drop: 0.02 } }
waivers: { approvers: ["@maintain"], max_days: 90 }
`;
