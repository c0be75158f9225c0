import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findNumbers, parseCjkNumber, parseDigits } from './numbers.js';

const read = (text: string) => findNumbers(text).map(({ value, role, qualifier }) => ({ value, role, qualifier }));
const count = (value: number, qualifier = 'exact') => ({ value, role: 'count', qualifier });

describe('parseDigits', () => {
  it('reads a group of three digits after a separator as thousands, anything else as a decimal', () => {
    expect(parseDigits('350,000')).toBe(350000);
    expect(parseDigits('350.000')).toBe(350000);
    expect(parseDigits('350 000')).toBe(350000);
    expect(parseDigits('1.234.567')).toBe(1234567);
    expect(parseDigits('1.5')).toBe(1.5);
    expect(parseDigits('1,5')).toBe(1.5);
  });
});

describe('parseCjkNumber', () => {
  it('reads 만/万 as ten thousand and 천/千 as a thousand', () => {
    expect(parseCjkNumber('26만')).toBe(260000);
    expect(parseCjkNumber('6만5천')).toBe(65000);
    expect(parseCjkNumber('4만5000')).toBe(45000);
    expect(parseCjkNumber('1万')).toBe(10000);
    expect(parseCjkNumber('1億2000万')).toBe(120000000);
  });
});

describe('findNumbers', () => {
  it('reads the number formats of English, Indonesian, French, Korean and Japanese sources', () => {
    expect(read('350,000 GPUs')).toEqual([count(350000)]);
    expect(read('350.000 unit')).toEqual([count(350000)]);
    expect(read('350 000 GPU')).toEqual([count(350000)]);
    expect(read('18 000 puces')).toEqual([count(18000)]);
    expect(read('350k H100s')).toEqual([count(350000)]);
    expect(read('1.5 million chips')).toEqual([count(1500000)]);
    expect(read('1,5 juta GPU')).toEqual([count(1500000)]);
    expect(read('350 ribu GPU')).toEqual([count(350000)]);
    expect(read('2.304 unit')).toEqual([count(2304)]);
    expect(read('26만 장')).toEqual([count(260000)]);
    expect(read('6만5천 장')).toEqual([count(65000)]);
    expect(read('4만5000개')).toEqual([count(45000)]);
    expect(read('約1万基')).toEqual([count(10000, 'approximate')]);
    expect(read('one million TPUs')).toEqual([count(1000000)]);
    expect(read('sejuta GPU')).toEqual([count(1000000)]);
  });

  it('gives each number the qualifier of the words around it', () => {
    expect(read('about 350,000')).toEqual([count(350000, 'approximate')]);
    expect(read('sekitar 350.000')).toEqual([count(350000, 'approximate')]);
    expect(read('kurang lebih 20 ribu')).toEqual([count(20000, 'approximate')]);
    expect(read('up to 1M')).toEqual([count(1000000, 'up_to')]);
    expect(read('hingga 5.000')).toEqual([count(5000, 'up_to')]);
    expect(read('sampai 5.000')).toEqual([count(5000, 'up_to')]);
    expect(read('at least 10,000')).toEqual([count(10000, 'at_least')]);
    expect(read('setidaknya 10.000')).toEqual([count(10000, 'at_least')]);
    expect(read('minimal 10.000')).toEqual([count(10000, 'at_least')]);
    expect(read('more than 400,000')).toEqual([count(400000, 'at_least')]);
    expect(read('lebih dari 1.000')).toEqual([count(1000, 'at_least')]);
    expect(read('2000基以上')).toEqual([count(2000, 'at_least')]);
    expect(read('environ 5 000')).toEqual([count(5000, 'approximate')]);
  });

  it('never takes a year, a price, a percentage or a model number for a count', () => {
    expect(read('in 2024')).toEqual([{ value: 2024, role: 'year', qualifier: 'exact' }]);
    expect(read('US$200 juta')).toEqual([{ value: 200000000, role: 'price', qualifier: 'exact' }]);
    expect(read('$10 billion')).toEqual([{ value: 10000000000, role: 'price', qualifier: 'exact' }]);
    expect(read('10억 달러')).toEqual([{ value: 1000000000, role: 'price', qualifier: 'exact' }]);
    expect(read('2 000 euros')).toEqual([{ value: 2000, role: 'price', qualifier: 'exact' }]);
    expect(read('rose 40%')).toEqual([{ value: 40, role: 'percent', qualifier: 'exact' }]);
    expect(read('80 persen')).toEqual([{ value: 80, role: 'percent', qualifier: 'exact' }]);
    expect(read('H100 and MI300X')).toEqual([]);
    expect(read('27 Februari')).toEqual([{ value: 27, role: 'other', qualifier: 'exact' }]);
    expect(read('sekitar 10 tahun')).toEqual([{ value: 10, role: 'other', qualifier: 'approximate' }]);
    expect(read('80 GB of memory')).toEqual([{ value: 80, role: 'other', qualifier: 'exact' }]);
  });

  it('keeps a year-like number that counts GPUs', () => {
    expect(read('2048 GPUs')).toEqual([count(2048)]);
  });

  it('reads German multipliers and qualifiers', () => {
    expect(read('1,5 Millionen GPUs')).toEqual([count(1500000)]);
    expect(read('rund 10.000 GPUs')).toEqual([count(10000, 'approximate')]);
    expect(read('bis zu 5.000 Chips')).toEqual([count(5000, 'up_to')]);
    expect(read('mindestens 2.000 GPUs')).toEqual([count(2000, 'at_least')]);
    expect(read('2 Mrd. Dollar')).toEqual([{ value: 2000000000, role: 'price', qualifier: 'exact' }]);
  });

  it('gives the offsets of the number as written', () => {
    const text = 'Meta: sekitar 350.000 unit';
    const [mention] = findNumbers(text);
    expect(text.slice(mention.start, mention.end)).toBe('350.000');
  });
});

/** The ranges in a text: the words they cover, the midpoint and the bounds. */
const ranges = (text: string) =>
  findNumbers(text)
    .filter((number) => number.range !== null)
    .map((number) => ({ text: text.slice(number.start, number.end), value: number.value, ...number.range, role: number.role }));
const range = (text: string, low: number, high: number, role = 'count') => ({ text, value: (low + high) / 2, low, high, role });

describe('findNumbers on ranges', () => {
  it('reads a range as one number: the midpoint, approximate, with its bounds', () => {
    expect(read('between 300,000 and 400,000 GPUs')).toEqual([count(350000, 'approximate')]);
    expect(ranges('between 300,000 and 400,000 GPUs')).toEqual([range('300,000 and 400,000', 300000, 400000)]);
    expect(ranges('antara 300.000 hingga 400.000 unit')).toEqual([range('300.000 hingga 400.000', 300000, 400000)]);
    expect(ranges('antara 300.000 dan 400.000 unit')).toEqual([range('300.000 dan 400.000', 300000, 400000)]);
    expect(ranges('300.000 sampai 400.000 unit')).toEqual([range('300.000 sampai 400.000', 300000, 400000)]);
    expect(ranges('30万〜40万基')).toEqual([range('30万〜40万', 300000, 400000)]);
    expect(ranges('30만~40만 장')).toEqual([range('30만~40만', 300000, 400000)]);
    expect(ranges('300,000–400,000 H100')).toEqual([range('300,000–400,000', 300000, 400000)]);
    expect(ranges('300,000-400,000 H100')).toEqual([range('300,000-400,000', 300000, 400000)]);
    expect(ranges('300,000 to 400,000 chips')).toEqual([range('300,000 to 400,000', 300000, 400000)]);
    expect(ranges('entre 10 000 et 20 000 GPU')).toEqual([range('10 000 et 20 000', 10000, 20000)]);
    expect(ranges('zwischen 300.000 und 400.000 GPUs')).toEqual([range('300.000 und 400.000', 300000, 400000)]);
  });

  it("gives the lower bound the upper bound's multiplier where it is written without one", () => {
    expect(ranges('3-4 million GPUs')).toEqual([range('3-4 million', 3000000, 4000000)]);
    expect(ranges('30〜40万基')).toEqual([range('30〜40万', 300000, 400000)]);
    expect(ranges('between 500 and 2 million GPUs')).toEqual([range('500 and 2 million', 500, 2000000)]);
  });

  it('rounds the midpoint to whole units, inside the bounds', () => {
    expect(ranges('between 1,001 and 1,002 GPUs')).toEqual([
      { text: '1,001 and 1,002', value: 1002, low: 1001, high: 1002, role: 'count' },
    ]);
  });

  it('does not read a change, a list, a descending pair, years or a date as a range', () => {
    expect(read('from 100,000 to 200,000 GPUs')).toEqual([count(100000), count(200000)]);
    expect(read('dari 100.000 hingga 200.000 GPU')).toEqual([count(100000), count(200000, 'up_to')]);
    expect(read('10,000 and 20,000')).toEqual([count(10000), count(20000)]);
    expect(ranges('400,000-300,000')).toEqual([]);
    expect(ranges('in 2024-2025')).toEqual([]);
    expect(read('2024-03-01').map((number) => number.role)).toEqual(['other', 'other', 'other']);
  });

  it('keeps the role of what the range counts: a price range is a price, a span of years is not a count', () => {
    expect(ranges('$300-400 million')).toEqual([range('300-400 million', 300000000, 400000000, 'price')]);
    expect(ranges('1-2 years')).toEqual([{ text: '1-2', value: 2, low: 1, high: 2, role: 'other' }]);
  });

  it('keeps every range ordered, with its value inside it, for any pair of numbers and any join', () => {
    const number = fc.oneof(
      fc.integer({ min: 0, max: 9_999_999 }).map((value) => value.toLocaleString('en-US')),
      fc.integer({ min: 0, max: 999 }).map(String),
      fc.integer({ min: 1, max: 99 }).map((value) => `${value}万`),
      fc.integer({ min: 1, max: 99 }).map((value) => `${value} million`),
    );
    const join = fc.constantFrom('-', '–', '~', '〜', ' to ', ' and ', ' hingga ', ' dan ', ' et ', ' und ', ' bis ', ' ');
    const before = fc.constantFrom('', 'between ', 'antara ', 'from ', 'about ', 'up to ', '$');
    fc.assert(
      fc.property(before, number, join, number, (prefix, low, joiner, high) => {
        const text = `${prefix}${low}${joiner}${high} GPUs`;
        for (const found of findNumbers(text)) {
          expect(text.slice(found.start, found.end).length).toBe(found.end - found.start);
          if (found.range === null) continue;
          expect(found.range.low).toBeLessThan(found.range.high);
          expect(found.value).toBeGreaterThanOrEqual(found.range.low);
          expect(found.value).toBeLessThanOrEqual(found.range.high);
          expect(found.qualifier).toBe('approximate');
        }
      }),
    );
  });
});
