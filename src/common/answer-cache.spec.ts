import { describe, expect, it } from 'vitest';
import { AnswerCache, InFlight, queryKey } from './answer-cache.js';

describe('AnswerCache', () => {
  it('computes an answer once per version and key, and again after the version changes', async () => {
    const cache = new AnswerCache();
    let computed = 0;
    const compute = async () => ({ computed: ++computed });
    const [first, second] = await Promise.all([cache.get(1, 'a', compute), cache.get(1, 'a', compute)]);
    expect(first).toBe(second);
    expect(first.body.toString()).toBe('{"computed":1}');
    expect((await cache.get(1, 'b', compute)).body.toString()).toBe('{"computed":2}');
    expect((await cache.get(2, 'a', compute)).body.toString()).toBe('{"computed":3}');
    expect((await cache.get(2, 'a', compute)).etag).toBe((await cache.get(2, 'a', compute)).etag);
  });

  it('forgets a failed computation', async () => {
    const cache = new AnswerCache();
    await expect(cache.get(1, 'a', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect((await cache.get(1, 'a', async () => 'ok')).body.toString()).toBe('"ok"');
  });
});

describe('queryKey', () => {
  it('ignores the order of fields and of list items, and missing fields', () => {
    expect(queryKey('capacity', { metric: 'h100e', status: ['confirmed', 'announced'], top: undefined })).toBe(
      queryKey('capacity', { status: ['announced', 'confirmed'], metric: 'h100e' }),
    );
    expect(queryKey('capacity', { metric: 'h100e' })).not.toBe(queryKey('summary', { metric: 'h100e' }));
  });
});

describe('InFlight', () => {
  it('shares a computation while it runs and forgets it once settled, failed or not', async () => {
    const inFlight = new InFlight<number>();
    let computed = 0;
    let release: (value: number) => void = () => {};
    const compute = () => new Promise<number>((resolve) => (computed++, (release = resolve)));
    const first = inFlight.get('a', compute);
    const second = inFlight.get('a', compute);
    expect(computed).toBe(1);
    release(7);
    expect([await first, await second]).toEqual([7, 7]);
    const third = inFlight.get('a', compute);
    expect(computed).toBe(2);
    release(8);
    expect(await third).toBe(8);
    await expect(inFlight.get('b', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await inFlight.get('b', async () => 9)).toBe(9);
  });
});
