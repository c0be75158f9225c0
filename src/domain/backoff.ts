/**
 * How long to wait before retry number `attempt` (1 for the first retry): exponential from `baseSeconds`, doubling
 * each time, capped at `maxSeconds`, with up to `jitter` (a fraction) added so that retries of many failures at
 * once spread out. `random` is injectable for tests.
 */
export function retryDelaySeconds(
  attempt: number,
  options: { baseSeconds: number; maxSeconds: number; jitter?: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  // 2 ** 60 already passes any cap; larger exponents would only risk Infinity.
  const delay = Math.min(options.maxSeconds, options.baseSeconds * 2 ** Math.min(exponent, 60));
  return delay * (1 + (options.jitter ?? 0) * random());
}
