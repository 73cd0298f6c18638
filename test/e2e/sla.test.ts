// End to end through the bundled action (issue 18 item 1): a requested sign-off past its
// policy SLA is named in the pull request comment with its age and whom to escalate to, and
// listed in the report's `overdue`; the verdict is the same as without an SLA.
// Assertions are on plain substrings: the comment's layout is not what this tests.
import { describe, expect, it } from 'vitest';
import { EXAMPLE_POLICY, POLICY_PATH, READY, day, editYaml, expectVerdict, plain, pullRequestSession } from './setup';

const SLA_POLICY = EXAMPLE_POLICY.replace(
  /^signoffs:\n(?: {2}.*\n)+/m,
  'signoffs:\n  security: { approvers: [alice], sla_days: 10, escalate: "@acme/security-leads" }\n',
);
const NO_SLA_POLICY = SLA_POLICY.replace(', sla_days: 10, escalate: "@acme/security-leads"', '');

/** The ready system whose security sign-off is only requested, `daysAgo` days ago. */
function requested(daysAgo: number): Record<string, string> {
  const manifest = editYaml(READY['lastmile.yml']!, (doc) =>
    doc.set('signoffs', doc.createNode([{ kind: 'security', status: 'requested', ticket: 'SEC-77', requested_on: day(-daysAgo) }])),
  );
  return { ...READY, 'lastmile.yml': manifest };
}

const session = pullRequestSession({});

describe('sign-off SLA in the pull request comment', () => {
  it('a request 25 days old under a 10-day SLA: age, overrun and escalation in the comment and the report', async () => {
    const files = requested(25);
    await session.start({ baseFiles: { ...files, [POLICY_PATH]: SLA_POLICY } });
    const r = await session.run(files);
    expectVerdict(r, 'fail');
    const comment = plain(session.gh.comments(2)[0]!.body);
    expect(comment).toContain('security: requested (SEC-77), waiting 25 days');
    expect(comment).toContain('over its 10-day SLA by 15 days; escalate to @acme/security-leads');
    const systems = r.report!.systems as { overdue?: unknown[] }[];
    expect(systems[0]!.overdue).toEqual([{ kind: 'security', ticket: 'SEC-77', requested_on: day(-25), age_days: 25, sla_days: 10, escalate: '@acme/security-leads' }]);
  });

  it('the same request without an SLA gives the same verdict and no SLA note', async () => {
    const files = requested(25);
    await session.start({ baseFiles: { ...files, [POLICY_PATH]: NO_SLA_POLICY } });
    const r = await session.run(files);
    expectVerdict(r, 'fail');
    const comment = plain(session.gh.comments(2)[0]!.body);
    expect(comment).toContain('security: requested (SEC-77), waiting 25 days');
    expect(comment).not.toContain('SLA');
    expect((r.report!.systems as { overdue?: unknown[] }[])[0]!.overdue).toBeUndefined();
  });

  it('within its SLA a request carries no note', async () => {
    const files = requested(3);
    await session.start({ baseFiles: { ...files, [POLICY_PATH]: SLA_POLICY } });
    const r = await session.run(files);
    expectVerdict(r, 'fail');
    const comment = plain(session.gh.comments(2)[0]!.body);
    expect(comment).toContain('waiting 3 days');
    expect(comment).not.toContain('escalate to');
  });
});
