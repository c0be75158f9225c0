import { type Quarter, quarterFromIndex, quarterIndex, quarterOfDate } from './quarter.js';

export interface DeliveryTerms {
  announcedOn: string;
  deliveryFrom: Quarter | null;
  deliveryBy: Quarter | null;
}

/** The quarters a commitment is delivered over, inclusive, as quarter indexes (see `quarterIndex`). */
export interface DeliveryWindow {
  first: number;
  last: number;
}

/**
 * The delivery window with its defaults: `deliveryFrom` is the quarter of the announcement, or `deliveryBy`
 * where that is earlier (a report of deliveries already made); `deliveryBy` defaults to `deliveryFrom`.
 */
export function deliveryWindow(terms: DeliveryTerms): DeliveryWindow {
  const announced = quarterIndex(quarterOfDate(terms.announcedOn));
  const by = terms.deliveryBy === null ? null : quarterIndex(terms.deliveryBy);
  const first = terms.deliveryFrom !== null ? quarterIndex(terms.deliveryFrom) : by !== null ? Math.min(announced, by) : announced;
  return { first, last: by ?? first };
}

export function windowQuarters(window: DeliveryWindow): { from: Quarter; to: Quarter } {
  return { from: quarterFromIndex(window.first), to: quarterFromIndex(window.last) };
}
