// The board JSON (`last-mile board --json`, and each shard `board merge` joins), as a zod
// schema so that schema/board.schema.json is generated and a shard is validated when merged.
import { z } from 'zod';
import { lazy } from '../lib/lazy';

export const BOARD_SCHEMA_ID = 'https://github.com/last-mile/last-mile/board/v1';
/** Stages in order of strictness; a policy's other stage names rank after none of these. */
export const STAGE_ORDER = ['pilot', 'staging', 'production'] as const;

const schemas = lazy(() => {
  const blocking = z.object({ gate: z.string(), outcome: z.string(), reason: z.string() });
  const since = z.object({
    date: z.string().describe('YYYY-MM-DD: the earliest date the records show it blocked.'),
    source: z.enum(['sign-off requested_on', 'eval created_at', 'commit date', 'previous board']),
  });
  const branchResult = z.object({
    branch: z.string(),
    sha: z.string(),
    stage: z.string().describe('The stage of the policy rule for this branch ("none": no rule matches).'),
    status: z.enum(['pass', 'fail']),
  });
  const system = z.object({
    repository: z.string(),
    system: z.string(),
    manifest: z.string(),
    owner: z.string().optional(),
    stage: z.string().describe('Stage reached: the strictest stage, among the branches\' rules, whose gates all pass; "none" when no branch passes.'),
    target: z.string().describe('The strictest stage among the branches\' rules: where it is headed.'),
    branches: z.array(branchResult),
    blocking: z.array(blocking).describe('Blocking gates at the target stage, with reasons.'),
    since: since.optional().describe('Blocked since, where any record carries a date.'),
    overdue: z
      .array(z.object({ kind: z.string(), ticket: z.string().optional(), requested_on: z.string(), age_days: z.number().int(), sla_days: z.number().int(), escalate: z.string().optional() }))
      .optional(),
  });
  const request = z.object({
    repository: z.string(),
    system: z.string(),
    kind: z.string(),
    ticket: z.string().optional(),
    requested_on: z.string().optional(),
    age_days: z.number().int().optional(),
    sla_days: z.number().int().optional(),
    approvers: z.array(z.string()),
  });
  const repository = z.object({
    repository: z.string(),
    status: z.enum(['evaluated', 'no AI system declared', 'unreadable', 'not evaluated']),
    reason: z.string().optional(),
    requests: z.number().int().describe('API requests spent on this repository.'),
    branches: z.array(z.string()),
  });
  const boardSchema = z
    .object({
      schema: z.literal(BOARD_SCHEMA_ID),
      generatedAt: z.string(),
      shard: z.object({ index: z.number().int(), count: z.number().int() }).optional().describe('Set on a shard; absent on a whole or merged board.'),
      repositories: z.array(repository),
      systems: z.array(system),
      requests: z.array(request).describe('Open sign-off requests at each system\'s target branch: the queues are computed from these.'),
    })
    .describe('Last Mile readiness board, version 1.');
  return { boardSchema };
});

export const boardSchema = () => schemas().boardSchema;
export type Board = z.infer<ReturnType<typeof boardSchema>>;
export type BoardSystem = Board['systems'][number];
export type BoardRepository = Board['repositories'][number];
export type BoardRequest = Board['requests'][number];

/** Rank of a stage: known stages by STAGE_ORDER, anything else below pilot, "none" lowest. */
export function stageRank(stage: string): number {
  const i = (STAGE_ORDER as readonly string[]).indexOf(stage);
  return i >= 0 ? i + 1 : stage === 'none' ? -1 : 0;
}
