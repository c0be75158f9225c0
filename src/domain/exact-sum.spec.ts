import { describe, expect, it } from 'vitest';
import { ExactSum, exactSum } from './exact-sum.js';

describe('exact sum', () => {
  it('is 0 when empty and the value itself for one value', () => {
    expect(new ExactSum().value()).toBe(0);
    expect(exactSum([87_500])).toBe(87_500);
  });

  it('rounds once, where adding in turn rounds at every step', () => {
    // 0.1 + 0.2 + 0.3 adds up to 0.6000000000000001 in turn; the exact sum of the three doubles rounds to 0.6.
    expect(0.1 + 0.2 + 0.3).toBe(0.6000000000000001);
    expect(exactSum([0.1, 0.2, 0.3])).toBe(0.6);
    // 1e16 + 1 is lost on its own, but two of them are not.
    expect(1e16 + 1 + 1).toBe(1e16);
    expect(exactSum([1e16, 1, 1])).toBe(1e16 + 2);
  });

  it('gives the same result in any order', () => {
    const shares = [(131_072 * (2500 / 989)) / 2, 6128, (18_000 * (2500 / 989)) / 6, (500_000 * (667 / 989)) / 4, 5448];
    const forwards = exactSum(shares);
    expect(exactSum([...shares].reverse())).toBe(forwards);
    expect(exactSum([shares[2], shares[0], shares[4], shares[1], shares[3]])).toBe(forwards);
  });

  it('merges partial sums without loss', () => {
    const left = new ExactSum().add(1e16).add(1);
    const right = new ExactSum().add(1);
    expect(left.addSum(right).value()).toBe(1e16 + 2);
  });
});
