// Approver specs: a user (`alice`), a team (`@org/team`) or a permission (`@write`).
export type ApproverSpec =
  | { kind: 'user'; login: string; text: string }
  | { kind: 'team'; org: string; slug: string; text: string }
  | { kind: 'permission'; level: Permission; text: string };

export const PERMISSION_RANKS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Permission = (typeof PERMISSION_RANKS)[number];

export function parseApprover(text: string): ApproverSpec {
  const t = text.trim();
  const perm = /^@(read|triage|write|maintain|admin)$/i.exec(t);
  if (perm) return { kind: 'permission', level: perm[1]!.toLowerCase() as Permission, text: t };
  const team = /^@([^/]+)\/(.+)$/.exec(t);
  if (team) return { kind: 'team', org: team[1]!, slug: team[2]!, text: t };
  return { kind: 'user', login: t.replace(/^@/, ''), text: t };
}

export function rank(p: string | undefined): number {
  return p === undefined ? -1 : PERMISSION_RANKS.indexOf(p as Permission);
}

/** "@alice, a member of @acme/security or a collaborator with write access" */
export function describeApprovers(list: readonly string[]): string {
  const parts = list.map((a) => {
    const s = parseApprover(a);
    if (s.kind === 'user') return `@${s.login}`;
    if (s.kind === 'team') return `a member of @${s.org}/${s.slug}`;
    return `a collaborator with ${s.level} access (not the author)`;
  });
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}
