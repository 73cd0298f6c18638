// The REST client: @actions/github's octokit with retries, rate-limit handling and a timeout
// on every attempt, so an outage or a hung response can delay a run but never hang it.
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHub = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Longest wait for a rate limit before giving up. */
  maxRateLimitWaitS?: number;
  /** Rate-limit waits per request before giving up (default 2; Infinity: as often as GitHub says). */
  maxRateLimitRetries?: number;
  /** Epoch milliseconds: a rate-limit wait that would end after this is refused (the request fails). */
  waitDeadline?: number;
  log?: (msg: string) => void;
}

const RETRIES = 3;

export function createClient(token: string, opts: ClientOptions = {}): GitHub {
  const timeoutMs = opts.timeoutMs ?? Number(process.env.LASTMILE_HTTP_TIMEOUT_MS ?? 20_000);
  const maxWait = opts.maxRateLimitWaitS ?? 60;
  const maxRetries = opts.maxRateLimitRetries ?? 2;
  const deadline = opts.waitDeadline;
  const log = opts.log ?? (() => undefined);
  const timedFetch: typeof fetch = (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
  const onLimit = (kind: string) => (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number): boolean => {
    const late = deadline !== undefined && Date.now() + retryAfter * 1000 > deadline;
    const again = retryCount < maxRetries && retryAfter <= maxWait && !late;
    log(`${kind} on ${options.method} ${options.url}: ${again ? `retrying after ${retryAfter}s` : late ? 'giving up (the wait would outlast the time budget)' : 'giving up'}`);
    return again;
  };
  return getOctokit(
    token,
    {
      request: { fetch: timedFetch },
      // 429 is left to the throttling plugin, which waits as GitHub says (retry-after for a
      // secondary limit, the reset time for the primary one); retrying it after 0.4 s would not.
      retry: { retries: RETRIES, retryAfterBaseValue: 400, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
        fallbackSecondaryRateRetryAfter: 30,
      },
    },
    retry,
    throttling,
  );
}
