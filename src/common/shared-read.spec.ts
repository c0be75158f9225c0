import { describe, expect, it } from 'vitest';
import { SharedRead } from './shared-read.js';

describe('SharedRead', () => {
  it('shares a read between callers, never one that started before a caller asked', async () => {
    const releases: ((value: number) => void)[] = [];
    const read = new SharedRead(() => new Promise<number>((resolve) => releases.push(resolve)));
    const first = read.read();
    const second = read.read();
    const third = read.read();
    expect(releases).toHaveLength(1);
    releases[0](1);
    expect(await first).toBe(1);
    // The second and third callers asked while the first read was running: they share the read after it.
    await Promise.resolve();
    await Promise.resolve();
    expect(releases).toHaveLength(2);
    releases[1](2);
    expect([await second, await third]).toEqual([2, 2]);
  });
});
