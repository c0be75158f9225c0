import { describe, expect, it } from 'vitest';
import { findPeriods } from './periods.js';

/** The one period in a phrase, as the commitment fields. */
const period = (text: string, publishedOn = '2024-02-28') => {
  const found = findPeriods(text, publishedOn);
  expect(found).toHaveLength(1);
  return { deliveryFrom: found[0].deliveryFrom, deliveryBy: found[0].deliveryBy };
};
const window = (deliveryFrom: string | null, deliveryBy: string) => ({ deliveryFrom, deliveryBy });

describe('findPeriods', () => {
  it('reads "by the end of this year" from the publication date, leaving the start to the default', () => {
    expect(period('by the end of this year')).toEqual(window(null, '2024-Q4'));
    expect(period('pada akhir tahun ini')).toEqual(window(null, '2024-Q4'));
    expect(period('by year-end')).toEqual(window(null, '2024-Q4'));
    expect(period("d'ici la fin de l'année")).toEqual(window(null, '2024-Q4'));
    expect(period('by the end of 2025')).toEqual(window(null, '2025-Q4'));
    expect(period('hingga akhir 2025')).toEqual(window(null, '2025-Q4'));
  });

  it('reads "this year" as the rest of the year from the publication', () => {
    expect(period('this year')).toEqual(window(null, '2024-Q4'));
    expect(period('tahun ini')).toEqual(window(null, '2024-Q4'));
    expect(period('this year', '2024-08-15')).toEqual(window(null, '2024-Q4'));
  });

  it('reads next year, a named year and "by" a year', () => {
    expect(period('next year')).toEqual(window('2025-Q1', '2025-Q4'));
    expect(period('tahun depan')).toEqual(window('2025-Q1', '2025-Q4'));
    expect(period('in 2026')).toEqual(window('2026-Q1', '2026-Q4'));
    expect(period('pada 2027')).toEqual(window('2027-Q1', '2027-Q4'));
    expect(period('by 2026')).toEqual(window(null, '2026-Q4'));
    expect(period('hingga 2026')).toEqual(window(null, '2026-Q4'));
    expect(period("d'ici 2026")).toEqual(window(null, '2026-Q4'));
  });

  it('reads halves and quarters, of this year unless a year is named', () => {
    expect(period('in the second half')).toEqual(window('2024-Q3', '2024-Q4'));
    expect(period('paruh kedua tahun ini')).toEqual(window('2024-Q3', '2024-Q4'));
    expect(period('second half of 2025')).toEqual(window('2025-Q3', '2025-Q4'));
    expect(period('semester kedua 2024')).toEqual(window('2024-Q3', '2024-Q4'));
    expect(period('2025년 하반기')).toEqual(window('2025-Q3', '2025-Q4'));
    expect(period('the third quarter')).toEqual(window('2024-Q3', '2024-Q3'));
    expect(period('kuartal ketiga')).toEqual(window('2024-Q3', '2024-Q3'));
    expect(period('kuartal III 2025')).toEqual(window('2025-Q3', '2025-Q3'));
    expect(period('Q4 2025')).toEqual(window('2025-Q4', '2025-Q4'));
    expect(period('3분기')).toEqual(window('2024-Q3', '2024-Q3'));
    expect(period('by the third quarter')).toEqual(window(null, '2024-Q3'));
    expect(period('by mid-2025')).toEqual(window(null, '2025-Q2'));
  });

  it('leaves the start to the default for a period wholly in the past (a report of deliveries made)', () => {
    expect(period('in the fourth quarter of 2024', '2025-01-20')).toEqual(window(null, '2024-Q4'));
    expect(period('in 2023', '2024-01-19')).toEqual(window('2023-Q1', '2023-Q4'));
  });

  it('converts Japanese fiscal periods (from April) to calendar quarters', () => {
    expect(period('2025年度上期')).toEqual(window('2025-Q2', '2025-Q3'));
    expect(period('2025年度下期')).toEqual(window('2025-Q4', '2026-Q1'));
    expect(period('2025年度')).toEqual(window('2025-Q2', '2026-Q1'));
    expect(period('2025年度第4四半期')).toEqual(window('2026-Q1', '2026-Q1'));
    expect(period('2025年度上期までに')).toEqual(window(null, '2025-Q3'));
  });

  it('finds nothing in a text without a period, and gives offsets into the text', () => {
    expect(findPeriods('Meta ordered H100 GPUs.', '2024-02-28')).toEqual([]);
    const text = 'Meta will deploy them by the end of this year.';
    const [found] = findPeriods(text, '2024-02-28');
    expect(text.slice(found.start, found.end)).toBe('by the end of this year');
  });
});
