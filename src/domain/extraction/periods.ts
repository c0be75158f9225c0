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

/**
 * How the text counts fiscal years: the month a fiscal year starts in, and whether "FY2025" names the calendar year
 * it starts in (Japan: 2025年度 = April 2025 – March 2026) or the one it ends in (the US, the UK, India).
 */
export interface FiscalYear {
  startMonth: number;
  namedBy: 'start' | 'end';
}

/** A company's fiscal year is the calendar year unless the text says otherwise. */
export const CALENDAR_FISCAL_YEAR: FiscalYear = { startMonth: 1, namedBy: 'end' };
/** Japanese fiscal years (年度) start in April and are named by the year they start in. */
export const JAPANESE_FISCAL_YEAR: FiscalYear = { startMonth: 4, namedBy: 'start' };

interface Context {
  year: number;
  quarter: number;
  /** The publication month, 1–12. */
  month: number;
  fiscalYear: FiscalYear;
}

/** Month names in English, Indonesian, French and German (with the usual English abbreviations), to 1–12. */
const MONTH_NAMES: Record<string, number> = {};
for (const [month, names] of [
  'january jan januari janvier januar',
  'february feb februari février fevrier februar',
  'march mar maret mars märz maerz',
  'april apr avril',
  'may mei mai',
  'june jun juni juin',
  'july jul juli juillet',
  'august aug agustus août aout',
  'september sep sept septembre',
  'october oct oktober octobre',
  'november nov novembre',
  'december dec desember décembre decembre dezember',
].entries()) {
  for (const name of names.split(' ')) MONTH_NAMES[name] = month + 1;
}
const MONTHS = Object.keys(MONTH_NAMES)
  .sort((a, b) => b.length - a.length)
  .join('|');

/**
 * The quarter of a month named without a year: its occurrence nearest the publication (ties: the later one), or
 * for a deadline ("by March") its next occurrence from the publication month on.
 */
function monthWithoutYear(month: number, context: Context, deadline: boolean): number {
  const published = context.year * 12 + context.month - 1;
  const candidates = [context.year - 1, context.year, context.year + 1]
    .map((year) => year * 12 + month - 1)
    .filter((candidate) => !deadline || candidate >= published);
  const nearest = candidates.reduce((best, candidate) =>
    Math.abs(candidate - published) <= Math.abs(best - published) ? candidate : best,
  );
  return Math.floor(nearest / 3);
}

/** Months `offset` to `offset + length - 1` of fiscal year `year`, as calendar quarters. */
function fiscalSpan(year: number, fiscalYear: FiscalYear, offset: number, length: number): Window {
  const beginYear = fiscalYear.namedBy === 'start' || fiscalYear.startMonth === 1 ? year : year - 1;
  const first = beginYear * 12 + fiscalYear.startMonth - 1 + offset;
  return { from: Math.floor(first / 3), by: Math.floor((first + length - 1) / 3) };
}

const FISCAL_ENDING = new RegExp(
  String.raw`fiscal\syears?\s(?:that\s|which\s)?(?:ends|ending|ended)\s(?:on\s|in\s)?(?:the\s)?(?:\d{1,2}\s)?(?<month>${MONTHS})(?![\p{L}])`,
  'iu',
);
const FISCAL_STARTING = new RegExp(
  String.raw`fiscal\syears?\s(?:that\s|which\s)?(?:begins|beginning|began|starts|starting|started|runs\sfrom)\s(?:on\s|in\s)?(?:the\s)?(?:\d{1,2}\s)?(?<month>${MONTHS})(?![\p{L}])`,
  'iu',
);

/**
 * The fiscal-year convention of a text: Japanese texts count from April (named by the start year); a text that
 * states when its fiscal year ends or begins ("fiscal year ending June 30") counts from there, named by the year it
 * ends in; any other text counts calendar years.
 */
export function fiscalYearOf(text: string, language: string): FiscalYear {
  if (language === 'ja') return JAPANESE_FISCAL_YEAR;
  const ending = FISCAL_ENDING.exec(text)?.groups?.month;
  if (ending) return { startMonth: (MONTH_NAMES[ending.toLowerCase()] % 12) + 1, namedBy: 'end' };
  const starting = FISCAL_STARTING.exec(text)?.groups?.month;
  if (starting) return { startMonth: MONTH_NAMES[starting.toLowerCase()], namedBy: 'end' };
  return CALENDAR_FISCAL_YEAR;
}

const ORDINAL_QUARTERS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  ersten: 1,
  zweiten: 2,
  dritten: 3,
  vierten: 4,
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
  if (/next|depan|prochaine?|nächst|kommend|내년|来年/i.test(words)) return context.year + 1;
  if (/last|lalu|dernière|letzt|작년|지난해|昨年|去年/i.test(words)) return context.year - 1;
  return context.year;
}

const YEAR_WORDS = String.raw`(?:this year|next year|last year|tahun ini|tahun depan|tahun lalu|(?:tahun\s)?\d{4}|cette année|l'année prochaine|dieses Jahres|des Jahres|nächsten Jahres|\d{4})`;
const BY = String.raw`(?<by>by|before|until|through|no later than|hingga|sampai(?:\sdengan)?|paling lambat|sebelum|d'ici|avant|bis(?:\sspätestens)?|spätestens)\s(?:the\s)?`;
/** A year as Korean and Japanese write it before a half, a quarter or a month. */
const KO_YEAR = String.raw`(?<koYear>\d{4}\s?년|내년|올해|작년|지난해)\s?`;
const JA_YEAR = String.raw`(?<jaYear>\d{4}\s?年|来年|今年|昨年)\s?`;

interface Rule {
  pattern: RegExp;
  /** The window named, or null where the words name a date rather than a delivery period ("on March 3, 2025"). */
  resolve(groups: Record<string, string | undefined>, context: Context): Window | null;
}

const rule = (source: string, resolve: Rule['resolve']): Rule => ({ pattern: new RegExp(source, 'giu'), resolve });

const RULES: Rule[] = [
  // Japanese fiscal years start in April: 2025年度上期 = April–September 2025.
  rule(String.raw`(?<year>\d{4})\s?年度\s?(?:(?<upper>上期|上半期)|(?<lower>下期|下半期)|第(?<quarter>[1-4])四半期)?`, (groups) => {
    const year = Number(groups.year);
    if (groups.upper) return fiscalSpan(year, JAPANESE_FISCAL_YEAR, 0, 6);
    if (groups.lower) return fiscalSpan(year, JAPANESE_FISCAL_YEAR, 6, 6);
    if (groups.quarter) return fiscalSpan(year, JAPANESE_FISCAL_YEAR, (Number(groups.quarter) - 1) * 3, 3);
    return fiscalSpan(year, JAPANESE_FISCAL_YEAR, 0, 12);
  }),
  // "FY2025", "fiscal 2025", "H1 FY2025", "FY25 Q3", "the second half of fiscal 2026": by the text's fiscal convention.
  rule(
    String.raw`(?:${BY})?(?:the\s)?(?<fyEnd>end\sof\s(?:the\s)?)?(?:(?<preHalf>first|second)\shalf\sof\s|(?<preH>H[12]|[12]H)\s|(?<preQ>Q[1-4]|[1-4]Q)\s|(?<preOrdinal>first|second|third|fourth)\squarter\sof\s)?(?:FY|fiscal\s(?:year\s)?)['’]?(?<fy>\d{4}|\d{2})(?![\p{N}])(?:\s(?<postHalf>first|second)\shalf|[\s-]?(?<postH>H[12]|[12]H)|[\s-]?(?<postQ>Q[1-4]|[1-4]Q))?`,
    (groups, context) => {
      const year = groups.fy!.length === 2 ? 2000 + Number(groups.fy) : Number(groups.fy);
      const half = groups.preHalf ?? groups.postHalf ?? groups.preH ?? groups.postH;
      const quarter = groups.preQ ?? groups.postQ ?? groups.preOrdinal;
      let span: Window;
      if (half) span = fiscalSpan(year, context.fiscalYear, /second|2/i.test(half) ? 6 : 0, 6);
      else if (quarter) span = fiscalSpan(year, context.fiscalYear, (ORDINAL_QUARTERS[quarter.replace(/q/i, '').toLowerCase()] - 1) * 3, 3);
      else span = fiscalSpan(year, context.fiscalYear, 0, 12);
      return groups.by || groups.fyEnd ? endOnly(span) : span;
    },
  ),
  // "in March 2025", "by March 2025", "pada (bulan) Maret 2024", "the end of June 2026", "im März 2025"; a month
  // without a year only after such a word ("in March": its occurrence nearest the publication). A day makes it a
  // date ("on 27 February", "March 3, 2025"), not a period, unless "by" comes before it.
  rule(
    String.raw`(?:${BY}|(?<in>in|during|from|starting\sin|pada|dalam|mulai|en|au\smois\sd[e']|im|ab)\s(?:(?:bulan|the\smonth\sof)\s)?|(?<fiscalClause>fiscal\syears?\s(?:that\s|which\s)?(?:ends|ending|ended|begins|beginning|began|starts|starting|started)\s(?:on\s|in\s)?(?:the\s)?))?(?<endOf>(?:the\s)?end\sof\s|(?:pada\s)?akhir\s(?:bulan\s)?|(?:la\s)?fin\s(?:de\s|d')?|Ende\s)?(?:(?<dayFirst>\d{1,2})\.?\s)?(?<month>${MONTHS})(?![\p{L}])\.?(?:\s(?<day>\d{1,2})(?:st|nd|rd|th)?(?![\p{N}]),?)?(?:\s(?:de\s)?(?<year>\d{4}|'\d{2}))?`,
    (groups, context) => {
      const month = MONTH_NAMES[groups.month!.toLowerCase()];
      // "whose fiscal year ends in June" says how years are counted, not when chips arrive.
      if (groups.fiscalClause) return null;
      const dated = groups.dayFirst !== undefined || groups.day !== undefined;
      if (!groups.by && (dated || (groups.year === undefined && !groups.in))) return null;
      const quarter =
        groups.year === undefined
          ? monthWithoutYear(month, context, groups.by !== undefined)
          : yearOf(groups.year, context) * 4 + Math.floor((month - 1) / 3);
      return groups.by || groups.endOf ? { from: null, by: quarter } : { from: quarter, by: quarter };
    },
  ),
  // "2025年3月", "2025년 3월", "3月末", "3월 말": a month; one followed by a day ("2月27日") is a date.
  rule(
    String.raw`(?:(?<cjkYear>\d{4}\s?(?:年|년)|来年|今年|昨年|내년|올해|작년|지난해)\s?)?(?<cjkMonth>1[0-2]|0?[1-9])\s?(?:月|월)(?!\s?\d)(?<cjkEnd>\s?(?:末|말))?(?=(?<cjkBy>\s?(?:까지|までに|まで))?)`,
    (groups, context) => {
      const month = Number(groups.cjkMonth);
      const quarter =
        groups.cjkYear === undefined
          ? monthWithoutYear(month, context, groups.cjkBy !== undefined)
          : yearOf(groups.cjkYear, context) * 4 + Math.floor((month - 1) / 3);
      return groups.cjkEnd ? { from: null, by: quarter } : { from: quarter, by: quarter };
    },
  ),
  rule(
    String.raw`(?:${BY})?(?:the\s)?(?:end(?:\sof)?[\s-](?:the\s)?(?<endYear>this\syear|next\syear|year|(?:calendar\s)?\d{4})|year[-\s]end(?:\s(?<yearEndYear>\d{4}))?|(?:pada\s)?(?:akhir|penghujung)\s(?:tahun\s?)?(?<akhirYear>ini|depan|\d{4})?|(?:la\s)?fin\s(?:de\s)?(?<finYear>l'année|l'an|\d{4})(?:\sprochaine)?|Ende\s(?<endeYear>\d{4}|dieses\sJahres|des\sJahres|nächsten\sJahres))`,
    (groups, context) => {
      const words = groups.endYear ?? groups.yearEndYear ?? groups.akhirYear ?? groups.finYear ?? groups.endeYear;
      const year =
        words === undefined || /^(ini|year|l'année|l'an|dieses Jahres|des Jahres)$/i.test(words) ? context.year : yearOf(words, context);
      return endOnly(yearSpan(/prochaine|depan|next/i.test(groups.finYear ?? '') ? year + 1 : year));
    },
  ),
  rule(String.raw`(?:(?<year>\d{4})\s?년\s?말|(?<year2>\d{4})\s?年末|연말|올해\s?말|내년\s?말|年末|今年末|来年末)`, (groups, context) =>
    endOnly(yearSpan(yearOf(groups.year ?? groups.year2 ?? (/내년|来年/.test(groups[0] ?? '') ? 'next' : undefined), context))),
  ),
  // "mid-2026" is the middle two quarters, Q2–Q3; "by mid-2026" is by the end of Q2, the year's first half.
  rule(
    String.raw`(?:${BY})?(?:mid-|mid\s|the\smiddle\sof\s|pertengahan\s(?:tahun\s)?|mi-|Mitte\s)(?<year>\d{4}|this\syear|next\syear|ini|depan|dieses\sJahres|nächsten\sJahres)`,
    (groups, context) => {
      const year = yearOf(groups.year, context);
      return groups.by ? endOnly(halfSpan(year, 1)) : { from: year * 4 + 1, by: year * 4 + 2 };
    },
  ),
  rule(
    String.raw`(?:${BY})?(?:the\s)?(?:(?<half>first|second)\shalf(?:\sof\s(?<year>${YEAR_WORDS}))?|H(?<hNumber>[12])(?:\s?(?<hYear>\d{4}|'\d{2}))?|(?<yearH>\d{4})\s?H(?<hNumber2>[12])|(?<hNumber3>[12])H\s?(?<hYear3>\d{4}|'?\d{2})?|(?:paruh|semester)\s(?<paruh>pertama|kedua|I|II)(?:\s(?<paruhYear>${YEAR_WORDS}))?|(?:${KO_YEAR})?(?<ko>상|하)반기|(?:${JA_YEAR})?(?<ja>上|下)半期|(?<fr>premier|second)\ssemestre(?:\s(?<frYear>\d{4}))?|(?:im\s)?(?<de>ersten|zweiten)\s(?:Halbjahr|Jahreshälfte)(?:\s(?<deYear>${YEAR_WORDS}))?)`,
    (groups, context) => {
      const word = (groups.half ?? groups.paruh ?? groups.fr ?? groups.de ?? '').toLowerCase();
      const second =
        ['second', 'kedua', 'ii', 'zweiten'].includes(word) ||
        groups.hNumber === '2' ||
        groups.hNumber2 === '2' ||
        groups.hNumber3 === '2' ||
        groups.ko === '하' ||
        groups.ja === '下';
      const year = yearOf(
        groups.year ??
          groups.hYear ??
          groups.yearH ??
          groups.hYear3?.replace("'", '') ??
          groups.paruhYear ??
          groups.koYear ??
          groups.jaYear ??
          groups.frYear ??
          groups.deYear,
        context,
      );
      const span = halfSpan(year, second ? 2 : 1);
      return groups.by ? endOnly(span) : span;
    },
  ),
  rule(
    String.raw`(?:${BY})?(?:the\s)?(?:(?:end\sof\s(?:the\s)?)?(?<ordinal>first|second|third|fourth)\squarter(?:\sof\s(?<year>${YEAR_WORDS}))?|Q(?<qNumber>[1-4])(?:\s?(?<qYear>\d{4}|'\d{2}))?|(?<yearQ>\d{4})\s?-?Q(?<qNumber2>[1-4])|(?<qNumber3>[1-4])Q\s?(?<qYear3>\d{2}(?:\d{2})?)?|(?:kuartal|triwulan)\s(?<kuartal>pertama|kedua|ketiga|keempat|IV|III|II|I|[1-4])(?:\s(?<kuartalYear>${YEAR_WORDS}))?|(?:${KO_YEAR})?(?<ko>[1-4])\s?분기|(?:${JA_YEAR})?第(?<ja>[1-4])四半期|(?<fr>premier|deuxième|troisième|quatrième)\strimestre(?:\s(?<frYear>\d{4}))?|(?:im\s)?(?<de>ersten|zweiten|dritten|vierten)\sQuartal(?:\s(?<deYear>${YEAR_WORDS}))?)`,
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
        groups.de ??
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
          groups.frYear ??
          groups.deYear,
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
  rule(
    String.raw`(?:${BY})?(?:next\syear|tahun\sdepan|l'année\sprochaine|l'an\sprochain|(?:im\s)?(?:nächsten|kommenden)\sJahr|nächstes\sJahr|내년|来年)`,
    (groups, context) => {
      const span = yearSpan(context.year + 1);
      return groups.by ? endOnly(span) : span;
    },
  ),
  rule(
    String.raw`(?:(?:later|earlier)\s)?(?:this\syear|tahun\sini|cette\sannée|dieses\sJahr|in\sdiesem\sJahr|올해|今年)`,
    (_groups, context) => yearSpan(context.year),
  ),
  // "in 2024–2025", "from 2025 to 2027", "antara 2025 hingga 2026", "2025~2026년": every year of the span.
  rule(
    String.raw`(?:(?:in|from|between|during|over|dari|antara|pada|selama|en|de|entre|von|zwischen)\s)?(?<first>(?:19|20)\d{2})(?:\s?[–—~〜-]\s?|\s(?:to|through|until|and|hingga|sampai|dan|à|bis|und)\s)(?<last>(?:19|20)\d{2})(?![\p{N}])(?:\s?(?:년|年)(?!度))?`,
    (groups) => {
      const first = Number(groups.first);
      const last = Number(groups.last);
      return last > first && last - first <= 10 ? { from: yearSpan(first).from, by: yearSpan(last).by } : null;
    },
  ),
  rule(
    String.raw`(?:${BY}|(?<in>in|during|within|pada|dalam|selama|tahun|en|au\scours\sde|im\sJahre?)\s(?:(?:calendar|tahun)\s)?)(?<year>(?:19|20)\d{2})(?![\p{N}年년])|(?<cjkYear>(?:19|20)\d{2})\s?(?:년|年)(?!度|말|末|\s?\d|\s?第|\s?[上下상하])`,
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

/**
 * Every delivery period named in the text, resolved against the publication date and the text's fiscal-year
 * convention; overlapping readings keep the longest.
 */
export function findPeriods(text: string, publishedOn: string, fiscalYear: FiscalYear = CALENDAR_FISCAL_YEAR): PeriodMention[] {
  const published = quarterIndex(quarterOfDate(publishedOn));
  const context: Context = {
    year: Math.floor(published / 4),
    quarter: (published % 4) + 1,
    month: Number(publishedOn.slice(5, 7)),
    fiscalYear,
  };
  const matches: PeriodMention[] = [];
  for (const { pattern, resolve } of RULES) {
    for (const match of matchesOf(pattern, text)) {
      if (match[0].trim() === '') continue;
      const start = match.index;
      const end = start + match[0].length;
      if (/[\p{Script=Latin}\p{N}]/u.test(text[start - 1] ?? ' ') && /^[\p{Script=Latin}\p{N}]/u.test(match[0])) continue;
      if (/^[\p{Script=Latin}\p{N}]/u.test(text[end] ?? ' ') && /[\p{Script=Latin}\p{N}]$/u.test(match[0])) continue;
      const window = resolve({ ...match.groups, 0: match[0] }, context);
      if (window === null) continue;
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
