import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, DELIVERY_RETRY_SECONDS } from './delivery-policy.js';

const start = new Date('2026-03-01T00:00:00Z');
const giveUpAt = new Date(start.getTime() + DELIVERY_RETRY_SECONDS * 1000);

describe('webhook delivery retries', () => {
  it('double from 30 s, capped at an hour (no jitter)', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => afterFailure(attempt, start, giveUpAt, () => 0));
    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map((retryInSeconds) => ({ retryInSeconds })));
  });

  it('give up once the next retry would fall after 24 hours', () => {
    expect(afterFailure(3, new Date(giveUpAt.getTime() - 119_000), giveUpAt, () => 0)).toEqual({ giveUp: true });
    expect(afterFailure(3, new Date(giveUpAt.getTime() - 120_000), giveUpAt, () => 0)).toEqual({ retryInSeconds: 120 });
  });

  it('end within 24 hours of the event, after at least 25 attempts, whatever the jitter', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 64, maxLength: 64 }), (randoms) => {
        let now = start.getTime();
        let attempts = 1;
        for (;;) {
          const next = afterFailure(attempts, new Date(now), giveUpAt, () => randoms[attempts % randoms.length]);
          if ('giveUp' in next) break;
          now += next.retryInSeconds * 1000;
          attempts++;
        }
        expect(now).toBeLessThanOrEqual(giveUpAt.getTime());
        // 8 retries reach the hourly cap after about 2 h; at most 1.2 h apart after that.
        expect(attempts).toBeGreaterThanOrEqual(25);
      }),
    );
  });
});
