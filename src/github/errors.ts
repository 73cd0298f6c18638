// HTTP error helpers, kept apart from the client so that error reporting never loads octokit.
export function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

export function describeError(err: unknown): string {
  const status = statusOf(err);
  const msg = err instanceof Error ? err.message : String(err);
  return status ? `HTTP ${status}: ${msg.split('\n')[0]}` : msg.split('\n')[0] ?? msg;
}

/** GitHub answers a secondary rate limit with 403 (or 429): not a missing permission. */
export function isRateLimit(err: unknown): boolean {
  return /\brate limit\b/i.test(err instanceof Error ? err.message : String(err));
}
