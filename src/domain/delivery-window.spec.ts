import { describe, expect, it } from 'vitest';
import { deliveryWindow, windowQuarters } from './delivery-window.js';

const window = (announcedOn: string, deliveryFrom: string | null, deliveryBy: string | null) =>
  windowQuarters(deliveryWindow({ announcedOn, deliveryFrom, deliveryBy }));

describe('delivery window', () => {
  it('starts in the quarter of the announcement when only deliveryBy is given', () => {
    // Meta, 18 January 2024: 350,000 H100 by the end of the year.
    expect(window('2024-01-18', null, '2024-Q4')).toEqual({ from: '2024-Q1', to: '2024-Q4' });
  });

  it('starts at deliveryBy when that is before the announcement (deliveries already made)', () => {
    // Tesla, 29 January 2025: 50,000 H100 deployed in Q4 2024.
    expect(window('2025-01-29', null, '2024-Q4')).toEqual({ from: '2024-Q4', to: '2024-Q4' });
  });

  it('ends at deliveryFrom when deliveryBy is missing, and is the announcement quarter when both are', () => {
    expect(window('2024-09-11', '2025-Q1', null)).toEqual({ from: '2025-Q1', to: '2025-Q1' });
    expect(window('2024-09-02', null, null)).toEqual({ from: '2024-Q3', to: '2024-Q3' });
  });

  it('keeps an explicit window as given', () => {
    expect(window('2025-06-11', '2025-Q3', '2026-Q4')).toEqual({ from: '2025-Q3', to: '2026-Q4' });
  });
});
