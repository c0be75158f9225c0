import { ExactSum } from './exact-sum.js';
import type { Certainty, QuantityQualifier } from './vocabulary.js';

/**
 * Ranges and certainty (DESIGN.md, "Ranges and certainty"): every counted amount has a low and a high, and so does
 * every sum of them. Pure functions; the capacity arithmetic (`capacity.ts`) sums what they give.
 */

/** `APPROXIMATE_MARGIN`'s default: an `approximate` amount is taken as ±10 %. */
export const DEFAULT_APPROXIMATE_MARGIN = 0.1;

/** What a record's range is read from. */
export interface RangeFacts {
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
  quantityQualifier?: QuantityQualifier | null;
  certainty?: Certainty;
  amountLow?: number | null;
  amountHigh?: number | null;
}

/**
 * The primary amount, the one `amountLow` and `amountHigh` bound: the quantity where given, else the stated H100e,
 * else the stated power; null when the record has none.
 */
export function primaryAmount(record: Pick<RangeFacts, 'quantity' | 'statedH100e' | 'statedPowerMw'>): number | null {
  return record.quantity ?? record.statedH100e ?? record.statedPowerMw;
}

/** Which field of the record is its primary amount. */
export function primaryAmountField(
  record: Pick<RangeFacts, 'quantity' | 'statedH100e' | 'statedPowerMw'>,
): 'quantity' | 'statedH100e' | 'statedPowerMw' | null {
  if (record.quantity !== null) return 'quantity';
  if (record.statedH100e !== null) return 'statedH100e';
  return record.statedPowerMw !== null ? 'statedPowerMw' : null;
}

/**
 * A range as four terms, in the unit of some amount `A` it belongs to: low = lowBase − m × lowMargin and
 * high = highBase + m × highMargin, where m is the approximate margin. Terms add up, so the rollup keeps their sums
 * and the margin stays a setting of the deployment, applied when a range is read.
 */
export interface RangeTerms {
  lowBase: number;
  lowMargin: number;
  highBase: number;
  highMargin: number;
}

export const NO_TERMS: RangeTerms = { lowBase: 0, lowMargin: 0, highBase: 0, highMargin: 0 };

/**
 * A record's range terms in the unit of its primary amount `A`:
 * - a bound given (`amountLow`, `amountHigh`) is that bound;
 * - a bound not given follows the qualifier: `exact` (or none) → A and A; `approximate` → A ∓ m × A;
 *   `up_to` → 0 and A; `at_least` → A and A (and the record has no upper bound, `openAbove`);
 * - `certainty = speculative` → low 0, whatever the rest.
 * Null when the record has no primary amount.
 */
export function rangeTerms(record: RangeFacts): RangeTerms | null {
  const amount = primaryAmount(record);
  if (amount === null) return null;
  const qualifier = record.quantityQualifier ?? 'exact';
  const lowGiven = record.amountLow ?? null;
  const highGiven = record.amountHigh ?? null;
  const approximate = qualifier === 'approximate';
  let lowBase = lowGiven ?? (qualifier === 'up_to' ? 0 : amount);
  let lowMargin = lowGiven === null && approximate ? amount : 0;
  if (record.certainty === 'speculative') {
    lowBase = 0;
    lowMargin = 0;
  }
  return {
    lowBase,
    lowMargin,
    highBase: highGiven ?? amount,
    highMargin: highGiven === null && approximate ? amount : 0,
  };
}

/** Whether the record's amount has no known upper bound: `at_least` without an `amountHigh`. */
export function isOpenAbove(record: Pick<RangeFacts, 'quantityQualifier' | 'amountHigh'>): boolean {
  return record.quantityQualifier === 'at_least' && (record.amountHigh ?? null) === null;
}

/**
 * The low and high of an amount `a` (in any metric) whose range terms are in the unit of `source` (the amount the
 * terms were computed for, in its own unit): low = a × (lowBase − m × lowMargin) ÷ source, and the same for high.
 * The ratios are taken first, so a range whose low equals its amount gives exactly `a`, and low ≤ a ≤ high holds in
 * floating point whenever it holds for the terms; where `a` is the source itself, the range is the terms.
 */
export function scaledRange(a: number, source: number, terms: RangeTerms, margin: number): { low: number; high: number } {
  const low = Math.max(0, terms.lowBase - margin * terms.lowMargin);
  const high = terms.highBase + margin * terms.highMargin;
  // In the terms' own unit (units, a stated figure), the range is the terms themselves.
  if (a === source) return { low, high };
  return { low: a * (low / source), high: a * (high / source) };
}

/** The range of one record's amount `a` in a metric, per the rules of `rangeTerms`; null without a primary amount. */
export function recordRange(record: RangeFacts, a: number, margin: number): { low: number; high: number } | null {
  const terms = rangeTerms(record);
  const source = primaryAmount(record);
  return terms === null || source === null ? null : scaledRange(a, source, terms, margin);
}

/**
 * A whole's remainder once its parts are taken out, as an interval difference: the value loses the parts' values,
 * the low loses their highs and the high loses their lows, each floored at 0. When every range holds its value
 * (low ≤ value ≤ high), the remainder's does too.
 */
export function remainderRange(
  whole: { value: number; low: number; high: number },
  parts: readonly { value: number; low: number; high: number }[],
): { value: number; low: number; high: number } {
  // Exact sums, rounded once: rounding is monotonic, so low ≤ value ≤ high holds in floating point as it does exactly.
  const value = new ExactSum().add(whole.value);
  const low = new ExactSum().add(whole.low);
  const high = new ExactSum().add(whole.high);
  for (const part of parts) {
    value.add(-part.value);
    low.add(-part.high);
    high.add(-part.low);
  }
  return { value: Math.max(0, value.value()), low: Math.max(0, low.value()), high: Math.max(0, high.value()) };
}

/** A bound that breaks the rules of `amountLow ≤ amount ≤ amountHigh`, with the field it is about; null when none does. */
export function boundsProblem(record: RangeFacts): { field: 'amountLow' | 'amountHigh'; message: string } | null {
  const low = record.amountLow ?? null;
  const high = record.amountHigh ?? null;
  if (low === null && high === null) return null;
  const field = primaryAmountField(record);
  const amount = primaryAmount(record);
  if (field === null || amount === null) {
    return {
      field: low !== null ? 'amountLow' : 'amountHigh',
      message: `${low !== null ? 'amountLow' : 'amountHigh'} needs an amount (quantity, statedH100e or statedPowerMw)`,
    };
  }
  if (low !== null && low > amount) return { field: 'amountLow', message: `amountLow must not be above the amount (${field} ${amount})` };
  if (high !== null && high < amount)
    return { field: 'amountHigh', message: `amountHigh must not be below the amount (${field} ${amount})` };
  return null;
}
