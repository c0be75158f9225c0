import { matchesOf } from './matches.js';
import type { QuantityQualifier } from '../vocabulary.js';

/**
 * Numbers as sources write them, in English, Indonesian, French, German, Korean and Japanese, with what they are:
 * a count (a candidate quantity), a year, a price, a percentage, or something else (a date, a size, a duration).
 */
export type NumberRole = 'count' | 'year' | 'price' | 'percent' | 'other';

export interface NumberMention {
  start: number;
  end: number;
  /** The number; for a range, its midpoint. */
  value: number;
  role: NumberRole;
  qualifier: QuantityQualifier;
  /** The bounds a range states ("between 300,000 and 400,000", "30万〜40万"); null for a single number. */
  range: { low: number; high: number } | null;
}

const LATIN_MULTIPLIERS: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  ribu: 1e3,
  rb: 1e3,
  mille: 1e3,
  m: 1e6,
  mn: 1e6,
  million: 1e6,
  millions: 1e6,
  juta: 1e6,
  jt: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  billions: 1e9,
  miliar: 1e9,
  milyar: 1e9,
  milliard: 1e9,
  milliards: 1e9,
  trillion: 1e12,
  triliun: 1e12,
  tausend: 1e3,
  millionen: 1e6,
  mio: 1e6,
  milliarde: 1e9,
  milliarden: 1e9,
  mrd: 1e9,
};

const CJK_UNITS: Record<string, number> = {
  十: 10,
  십: 10,
  百: 100,
  백: 100,
  千: 1e3,
  천: 1e3,
  万: 1e4,
  萬: 1e4,
  만: 1e4,
  億: 1e8,
  억: 1e8,
  兆: 1e12,
  조: 1e12,
};
const CJK_GROUP_UNITS = new Set([1e4, 1e8, 1e12]);

const WORD_NUMBERS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  'half a': 0.5,
  satu: 1,
  dua: 2,
  tiga: 3,
  empat: 4,
  lima: 5,
  setengah: 0.5,
};

/** `\d{1,3}` then groups of three after one separator used throughout: "350,000", "350.000", "350 000". */
const GROUPED = String.raw`\d{1,3}(?:(?<sep>[,. \u00A0\u202F])\d{3})(?:\k<sep>\d{3})*`;
const GROUPED_ONLY = new RegExp(`^${GROUPED}$`, 'u');
const PLAIN = String.raw`\d+(?:[.,]\d+)?`;
const MULTIPLIER = String.raw`(?:\s?(?:thousand|ribu|rb|mille|million|millions|juta|jt|mn|billion|billions|bn|miliar|milyar|milliards?|trillion|triliun|[Tt]ausend|[Mm]illionen|[Mm]io\.?|[Mm]illiarden?|[Mm]rd\.?)(?![\p{L}])|(?:k|K|M|B|bn)(?![\p{L}\p{N}]))`;
// A hyphen before a number is allowed only after a digit, where it joins a range ("300,000-400,000").
const LATIN_NUMBER = new RegExp(
  String.raw`(?<![\p{Script=Latin}\p{N}_/])(?<!(?:^|[^\p{N}])-)(?<digits>${GROUPED}|${PLAIN})(?![.,]\d)(?<multiplier>${MULTIPLIER})?`,
  'gu',
);
const WORD_NUMBER = new RegExp(
  String.raw`(?<![\p{L}])(?<word>half a|an?|one|two|three|four|five|six|seven|eight|nine|ten|satu|dua|tiga|empat|lima|setengah)\s(?<multiplier>thousand|million|juta|ribu)(?![\p{L}])|(?<![\p{L}])se(?<seMultiplier>ribu|juta)(?![\p{L}])`,
  'giu',
);
const CJK_NUMBER = /(?:\d[\d,]*(?:\.\d+)?\s?[十십百백千천万萬만億억兆조])+\d*/gu;

/** Parses "350,000", "350.000", "350 000", "1.5", "1,5": a group of three after a separator is thousands. */
export function parseDigits(digits: string): number {
  if (GROUPED_ONLY.test(digits)) return Number(digits.replace(/[,. \u00A0\u202F]/g, ''));
  return Number(digits.replace(',', '.'));
}

const CJK_PART = /(\d[\d,]*(?:\.\d+)?)?\s?([十십百백千천万萬만億억兆조])?/gu;

/** Parses Korean and Japanese numbers with 万/만 (10⁴), 億/억 (10⁸), 千/천 (10³): "26만", "6만5천", "4만5000", "1万". */
export function parseCjkNumber(text: string): number {
  let total = 0;
  let group = 0;
  for (const match of matchesOf(CJK_PART, text)) {
    if (match[1] === undefined && match[2] === undefined) continue;
    const value = match[1] === undefined ? 1 : Number(match[1].replace(/,/g, ''));
    const unit = match[2] === undefined ? 1 : CJK_UNITS[match[2]];
    if (CJK_GROUP_UNITS.has(unit)) {
      total += (group + value) * unit;
      group = 0;
    } else {
      group += value * unit;
    }
  }
  return Math.round(total + group);
}

const APPROXIMATE_BEFORE =
  /(?:about|around|approximately|approx\.?|roughly|some|nearly|almost|circa|an estimated|estimated|sekitar|kurang lebih|kira-kira|lebih kurang|hampir|environ|près de|pres de|quelque|autour de|rund|etwa|ungefähr|circa|ca\.|knapp|약|約|およそ|~)\s*$/iu;
const UP_TO_BEFORE =
  /(?:up to|as many as|hingga|sampai dengan|sampai|maksimal|paling banyak|jusqu'à|jusqu’à|bis zu|höchstens|최대|最大|fewer than|less than|kurang dari|weniger als)\s*$/iu;
const AT_LEAST_BEFORE =
  /(?:at least|no fewer than|no less than|setidaknya|sedikitnya|minimal|paling sedikit|au moins|mindestens|최소|少なくとも|more than|over|in excess of|upwards of|above|lebih dari|plus de|mehr als|über)\s*$/iu;
const COUNTER = String.raw`(?:\s?(?:장|개|대|基|台|個|枚))?`;
const AT_LEAST_AFTER = new RegExp(String.raw`^${COUNTER}(?:\+|\s?or more|\s?이상|\s?以上|\s?dan lebih)`, 'u');
const APPROXIMATE_AFTER = new RegExp(String.raw`^(?:여|余|${COUNTER}(?:\s?정도|\s?程度|\s?前後))`, 'u');

/** The qualifier that the words right before and after a number give it; a plain number is exact. */
export function qualifierAround(before: string, after: string): QuantityQualifier {
  if (AT_LEAST_AFTER.test(after)) return 'at_least';
  if (APPROXIMATE_AFTER.test(after)) return 'approximate';
  if (APPROXIMATE_BEFORE.test(before)) return 'approximate';
  if (UP_TO_BEFORE.test(before)) return 'up_to';
  if (AT_LEAST_BEFORE.test(before)) return 'at_least';
  return 'exact';
}

const CURRENCY_BEFORE = /(?:US\$|S\$|A\$|\$|USD|US dollars?|Rp\.?|IDR|€|EUR|£|GBP|¥|JPY|₩|KRW|¥)\s?$/iu;
const CURRENCY_AFTER =
  /^\s?(?:dollars?|dolar|USD|US\$|euros?|EUR|€|won|원|yen|円|rupiah|달러|ドル|pounds?|yuan|元)(?![\p{Script=Latin}])/iu;
const PERCENT_AFTER = /^\s?(?:%|％|percent|per cent|persen|pour cent|퍼센트|パーセント)/iu;
const MONTHS =
  'jan(?:uary|uari|vier)?|feb(?:ruary|ruari)?|f[ée]vrier|mar(?:ch|et)?|mars|apr(?:il)?|avril|may|mei|mai|jun[ei]?|juin|jul[iy]?|juillet|aug(?:ust)?|agustus|ao[uû]t|sep(?:t|tember)?|septembre|oct(?:ober)?|okt(?:ober)?|octobre|nov(?:ember)?|novembre|dec(?:ember)?|des(?:ember)?|d[ée]cembre';
const DATE_BEFORE = new RegExp(String.raw`(?:\b(?:${MONTHS})\.?\s)$`, 'iu');
const OTHER_AFTER = new RegExp(
  String.raw`^(?:\s?(?:MW|GW|kW|W|megawatts?|gigawatts?|TB|GB|PB|nm|exaflops?|petaflops?|tflops?|years?|tahun|months?|bulan|weeks?|minggu|days?|hari|ans?|mois|jours?|hours?|jam|km|kilometres?|kilometers?|meters?|m²|sq|jahren?|monaten?|wochen|tagen?|stunden)(?![\p{Script=Latin}\p{N}])|\s?(?:${MONTHS})(?![\p{Script=Latin}])|\s?(?:년|年|월|月|日|일|개월|か月|ヶ月|분기|四半期)|[:/\-]\d)`,
  'iu',
);
/** Words after a year-like number that make it a count: "2048 GPUs". */
const COUNT_NOUN_AFTER =
  /^\s?(?:GPUs?|units?|unit|chips?|accelerators?|cards?|buah|keping|puces?|cartes?|Stück|Grafikprozessoren|Beschleuniger|장|개|대|基|台|個|枚)(?![\p{Script=Latin}])/iu;

function roleOf(text: string, start: number, end: number, value: number, grouped: boolean, multiplied: boolean): NumberRole {
  const before = text.slice(Math.max(0, start - 12), start);
  const after = text.slice(end, end + 16);
  if (CURRENCY_BEFORE.test(before) || CURRENCY_AFTER.test(after)) return 'price';
  if (PERCENT_AFTER.test(after)) return 'percent';
  // After "digit-" and not part of a range: a date or a code ("2024-03-01").
  if (DATE_BEFORE.test(before) || OTHER_AFTER.test(after) || /\d-$/u.test(before)) return 'other';
  if (!grouped && !multiplied && Number.isInteger(value) && value >= 1900 && value <= 2100 && !COUNT_NOUN_AFTER.test(after)) return 'year';
  if (!Number.isInteger(value) || value <= 0) return 'other';
  return 'count';
}

/** A number as read, before its role: `multiplier` is the word or unit that scales it ("million", "万"), else 1. */
interface Reading {
  start: number;
  end: number;
  value: number;
  grouped: boolean;
  multiplier: number;
}

/** Before the first number of a range: "between". After "from", two numbers are a change ("from 100,000 to 200,000"). */
const RANGE_BETWEEN = /(?:between|antara|entre|zwischen)\s$/iu;
const RANGE_FROM = /(?:from|dari|de|von)\s$/iu;
/** What joins the two numbers of a range; "and" only after "between". */
const RANGE_JOIN = /^(?:\s?[-–—~〜～]\s?|\s(?:to|hingga|sampai(?:\sdengan)?|à|bis)\s)$/iu;
const RANGE_AND = /^\s(?:and|dan|et|und)\s$/iu;
const isYear = (reading: Reading) =>
  !reading.grouped && reading.multiplier === 1 && Number.isInteger(reading.value) && reading.value >= 1900 && reading.value <= 2100;

/**
 * Two adjacent readings that state a range, as its bounds: a lower bound written without the upper bound's
 * multiplier takes it where that keeps it below ("3-4 million", "30〜40万"). Null for anything else.
 */
function rangeOf(text: string, low: Reading, high: Reading): { low: number; high: number } | null {
  const join = text.slice(low.end, high.start);
  const before = text.slice(Math.max(0, low.start - 10), low.start);
  if (RANGE_FROM.test(before)) return null;
  if (!RANGE_JOIN.test(join) && !(RANGE_AND.test(join) && RANGE_BETWEEN.test(before))) return null;
  if (isYear(low) || isYear(high)) return null;
  const scaled = low.multiplier === 1 && high.multiplier !== 1 && low.value * high.multiplier <= high.value;
  const lowValue = scaled ? low.value * high.multiplier : low.value;
  if (!(lowValue > 0 && lowValue < high.value)) return null;
  return { low: lowValue, high: high.value };
}

const CJK_UNIT_AT_END = /([十십百백千천万萬만億억兆조])\d*$/u;

/**
 * Every number in the text, in order, with its value, role and qualifier; a range as one number (its midpoint,
 * approximate) with its bounds. Overlapping readings keep the first found.
 */
export function findNumbers(text: string): NumberMention[] {
  const readings: Reading[] = [];
  const taken = new Uint8Array(text.length);
  const add = (start: number, end: number, value: number, grouped: boolean, multiplier: number) => {
    if (taken.subarray(start, end).includes(1)) return;
    taken.fill(1, start, end);
    readings.push({ start, end, value, grouped, multiplier });
  };

  for (const match of matchesOf(CJK_NUMBER, text)) {
    const start = match.index;
    const previous = text[start - 1];
    if (previous !== undefined && /[\p{Script=Latin}_]/u.test(previous)) continue;
    const unit = CJK_UNIT_AT_END.exec(match[0])?.[1];
    add(start, start + match[0].length, parseCjkNumber(match[0]), true, unit === undefined ? 1 : CJK_UNITS[unit]);
  }
  for (const match of matchesOf(WORD_NUMBER, text)) {
    const groups = match.groups ?? {};
    const multiplier = LATIN_MULTIPLIERS[(groups.multiplier ?? groups.seMultiplier).toLowerCase()];
    const base = groups.word === undefined ? 1 : WORD_NUMBERS[groups.word.toLowerCase()];
    add(match.index, match.index + match[0].length, Math.round(base * multiplier), false, multiplier);
  }
  for (const match of matchesOf(LATIN_NUMBER, text)) {
    const groups = match.groups ?? {};
    const digits = groups.digits;
    const multiplierText = groups.multiplier?.trim();
    const multiplier = multiplierText ? LATIN_MULTIPLIERS[multiplierText.toLowerCase().replace(/\.$/, '')] : 1;
    const grouped = GROUPED_ONLY.test(digits);
    const value = Math.round(parseDigits(digits) * multiplier * 1e6) / 1e6;
    add(match.index, match.index + match[0].length, value, grouped, multiplier);
  }
  readings.sort((a, b) => a.start - b.start);

  const found: NumberMention[] = [];
  for (let index = 0; index < readings.length; index++) {
    const reading = readings[index];
    const next = readings[index + 1];
    const range = next === undefined ? null : rangeOf(text, reading, next);
    if (range) {
      const { start } = reading;
      const { end } = next;
      const value = Math.round((range.low + range.high) / 2);
      const role = roleOf(text, start, end, next.value, next.grouped, next.multiplier !== 1);
      found.push({ start, end, value, role, qualifier: 'approximate', range });
      index++;
      continue;
    }
    const { start, end, value, grouped, multiplier } = reading;
    const role = roleOf(text, start, end, value, grouped, multiplier !== 1);
    const qualifier = qualifierAround(text.slice(Math.max(0, start - 24), start), text.slice(end, end + 8));
    found.push({ start, end, value, role, qualifier, range: null });
  }
  return found;
}
