import { describe, expect, it } from 'vitest';
import { basisWindow, evenShare, windowLength, windowOverlaps } from './allocation.js';
import { quarterIndex } from './quarter.js';

const q = quarterIndex;

describe('basis window', () => {
  // Meta, 18 January 2024: 350,000 H100 by the end of the year.
  const meta = { announcedOn: '2024-01-18', deliveryFrom: null, deliveryBy: '2024-Q4' };

  it('spreads over the delivery window on the delivery basis', () => {
    expect(basisWindow(meta, 'delivery')).toEqual({ first: q('2024-Q1'), last: q('2024-Q4') });
  });

  it('puts everything in the announcement quarter on the announced basis', () => {
    expect(basisWindow(meta, 'announced')).toEqual({ first: q('2024-Q1'), last: q('2024-Q1') });
    // Tesla, 29 January 2025, reporting deliveries in 2024-Q4: announced in 2025-Q1, delivered in 2024-Q4.
    const tesla = { announcedOn: '2025-01-29', deliveryFrom: null, deliveryBy: '2024-Q4' };
    expect(basisWindow(tesla, 'announced')).toEqual({ first: q('2025-Q1'), last: q('2025-Q1') });
    expect(basisWindow(tesla, 'delivery')).toEqual({ first: q('2024-Q4'), last: q('2024-Q4') });
  });
});

describe('even allocation', () => {
  it('divides the amount by the number of quarters, without rounding', () => {
    expect(windowLength({ first: q('2024-Q1'), last: q('2024-Q4') })).toBe(4);
    expect(evenShare(350_000, { first: q('2024-Q1'), last: q('2024-Q4') })).toBe(87_500);
    // Mistral: 18,000 GB200 over 2025-Q3..2026-Q4, six quarters.
    expect(evenShare(18_000, { first: q('2025-Q3'), last: q('2026-Q4') })).toBe(3_000);
    expect(evenShare(100, { first: q('2025-Q1'), last: q('2025-Q3') })).toBe(100 / 3);
    expect(evenShare(50_000, { first: q('2024-Q4'), last: q('2024-Q4') })).toBe(50_000);
  });
});

describe('window overlap', () => {
  const window = { first: q('2025-Q1'), last: q('2025-Q4') };

  it('overlaps a range that shares a quarter, bounds included', () => {
    expect(windowOverlaps(window, q('2025-Q4'), q('2026-Q2'))).toBe(true);
    expect(windowOverlaps(window, q('2024-Q1'), q('2025-Q1'))).toBe(true);
    expect(windowOverlaps(window, q('2026-Q1'), q('2026-Q4'))).toBe(false);
    expect(windowOverlaps(window, q('2024-Q1'), q('2024-Q4'))).toBe(false);
  });

  it('treats a missing bound as open', () => {
    expect(windowOverlaps(window, undefined, undefined)).toBe(true);
    expect(windowOverlaps(window, q('2025-Q3'), undefined)).toBe(true);
    expect(windowOverlaps(window, q('2026-Q1'), undefined)).toBe(false);
    expect(windowOverlaps(window, undefined, q('2024-Q4'))).toBe(false);
  });
});
