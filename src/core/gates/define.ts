// The one shape of a gate (DESIGN "Gates"): its catalogue id, the scope it judges (one system or
// the whole repository), the stage requirement that turns it on, and its run. Each gate lives in
// the file its id names (`eval.slices` in eval/slices.ts) and default-exports `defineGate({...})`;
// by name it also exports its check, which tests and the bench call alone.
import type { Area, GateId } from '../../model/catalogue';
import type { Policy } from '../../config/policy/schema';
import { barOf } from '../bar';
import type { GateContext, GateResult, RepositoryContext, StagedRepositoryContext, SystemContext } from '../types';

export type Scope = 'system' | 'repository';
/** The `require:` entry (an area) that turns a gate on; `always` for the gates that always run. */
export type Requires = Area | 'always';

/**
 * What a gate's run receives: a system gate, its system with the bar; a repository gate the stage
 * turns on, a valid policy and the stage; one that always runs, the repository facts alone.
 */
type RunContext<S extends Scope, R extends Requires> = S extends 'system' ? SystemContext : R extends 'always' ? RepositoryContext : StagedRepositoryContext;
/** What a caller hands a gate: a system gate computes the bar when the context carries none. */
type CallContext<S extends Scope, R extends Requires> = S extends 'system' ? GateContext : RunContext<S, R>;

interface GateShape<Id extends GateId, S extends Scope, R extends Requires> {
  id: Id;
  scope: S;
  requires: R;
  /**
   * Why the gate does not run at this stage, replacing the rule "the stage's `require:` names its
   * area or its id": for a gate the policy also switches (inventory.unregistered). Undefined: it runs.
   */
  skip?: (policy: Policy, stage: string) => string | undefined;
}

export interface GateDefinition<Id extends GateId, S extends Scope, R extends Requires> extends GateShape<Id, S, R> {
  /** The gate's reason, fix, who acts and manifest line, as one GateResult. */
  run: (ctx: RunContext<S, R>) => GateResult;
}

export interface Gate<Id extends GateId, S extends Scope, R extends Requires> extends GateShape<Id, S, R> {
  run: (ctx: CallContext<S, R>) => GateResult;
}

export function defineGate<const Id extends GateId, const S extends Scope, const R extends Requires>(def: GateDefinition<Id, S, R>): Gate<Id, S, R> {
  // TypeScript does not narrow the conditional context types on `def.scope` inside this generic
  // function, hence the casts: a system gate's run gets its bar, a repository gate's run is as given.
  if (def.scope !== 'system') return def as unknown as Gate<Id, S, R>;
  const run = def.run as unknown as (ctx: SystemContext) => GateResult;
  return { ...def, run: ((ctx: GateContext) => run(withBar(ctx))) as Gate<Id, S, R>['run'] };
}

/** The context with the system's bar: the one evaluateSystem set, else computed here (a gate run alone). */
export function withBar(ctx: GateContext): SystemContext {
  return hasBar(ctx) ? ctx : { ...ctx, bar: systemBar(ctx) };
}

function hasBar(ctx: GateContext): ctx is SystemContext {
  return ctx.bar !== undefined;
}

/** The bar a system is judged by: the stricter of its base and head manifests, and the policy floors. */
export function systemBar(ctx: GateContext): SystemContext['bar'] {
  const base = ctx.system.base;
  return barOf(ctx.system.manifest.manifest, base ? base.manifest : base, ctx.policy);
}
