/**
 * A value built on first use and kept. Constructing the zod schemas costs a few tens of
 * milliseconds of start-up, which a run that reads no manifest, policy or eval file (a no-op event)
 * should not pay.
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
