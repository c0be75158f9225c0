import { retryDelaySeconds } from '../domain/backoff.js';

/** A delivery is retried for this long after its event, then given up. */
export const DELIVERY_RETRY_SECONDS = 24 * 3600;
/** The first retry after this long, doubling each time, at most this long apart. */
export const DELIVERY_BACKOFF = { baseSeconds: 30, maxSeconds: 3600, jitter: 0.2 };

/**
 * What follows failed attempt number `attempts` (1 for the first) of a delivery that gives up at `giveUpAt`: a retry
 * after a doubling delay (30 s, 1 min, 2 min … capped at an hour, plus up to 20 % jitter), or giving up when that
 * retry would come after `giveUpAt`.
 */
export function afterFailure(
  attempts: number,
  now: Date,
  giveUpAt: Date,
  random: () => number = Math.random,
): { retryInSeconds: number } | { giveUp: true } {
  const delay = retryDelaySeconds(attempts, DELIVERY_BACKOFF, random);
  return now.getTime() + delay * 1000 > giveUpAt.getTime() ? { giveUp: true } : { retryInSeconds: delay };
}
