import { describe, expect, it } from 'vitest';
import { VersionedCache } from './versioned-cache.js';

describe('VersionedCache', () => {
  it('computes a value once per version and key, shares it while it runs, and computes again for a new version', async () => {
    const cache = new VersionedCache<number>(10);
    let computed = 0;
    const compute = async () => ++computed;
    const [first, second] = await Promise.all([cache.get(1, 'a', compute), cache.get(1, 'a', compute)]);
    expect([first, second, computed]).toEqual([1, 1, 1]);
    expect(await cache.get(1, 'b', compute)).toBe(2);
    expect(await cache.get(2, 'a', compute)).toBe(3);
    // Back to an older version: nothing of the newer one is used.
    expect(await cache.get(1, 'a', compute)).toBe(4);
  });

  it('forgets a failed computation, and keeps at most maxEntries, the oldest dropped first', async () => {
    const cache = new VersionedCache<string>(2);
    await expect(cache.get(1, 'a', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await cache.get(1, 'a', async () => 'a1')).toBe('a1');
    await cache.get(1, 'b', async () => 'b1');
    await cache.get(1, 'c', async () => 'c1');
    expect(await cache.get(1, 'a', async () => 'a2')).toBe('a2');
    expect(await cache.get(1, 'c', async () => 'c2')).toBe('c1');
  });
});
