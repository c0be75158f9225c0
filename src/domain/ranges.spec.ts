import { describe, expect, it } from 'vitest';
import { boundsProblem, isOpenAbove, primaryAmount, rangeTerms, recordRange, remainderRange, type RangeFacts } from './ranges.js';

const units = (fields: Partial<RangeFacts>): RangeFacts => ({ quantity: 1000, statedH100e: null, statedPowerMw: null, ...fields });

describe('primaryAmount', () => {
  it('is the quantity, else the stated H100e, else the stated power', () => {
    expect(primaryAmount({ quantity: 5, statedH100e: 7, statedPowerMw: 9 })).toBe(5);
    expect(primaryAmount({ quantity: null, statedH100e: 7, statedPowerMw: 9 })).toBe(7);
    expect(primaryAmount({ quantity: null, statedH100e: null, statedPowerMw: 9 })).toBe(9);
    expect(primaryAmount({ quantity: null, statedH100e: null, statedPowerMw: null })).toBeNull();
  });
});

describe('recordRange: the defaults by qualifier, with a margin of 0.1', () => {
  const range = (fields: Partial<RangeFacts>, a = 1000) => recordRange(units(fields), a, 0.1);

  it('exact (or no qualifier): low = high = a', () => {
    expect(range({ quantityQualifier: 'exact' })).toEqual({ low: 1000, high: 1000 });
    expect(range({})).toEqual({ low: 1000, high: 1000 });
  });
  it('approximate: a × 0.9 and a × 1.1', () => {
    const { low, high } = range({ quantityQualifier: 'approximate' })!;
    expect(low).toBeCloseTo(900, 9);
    expect(high).toBeCloseTo(1100, 9);
  });
  it('up_to: 0 and a', () => {
    expect(range({ quantityQualifier: 'up_to' })).toEqual({ low: 0, high: 1000 });
  });
  it('at_least: a and a, open above', () => {
    expect(range({ quantityQualifier: 'at_least' })).toEqual({ low: 1000, high: 1000 });
    expect(isOpenAbove(units({ quantityQualifier: 'at_least' }))).toBe(true);
    expect(isOpenAbove(units({ quantityQualifier: 'at_least', amountHigh: 2000 }))).toBe(false);
    expect(isOpenAbove(units({ quantityQualifier: 'up_to' }))).toBe(false);
  });
  it('speculative: low 0, whatever the rest', () => {
    expect(range({ quantityQualifier: 'exact', certainty: 'speculative' })).toEqual({ low: 0, high: 1000 });
    expect(range({ quantityQualifier: 'approximate', certainty: 'speculative' })!.high).toBeCloseTo(1100, 9);
    expect(range({ amountLow: 800, amountHigh: 1200, certainty: 'speculative' })).toEqual({ low: 0, high: 1200 });
    expect(range({ quantityQualifier: 'exact', certainty: 'likely' })).toEqual({ low: 1000, high: 1000 });
  });
  it('a margin of 0 makes approximate exact, and of 1 takes its low to 0', () => {
    expect(recordRange(units({ quantityQualifier: 'approximate' }), 1000, 0)).toEqual({ low: 1000, high: 1000 });
    expect(recordRange(units({ quantityQualifier: 'approximate' }), 1000, 1)).toEqual({ low: 0, high: 2000 });
  });
});

describe('recordRange: explicit bounds scale with the metric', () => {
  it('in units, the bounds as given; a bound not given follows the qualifier', () => {
    expect(recordRange(units({ quantity: 350_000, amountLow: 300_000, amountHigh: 400_000 }), 350_000, 0.1)).toEqual({
      low: 300_000,
      high: 400_000,
    });
    const lowOnly = recordRange(units({ quantity: 350_000, quantityQualifier: 'approximate', amountLow: 300_000 }), 350_000, 0.1)!;
    expect(lowOnly.low).toBe(300_000);
    expect(lowOnly.high).toBeCloseTo(385_000, 6);
    expect(recordRange(units({ quantity: 1000, quantityQualifier: 'up_to', amountHigh: 1500 }), 1000, 0.1)).toEqual({ low: 0, high: 1500 });
  });
  it('in another metric, a × bound ÷ the primary amount: 1,000 chips of 2 H100e between 800 and 1,500 → 1,600 to 3,000', () => {
    expect(recordRange(units({ amountLow: 800, amountHigh: 1500 }), 2000, 0.1)).toEqual({ low: 1600, high: 3000 });
  });
  it('a stated H100e bounded in quantity: 600,000 H100e for 400,000 chips (300,000–500,000) → 450,000 to 750,000', () => {
    const record = { quantity: 400_000, statedH100e: 600_000, statedPowerMw: null, amountLow: 300_000, amountHigh: 500_000 };
    expect(recordRange(record, 600_000, 0.1)).toEqual({ low: 450_000, high: 750_000 });
  });
  it('no primary amount: no range', () => {
    expect(rangeTerms({ quantity: null, statedH100e: null, statedPowerMw: null })).toBeNull();
  });
});

describe('remainderRange: a whole less its parts is an interval difference', () => {
  it('the low loses the parts’ highs and the high their lows, floored at 0', () => {
    // Whole 100 (90–110), parts 30 (20–40) and 20 (20–20): value 50, low 90 − 60 = 30, high 110 − 40 = 70.
    expect(
      remainderRange({ value: 100, low: 90, high: 110 }, [
        { value: 30, low: 20, high: 40 },
        { value: 20, low: 20, high: 20 },
      ]),
    ).toEqual({
      value: 50,
      low: 30,
      high: 70,
    });
    // Parts above the whole: everything floors at 0.
    expect(remainderRange({ value: 10, low: 5, high: 12 }, [{ value: 15, low: 13, high: 20 }])).toEqual({ value: 0, low: 0, high: 0 });
    // Floored low, value left: whole 100 (80–120), part 50 (40–90): value 50, low 0, high 80.
    expect(remainderRange({ value: 100, low: 80, high: 120 }, [{ value: 50, low: 40, high: 90 }])).toEqual({ value: 50, low: 0, high: 80 });
  });
});

describe('boundsProblem', () => {
  it('names the bound that does not hold the primary amount, or that has no amount', () => {
    expect(boundsProblem(units({ amountLow: 900, amountHigh: 1100 }))).toBeNull();
    expect(boundsProblem(units({ amountLow: 1000, amountHigh: 1000 }))).toBeNull();
    expect(boundsProblem(units({ amountLow: 1001 }))?.field).toBe('amountLow');
    expect(boundsProblem(units({ amountHigh: 999 }))?.field).toBe('amountHigh');
    expect(boundsProblem({ quantity: null, statedH100e: 50, statedPowerMw: null, amountHigh: 40 })?.field).toBe('amountHigh');
    expect(boundsProblem({ quantity: null, statedH100e: null, statedPowerMw: null, amountHigh: 40 })).toMatchObject({
      field: 'amountHigh',
      message: 'amountHigh needs an amount (quantity, statedH100e or statedPowerMw)',
    });
    expect(boundsProblem({ quantity: null, statedH100e: null, statedPowerMw: null })).toBeNull();
  });
});
