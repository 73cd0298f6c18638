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
  log?: (msg: string) => void;
}

const RETRIES = 3;

export function createClient(token: string, opts: ClientOptions = {}): GitHub {
  const timeoutMs = opts.timeoutMs ?? Number(process.env.LASTMILE_HTTP_TIMEOUT_MS ?? 20_000);
  const maxWait = opts.maxRateLimitWaitS ?? 60;
  const log = opts.log ?? (() => undefined);
  const timedFetch: typeof fetch = (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
  const onLimit = (kind: string) => (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number): boolean => {
    const again = retryCount < 2 && retryAfter <= maxWait;
    log(`${kind} on ${options.method} ${options.url}: ${again ? `retrying after ${retryAfter}s` : 'giving up'}`);
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

export { describeError, statusOf } from './errors';
