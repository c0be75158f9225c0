import { describe, expect, it } from 'vitest';
import {
  addQuarters,
  compareQuarters,
  isQuarter,
  quarterFirstDay,
  quarterFromIndex,
  quarterIndex,
  quarterOfDate,
  quarterRange,
} from './quarter.js';

describe('quarters', () => {
  it('parses YYYY-Qn into a single index and back', () => {
    expect(quarterIndex('2024-Q1')).toBe(2024 * 4);
    expect(quarterIndex('2024-Q4')).toBe(2024 * 4 + 3);
    expect(quarterFromIndex(2024 * 4 + 3)).toBe('2024-Q4');
    expect(quarterFromIndex(quarterIndex('1999-Q2'))).toBe('1999-Q2');
  });

  it('rejects what is not a quarter', () => {
    for (const bad of ['2024-Q5', '2024-Q0', '2024Q1', '24-Q1', '2024-q1', '', ' 2024-Q1']) {
      expect(isQuarter(bad), bad).toBe(false);
      expect(() => quarterIndex(bad), bad).toThrow(RangeError);
    }
    expect(isQuarter(20241)).toBe(false);
  });

  it('finds the calendar quarter of a date without time-zone shifts', () => {
    expect(quarterOfDate('2024-01-01')).toBe('2024-Q1');
    expect(quarterOfDate('2024-03-31')).toBe('2024-Q1');
    expect(quarterOfDate('2024-04-01')).toBe('2024-Q2');
    expect(quarterOfDate('2024-09-30')).toBe('2024-Q3');
    expect(quarterOfDate('2024-12-31')).toBe('2024-Q4');
    expect(() => quarterOfDate('2024-13-01')).toThrow(RangeError);
  });

  it('names the first day of a quarter, which the quarter of that day gives back', () => {
    expect(quarterFirstDay('2024-Q1')).toBe('2024-01-01');
    expect(quarterFirstDay('2024-Q3')).toBe('2024-07-01');
    expect(quarterFirstDay('1999-Q4')).toBe('1999-10-01');
    for (const quarter of ['2023-Q2', '2030-Q4', '2100-Q1']) expect(quarterOfDate(quarterFirstDay(quarter))).toBe(quarter);
  });

  it('adds, compares and lists quarters across year ends', () => {
    expect(addQuarters('2024-Q4', 1)).toBe('2025-Q1');
    expect(addQuarters('2025-Q1', -2)).toBe('2024-Q3');
    expect(compareQuarters('2024-Q4', '2025-Q1')).toBe(-1);
    expect(compareQuarters('2025-Q1', '2025-Q1')).toBe(0);
    expect(quarterRange('2024-Q3', '2025-Q2')).toEqual(['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
    expect(quarterRange('2025-Q1', '2025-Q1')).toEqual(['2025-Q1']);
    expect(quarterRange('2025-Q2', '2025-Q1')).toEqual([]);
  });
});
