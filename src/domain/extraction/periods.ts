import { matchesOf } from './matches.js';
import { type Quarter, quarterFromIndex, quarterIndex, quarterOfDate } from '../quarter.js';

/** A delivery window found in the text, as the commitment fields `deliveryFrom` / `deliveryBy`. */
export interface PeriodMention {
  start: number;
  end: number;
  deliveryFrom: Quarter | null;
  deliveryBy: Quarter;
}

/** Quarter indexes (see `quarterIndex`): `from` null when the text names only an end ("by the end of 2025"). */
interface Window {
  from: number | null;
  by: number;
}

interface Context {
  year: number;
  quarter: number;
}

const ORDINAL_QUARTERS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  pertama: 1,
  kedua: 2,
  ketiga: 3,
  keempat: 4,
  i: 1,
  ii: 2,
  iii: 3,
  iv: 4,
  premier: 1,
  deuxième: 2,
  troisième: 3,
  quatrième: 4,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
};

const yearSpan = (year: number): Window => ({ from: year * 4, by: year * 4 + 3 });
const halfSpan = (year: number, half: number): Window => ({ from: year * 4 + (half - 1) * 2, by: year * 4 + (half - 1) * 2 + 1 });
const quarterSpan = (year: number, quarter: number): Window => ({ from: year * 4 + quarter - 1, by: year * 4 + quarter - 1 });
const endOnly = (window: Window): Window => ({ from: null, by: window.by });

/** "this year" / "next year" / "2025" / "'25" → a year, from the publication year. */
function yearOf(words: string | undefined, context: Context): number {
  if (words === undefined) return context.year;
  const digits = /(\d{4})|'(\d{2})\b|^(\d{2})$/.exec(words);
  if (digits) return digits[1] ? Number(digits[1]) : 2000 + Number(digits[2] ?? digits[3]);
  if (/next|depan|prochaine?|내년|来年/i.test(words)) return context.year + 1;
  if (/last|lalu|dernière|작년|昨年|去年/i.test(words)) return context.year - 1;
  return context.year;
}

const YEAR_WORDS = String.raw`(?:this year|next year|last year|tahun ini|tahun depan|tahun lalu|(?:tahun\s)?\d{4}|cette année|l'année prochaine)`;
const BY = String.raw`(?<by>by|before|until|through|no later than|hingga|sampai(?:\sdengan)?|paling lambat|sebelum|d'ici|avant)\s(?:the\s)?`;

interface Rule {
  pattern: RegExp;
  resolve(groups: Record<string, string | undefined>, context: Context): Window;
}

const rule = (source: string, resolve: Rule['resolve']): Rule => ({ pattern: new RegExp(source, 'giu'), resolve });

const RULES: Rule[] = [
  // Japanese fiscal years start in April: 2025年度上期 = April–September 2025.
  rule(String.raw`(?<year>\d{4})\s?年度\s?(?:(?<upper>上期|上半期)|(?<lower>下期|下半期)|第(?<quarter>[1-4])四半期)?`, (groups) => {
    const start = Number(groups.year) * 4 + 1;
    if (groups.upper) return { from: start, by: start + 1 };
    if (groups.lower) return { from: start + 2, by: start + 3 };
    if (groups.quarter) return { from: start + Number(groups.quarter) - 1, by: start + Number(groups.quarter) - 1 };
    return { from: start, by: start + 3 };
  }),
  rule(
    String.raw`(?:${BY})?(?:the\s)?(?:end\sof\s(?<endYear>this\syear|next\syear|the\syear|\d{4})|year[-\s]end|(?:pada\s)?(?:akhir|penghujung)\s(?:tahun\s?)?(?<akhirYear>ini|depan|\d{4})?|(?:la\s)?fin\s(?:de\s)?(?<finYear>l'année|l'an|\d{4})(?:\sprochaine)?)`,
    (groups, context) => {
      const words = groups.endYear ?? groups.akhirYear ?? groups.finYear;
      const year = words === undefined || /^(ini|the year|l'année|l'an)$/i.test(words) ? context.year : yearOf(words, context);
      return endOnly(yearSpan(/prochaine|depan|next/i.test(groups.finYear ?? '') ? year + 1 : year));
    },
  ),
  rule(String.raw`(?:(?<year>\d{4})\s?년\s?말|(?<year2>\d{4})\s?年末|연말|올해\s?말|年末|今年末)`, (groups, context) =>
    endOnly(yearSpan(yearOf(groups.year ?? groups.year2, context))),
  ),
  rule(
    String.raw`(?:(?:by|before|until)\s)?(?:mid-|the\smiddle\sof\s|pertengahan\s(?:tahun\s)?|mi-)(?<year>\d{4}|this\syear|next\syear|ini|depan)`,
    (groups, context) => endOnly(halfSpan(yearOf(groups.year, context), 1)),
  ),
  rule(
    String.raw`(?:${BY})?(?:the\s)?(?:(?<half>first|second)\shalf(?:\sof\s(?<year>${YEAR_WORDS}))?|H(?<hNumber>[12])(?:\s?(?<hYear>\d{4}|'\d{2}))?|(?<yearH>\d{4})\s?H(?<hNumber2>[12])|(?:paruh|semester)\s(?<paruh>pertama|kedua|I|II)(?:\s(?<paruhYear>${YEAR_WORDS}))?|(?:(?<koYear>\d{4})\s?년\s?)?(?<ko>상|하)반기|(?:(?<jaYear>\d{4})\s?年\s?)?(?<ja>上|下)半期|(?<fr>premier|second)\ssemestre(?:\s(?<frYear>\d{4}))?)`,
    (groups, context) => {
      const word = (groups.half ?? groups.paruh ?? groups.fr ?? '').toLowerCase();
      const second =
        ['second', 'kedua', 'ii'].includes(word) ||
        groups.hNumber === '2' ||
        groups.hNumber2 === '2' ||
        groups.ko === '하' ||
        groups.ja === '下';
      const year = yearOf(
        groups.year ?? groups.hYear ?? groups.yearH ?? groups.paruhYear ?? groups.koYear ?? groups.jaYear ?? groups.frYear,
        context,
      );
      const span = halfSpan(year, second ? 2 : 1);
      return groups.by ? endOnly(span) : span;
    },
  ),
  rule(
    String.raw`(?:${BY})?(?:the\s)?(?:(?:end\sof\s(?:the\s)?)?(?<ordinal>first|second|third|fourth)\squarter(?:\sof\s(?<year>${YEAR_WORDS}))?|Q(?<qNumber>[1-4])(?:\s?(?<qYear>\d{4}|'\d{2}))?|(?<yearQ>\d{4})\s?-?Q(?<qNumber2>[1-4])|(?<qNumber3>[1-4])Q\s?(?<qYear3>\d{2}(?:\d{2})?)?|(?:kuartal|triwulan)\s(?<kuartal>pertama|kedua|ketiga|keempat|IV|III|II|I|[1-4])(?:\s(?<kuartalYear>${YEAR_WORDS}))?|(?:(?<koYear>\d{4})\s?년\s?)?(?<ko>[1-4])\s?분기|(?:(?<jaYear>\d{4})\s?年\s?)?第(?<ja>[1-4])四半期|(?<fr>premier|deuxième|troisième|quatrième)\strimestre(?:\s(?<frYear>\d{4}))?)`,
    (groups, context) => {
      const word = (
        groups.ordinal ??
        groups.kuartal ??
        groups.fr ??
        groups.qNumber ??
        groups.qNumber2 ??
        groups.qNumber3 ??
        groups.ko ??
        groups.ja ??
        '1'
      ).toLowerCase();
      const year = yearOf(
        groups.year ??
          groups.qYear ??
          groups.yearQ ??
          groups.qYear3 ??
          groups.kuartalYear ??
          groups.koYear ??
          groups.jaYear ??
          groups.frYear,
        context,
      );
      const span = quarterSpan(year, ORDINAL_QUARTERS[word]);
      return groups.by || /^end/i.test(groups[0] ?? '') ? endOnly(span) : span;
    },
  ),
  rule(String.raw`(?:${BY})?(?:next\squarter|kuartal\sdepan|le\strimestre\sprochain)`, (groups, context) => {
    const next = context.year * 4 + context.quarter;
    return groups.by ? { from: null, by: next } : { from: next, by: next };
  }),
  rule(String.raw`(?:${BY})?(?:next\syear|tahun\sdepan|l'année\sprochaine|l'an\sprochain|내년|来年)`, (groups, context) => {
    const span = yearSpan(context.year + 1);
    return groups.by ? endOnly(span) : span;
  }),
  rule(String.raw`(?:(?:later|earlier)\s)?(?:this\syear|tahun\sini|cette\sannée|올해|今年)`, (_groups, context) => yearSpan(context.year)),
  rule(
    String.raw`(?:${BY}|(?<in>in|during|within|pada|dalam|selama|tahun|en|au\scours\sde)\s(?:(?:calendar|tahun)\s)?)(?<year>(?:19|20)\d{2})(?![\p{N}年년])|(?<cjkYear>(?:19|20)\d{2})\s?(?:년|年)(?!度|말|末|\s?\d|\s?第|\s?[上下상하])`,
    (groups) => {
      const span = yearSpan(Number(groups.year ?? groups.cjkYear));
      return groups.by ? endOnly(span) : span;
    },
  ),
];

/**
 * Applies the delivery-window defaults of the ledger so that the fields say no more than the text:
 * a window that starts before the publication and runs past it starts at the publication quarter (a plan
 * announced in February for "this year" covers the rest of the year), and `deliveryFrom` is null wherever it
 * equals the default (the quarter of publication, or `deliveryBy` where that is earlier).
 */
function toFields(window: Window, published: number): { deliveryFrom: Quarter | null; deliveryBy: Quarter } {
  let from = window.from;
  if (from !== null && from < published && window.by >= published) from = published;
  const defaultFrom = Math.min(published, window.by);
  return { deliveryFrom: from === null || from === defaultFrom ? null : quarterFromIndex(from), deliveryBy: quarterFromIndex(window.by) };
}

/** Every delivery period named in the text, resolved against the publication date; overlapping readings keep the longest. */
export function findPeriods(text: string, publishedOn: string): PeriodMention[] {
  const published = quarterIndex(quarterOfDate(publishedOn));
  const context = { year: Math.floor(published / 4), quarter: (published % 4) + 1 };
  const matches: PeriodMention[] = [];
  for (const { pattern, resolve } of RULES) {
    for (const match of matchesOf(pattern, text)) {
      if (match[0].trim() === '') continue;
      const start = match.index;
      const end = start + match[0].length;
      if (/[\p{Script=Latin}\p{N}]/u.test(text[start - 1] ?? ' ') && /^[\p{Script=Latin}\p{N}]/u.test(match[0])) continue;
      if (/^[\p{Script=Latin}\p{N}]/u.test(text[end] ?? ' ') && /[\p{Script=Latin}\p{N}]$/u.test(match[0])) continue;
      const window = resolve({ ...match.groups, 0: match[0] }, context);
      // Korean 까지 and Japanese までに after a period mean "by" it.
      const by = /^\s?(?:까지|までに|まで)/u.exec(text.slice(end));
      if (by) window.from = null;
      matches.push({ start, end: end + (by ? by[0].length : 0), ...toFields(window, published) });
    }
  }
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PeriodMention[] = [];
  for (const mention of matches) {
    const last = kept.at(-1);
    if (last && mention.start < last.end) continue;
    kept.push(mention);
  }
  return kept;
}
