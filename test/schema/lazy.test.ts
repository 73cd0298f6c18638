import { describe, expect, it } from 'vitest';
import { lazy } from '../../src/lib/lazy';
import { manifestSchema } from '../../src/config/manifest/schema';

describe('lazy', () => {
  it('builds on the first call only, and returns the same value after', () => {
    let builds = 0;
    const get = lazy(() => ({ n: ++builds }));
    expect(builds).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(builds).toBe(1);
  });
  it('keeps a built value that is falsy', () => {
    let builds = 0;
    const get = lazy(() => (builds++, undefined));
    get();
    get();
    expect(builds).toBe(1);
  });
  it('schema getters return one schema instance', () => {
    expect(manifestSchema()).toBe(manifestSchema());
  });
});
