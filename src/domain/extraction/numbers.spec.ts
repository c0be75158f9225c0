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

  it('gives the offsets of the number as written', () => {
    const text = 'Meta: sekitar 350.000 unit';
    const [mention] = findNumbers(text);
    expect(text.slice(mention.start, mention.end)).toBe('350.000');
  });
});
