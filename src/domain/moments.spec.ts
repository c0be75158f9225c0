import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endOfDay, parseMoment, stepDates } from './moments.js';

describe('parseMoment', () => {
  it('reads a date as the last microsecond of that UTC day', () => {
    expect(parseMoment('2025-06-30')).toEqual({ at: '2025-06-30T23:59:59.999999Z', epochMs: Date.UTC(2025, 6, 1) });
    expect(parseMoment('2024-02-29')?.at).toBe('2024-02-29T23:59:59.999999Z');
  });

  it('reads a date-time in UTC unless it names an offset, to the microsecond', () => {
    expect(parseMoment('2025-06-01T10:00')?.at).toBe('2025-06-01T10:00:00.000000Z');
    expect(parseMoment('2025-06-01T10:00:05.5Z')?.at).toBe('2025-06-01T10:00:05.500000Z');
    expect(parseMoment('2025-06-01T10:00:05.123456+02:00')?.at).toBe('2025-06-01T08:00:05.123456Z');
    expect(parseMoment('2025-06-01T00:30:00-0100')?.at).toBe('2025-06-01T01:30:00.000000Z');
  });

  it('refuses what is not a real date or time', () => {
    for (const value of [
      'soon',
      '2025-02-30',
      '2023-02-29',
      '2025-13-01',
      '2025-06-01T24:00',
      '2025-06-01 10:00',
      '2025-06-01T10:00+15:00',
      '',
    ]) {
      expect(parseMoment(value), value).toBeNull();
    }
  });

  it('gives every real date-time back as the same instant', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (date) => {
        const moment = parseMoment(date.toISOString())!;
        expect(Date.parse(moment.at)).toBe(date.getTime());
        expect(moment.epochMs).toBe(date.getTime() + 1);
      }),
    );
  });

  it('ends a day one millisecond before the next day begins', () => {
    expect(endOfDay('2025-12-31').epochMs).toBe(Date.UTC(2026, 0, 1));
  });
});

describe('stepDates', () => {
  it('gives every day, each week ending on Sunday, or each month end, and always the last date', () => {
    expect(stepDates('2025-01-30', '2025-02-02', 'day')).toEqual(['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02']);
    // 2025-03-02 and 2025-03-09 are Sundays.
    expect(stepDates('2025-03-01', '2025-03-11', 'week')).toEqual(['2025-03-02', '2025-03-09', '2025-03-11']);
    expect(stepDates('2024-01-15', '2024-04-10', 'month')).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-10']);
    expect(stepDates('2025-05-05', '2025-05-05', 'month')).toEqual(['2025-05-05']);
  });
});
