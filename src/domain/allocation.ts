import { type DeliveryTerms, type DeliveryWindow, deliveryWindow } from './delivery-window.js';
import { quarterIndex, quarterOfDate } from './quarter.js';
import type { Basis } from './vocabulary.js';

/**
 * The quarters an amount falls in on a basis, as quarter indexes: on `announced`, the quarter of `announcedOn`
 * alone; on `delivery`, the delivery window with its defaults.
 */
export function basisWindow(terms: DeliveryTerms, basis: Basis): DeliveryWindow {
  if (basis === 'delivery') return deliveryWindow(terms);
  const announced = quarterIndex(quarterOfDate(terms.announcedOn));
  return { first: announced, last: announced };
}

/** The number of quarters in a window. */
export function windowLength(window: DeliveryWindow): number {
  return window.last - window.first + 1;
}

/** What falls in each quarter of a window when an amount is spread evenly over it, unrounded. */
export function evenShare(amount: number, window: DeliveryWindow): number {
  return amount / windowLength(window);
}

/** Whether a window has a quarter in from..to; a missing bound does not limit. */
export function windowOverlaps(window: DeliveryWindow, from: number | undefined, to: number | undefined): boolean {
  return (from === undefined || window.last >= from) && (to === undefined || window.first <= to);
}
