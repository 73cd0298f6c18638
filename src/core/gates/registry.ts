// Every gate of the catalogue with its implementation, and the rule deciding which ones run. The
// registry is typed by the catalogue: a gate id without an implementation, an implementation
// filed under another id, or a scope or stage requirement that differs from the catalogue's, all
// fail to compile.
import type { Area, GateId, GATES } from '../../model/catalogue';
import type { Policy } from '../../config/policy/schema';
import type { Gate } from './define';
import compliance from './compliance';
import data from './data';
import evalFreshness from './eval/freshness';
import evalProductionGap from './eval/production-gap';
import evalRegression from './eval/regression';
import evalSlices from './eval/slices';
import evalThresholds from './eval/thresholds';
import identity from './identity';
import integrations from './integrations';
import inventoryUnregistered from './inventory/unregistered';
import manifestValid from './manifest/valid';
import monitoring from './monitoring';
import ownership from './ownership';
import policyIntegrity from './policy/integrity';
import rollback from './rollback';
import rollout from './rollout';
import signoffs from './signoffs';

type CatalogueEntry<K extends GateId> = Extract<(typeof GATES)[number], { id: K }>;
/** The catalogue's scope of a gate: `repository: true` there, else one system. */
type ScopeOf<K extends GateId> = CatalogueEntry<K> extends { repository: true } ? 'repository' : 'system';
/** The catalogue's `area` of a gate, else `always`. */
type RequiresOf<K extends GateId> = CatalogueEntry<K> extends { area: infer A extends Area } ? A : 'always';
/** What the registry holds under id K: a gate of that id, scope and requirement. */
type GateOf<K extends GateId> = Gate<K, ScopeOf<K>, RequiresOf<K>>;
export type GateRegistry = { [K in GateId]: GateOf<K> };

/** In the report's order: the system gates in catalogue order, then the repository gates. */
export const GATE_IMPLS = {
  'manifest.valid': manifestValid,
  ownership,
  identity,
  data,
  compliance,
  signoffs,
  monitoring,
  rollback,
  rollout,
  integrations,
  'eval.thresholds': evalThresholds,
  'eval.production-gap': evalProductionGap,
  'eval.slices': evalSlices,
  'eval.freshness': evalFreshness,
  'eval.regression': evalRegression,
  'policy.integrity': policyIntegrity,
  'inventory.unregistered': inventoryUnregistered,
} satisfies GateRegistry;

export type AnyGate = GateRegistry[GateId];
export type SystemGate = Extract<AnyGate, { scope: 'system' }>;
export type RepositoryGate = Extract<AnyGate, { scope: 'repository' }>;

const ALL: readonly AnyGate[] = Object.values(GATE_IMPLS);
export const SYSTEM_GATES: readonly SystemGate[] = ALL.filter((g): g is SystemGate => g.scope === 'system');
export const REPOSITORY_GATES: readonly RepositoryGate[] = ALL.filter((g): g is RepositoryGate => g.scope === 'repository');

/** Whether the stage's `require` list turns this gate on: it names the gate's area or its id. */
export function isRequired(id: GateId, require: readonly string[]): boolean {
  const { requires } = GATE_IMPLS[id];
  return requires === 'always' || require.includes(requires) || require.includes(id);
}

/** Why a gate does not run at this stage of this policy; undefined when it runs. */
export function skipReason(gate: AnyGate, policy: Policy, stage: string): string | undefined {
  if (gate.skip) return gate.skip(policy, stage);
  return isRequired(gate.id, policy.stages[stage]?.require ?? []) ? undefined : `not required at the ${stage} stage`;
}
