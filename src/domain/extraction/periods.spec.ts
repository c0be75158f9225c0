import { describe, expect, it } from 'vitest';
import { CALENDAR_FISCAL_YEAR, type FiscalYear, findPeriods, fiscalYearOf, JAPANESE_FISCAL_YEAR } from './periods.js';

/** The one period in a phrase, as the commitment fields. */
const period = (text: string, publishedOn = '2024-02-28', fiscalYear?: FiscalYear) => {
  const found = findPeriods(text, publishedOn, fiscalYear);
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

  it('reads a month with its year as its quarter, "by" a month as an end only', () => {
    expect(period('in March 2025', '2024-06-01')).toEqual(window('2025-Q1', '2025-Q1'));
    expect(period('by March 2025', '2024-06-01')).toEqual(window(null, '2025-Q1'));
    expect(period('pada Maret 2026', '2025-11-01')).toEqual(window('2026-Q1', '2026-Q1'));
    expect(period('Maret 2024', '2024-05-01')).toEqual(window(null, '2024-Q1'));
    expect(period('en mars 2026', '2025-10-01')).toEqual(window('2026-Q1', '2026-Q1'));
    expect(period('im August 2025', '2025-01-10')).toEqual(window('2025-Q3', '2025-Q3'));
    expect(period('by the end of June 2026', '2025-01-10')).toEqual(window(null, '2026-Q2'));
    expect(period('by March 31, 2026', '2025-01-10')).toEqual(window(null, '2026-Q1'));
    expect(period('2025年3月', '2024-06-01')).toEqual(window('2025-Q1', '2025-Q1'));
    expect(period('2026년 6월까지', '2025-07-01')).toEqual(window(null, '2026-Q2'));
    expect(period('2026年6月末までに', '2025-09-01')).toEqual(window(null, '2026-Q2'));
    expect(period('来年3月までに', '2025-05-01')).toEqual(window(null, '2026-Q1'));
    expect(period('내년 3월', '2025-05-01')).toEqual(window('2026-Q1', '2026-Q1'));
  });

  it('reads a month without a year as its occurrence nearest the publication, and a deadline as the next one', () => {
    // Published November 2024: March 2025 is four months away, March 2024 eight.
    expect(period('in March', '2024-11-10')).toEqual(window('2025-Q1', '2025-Q1'));
    // Published January 2025: December 2024 is one month before, December 2025 eleven after.
    expect(period('in December', '2025-01-10')).toEqual(window(null, '2024-Q4'));
    // Published June 2024: March 2024 is nearer, but "by March" cannot be a deadline already past.
    expect(period('in March', '2024-06-01')).toEqual(window(null, '2024-Q1'));
    expect(period('by March', '2024-06-01')).toEqual(window(null, '2025-Q1'));
    expect(period('3월까지', '2024-06-01')).toEqual(window(null, '2025-Q1'));
  });

  it('takes a month with a day, or a month alone without "in" or "by", for a date rather than a period', () => {
    expect(findPeriods('on March 3, 2025', '2025-03-04')).toEqual([]);
    expect(findPeriods('pada Rabu 27 Februari', '2024-02-28')).toEqual([]);
    expect(findPeriods('2月27日に発表した', '2024-02-28')).toEqual([]);
    expect(findPeriods('the May launch', '2024-02-28')).toEqual([]);
  });

  it('reads "end 2025", "end-2025" and "year-end 2026" as ends', () => {
    expect(period('end 2025', '2025-01-10')).toEqual(window(null, '2025-Q4'));
    expect(period('by end 2025', '2025-01-10')).toEqual(window(null, '2025-Q4'));
    expect(period('by end-2025', '2025-01-10')).toEqual(window(null, '2025-Q4'));
    expect(period('year-end 2026', '2025-01-10')).toEqual(window(null, '2026-Q4'));
    expect(period('bis Ende 2026', '2025-01-10')).toEqual(window(null, '2026-Q4'));
  });

  it('reads mid-year as its middle two quarters, and "by" mid-year as the end of the first half', () => {
    expect(period('mid-2026', '2025-07-01')).toEqual(window('2026-Q2', '2026-Q3'));
    expect(period('in mid-2026', '2025-07-01')).toEqual(window('2026-Q2', '2026-Q3'));
    expect(period('Mitte 2026', '2025-07-01')).toEqual(window('2026-Q2', '2026-Q3'));
    expect(period('by mid-2026', '2025-07-01')).toEqual(window(null, '2026-Q2'));
    expect(period("d'ici mi-2026", '2025-07-01')).toEqual(window(null, '2026-Q2'));
  });

  it('reads halves and quarters written H2 2026, 1H 2026, 2H26, Q3 2026, and Korean, Japanese and German forms', () => {
    expect(period('H2 2026', '2025-10-01')).toEqual(window('2026-Q3', '2026-Q4'));
    expect(period('1H 2026', '2025-10-01')).toEqual(window('2026-Q1', '2026-Q2'));
    expect(period('2H26', '2025-10-01')).toEqual(window('2026-Q3', '2026-Q4'));
    expect(period('Q3 2026', '2025-10-01')).toEqual(window('2026-Q3', '2026-Q3'));
    expect(period('내년 상반기', '2025-03-10')).toEqual(window('2026-Q1', '2026-Q2'));
    expect(period('来年下半期', '2025-03-10')).toEqual(window('2026-Q3', '2026-Q4'));
    expect(period('올해 4분기', '2025-03-10')).toEqual(window('2025-Q4', '2025-Q4'));
    expect(period('im zweiten Halbjahr 2026', '2025-03-10')).toEqual(window('2026-Q3', '2026-Q4'));
    expect(period('im dritten Quartal 2026', '2025-03-10')).toEqual(window('2026-Q3', '2026-Q3'));
  });

  it('reads a span of years from its first year to its last', () => {
    expect(period('in 2026–2027', '2025-01-10')).toEqual(window('2026-Q1', '2027-Q4'));
    expect(period('from 2025 to 2027', '2025-01-10')).toEqual(window(null, '2027-Q4'));
    expect(period('antara 2026 hingga 2028', '2025-01-10')).toEqual(window('2026-Q1', '2028-Q4'));
  });

  it('counts fiscal years as calendar years unless told otherwise', () => {
    expect(period('in FY2025', '2024-11-01', CALENDAR_FISCAL_YEAR)).toEqual(window('2025-Q1', '2025-Q4'));
    expect(period('fiscal 2026', '2024-11-01', CALENDAR_FISCAL_YEAR)).toEqual(window('2026-Q1', '2026-Q4'));
    expect(period('H1 FY2026', '2024-11-01', CALENDAR_FISCAL_YEAR)).toEqual(window('2026-Q1', '2026-Q2'));
    expect(period('FY25 Q3', '2024-11-01', CALENDAR_FISCAL_YEAR)).toEqual(window('2025-Q3', '2025-Q3'));
    expect(period('by the end of FY2026', '2025-03-01', CALENDAR_FISCAL_YEAR)).toEqual(window(null, '2026-Q4'));
  });

  it('counts Japanese fiscal years from April, named by the year they start in', () => {
    expect(period('FY2025 first half', '2024-06-01', JAPANESE_FISCAL_YEAR)).toEqual(window('2025-Q2', '2025-Q3'));
    expect(period('FY2025', '2024-06-01', JAPANESE_FISCAL_YEAR)).toEqual(window('2025-Q2', '2026-Q1'));
  });

  it('counts a fiscal year the text states from its first month, named by the year it ends in', () => {
    // Ending in June: FY2026 runs July 2025 – June 2026, its second half January – June 2026.
    const endingJune = fiscalYearOf('Microsoft, whose fiscal year ends in June, said so.', 'en');
    expect(endingJune).toEqual({ startMonth: 7, namedBy: 'end' });
    expect(period('the second half of fiscal 2026', '2025-08-01', endingJune)).toEqual(window('2026-Q1', '2026-Q2'));
    expect(period('FY2026', '2025-08-01', endingJune)).toEqual(window(null, '2026-Q2'));
    // Ending in January: FY2025 runs February 2024 – January 2025; its third quarter is August – October 2024.
    const endingJanuary = fiscalYearOf('for the fiscal year that ends in January', 'en');
    expect(endingJanuary).toEqual({ startMonth: 2, namedBy: 'end' });
    expect(period('Q3 FY2025', '2024-06-01', endingJanuary)).toEqual(window('2024-Q3', '2024-Q4'));
    expect(fiscalYearOf('its fiscal year begins in April', 'en')).toEqual({ startMonth: 4, namedBy: 'end' });
    expect(fiscalYearOf('FY2025', 'ja')).toEqual(JAPANESE_FISCAL_YEAR);
    expect(fiscalYearOf('FY2025', 'en')).toEqual(CALENDAR_FISCAL_YEAR);
  });

  it('does not read the month of a fiscal-year statement as a delivery period', () => {
    expect(findPeriods('whose fiscal year ends in June', '2025-08-01')).toEqual([]);
  });

  it('finds nothing in a text without a period, and gives offsets into the text', () => {
    expect(findPeriods('Meta ordered H100 GPUs.', '2024-02-28')).toEqual([]);
    const text = 'Meta will deploy them by the end of this year.';
    const [found] = findPeriods(text, '2024-02-28');
    expect(text.slice(found.start, found.end)).toBe('by the end of this year');
  });
});
