import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from './backoff.js';

describe('retryDelaySeconds', () => {
  const options = { baseSeconds: 10, maxSeconds: 3600 };

  it('doubles from the base at each retry', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelaySeconds(attempt, options))).toEqual([10, 20, 40, 80, 160]);
  });

  it('stops growing at the cap', () => {
    expect(retryDelaySeconds(9, options)).toBe(2560);
    expect(retryDelaySeconds(10, options)).toBe(3600);
    expect(retryDelaySeconds(1_000, options)).toBe(3600);
  });

  it('adds at most the jitter fraction', () => {
    expect(retryDelaySeconds(2, { ...options, jitter: 0.5 }, () => 0)).toBe(20);
    expect(retryDelaySeconds(2, { ...options, jitter: 0.5 }, () => 0.999)).toBeCloseTo(29.99, 6);
  });

  it('is finite, positive and never shrinks as attempts grow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const first = retryDelaySeconds(low, options);
        const second = retryDelaySeconds(high, options);
        return Number.isFinite(second) && first > 0 && first <= second && second <= options.maxSeconds;
      }),
    );
  });
});
