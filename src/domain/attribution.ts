import type { DeliveryWindow } from './delivery-window.js';
import { ExactSum } from './exact-sum.js';
import { remainderRange } from './ranges.js';
import type { Revision } from './supersession.js';
import type { CompanyKind } from './vocabulary.js';

/**
 * Owners and users, wholes and parts (DESIGN "Counting: owners and users, wholes and parts";
 * docs/decisions/counting.md). Pure arithmetic over the records that count in one metric and basis, each with the
 * amount that falls in each quarter of its window: who each amount is attributed to, and how a whole and its parts
 * share one quarter so that no chip is counted twice.
 */

export const ATTRIBUTIONS = ['user', 'owner'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export const ATTRIBUTION_GROUP_BYS = ['company', 'country', 'companyKind'] as const;
export type AttributionGroupBy = (typeof ATTRIBUTION_GROUP_BYS)[number];

export interface AttributedCompany {
  id: string;
  name: string;
  /** ISO 3166 alpha-2, or null. */
  country: string | null;
  kind: CompanyKind;
}

/** A counted record (status counted, live, not superseded) with an amount in the metric, spread over its window. */
export interface CountedAmount {
  id: string;
  companyId: string;
  hostCompanyId: string | null;
  partOfId: string | null;
  siteCountry: string | null;
  /** The quarters the amount falls in, as quarter indexes. */
  window: DeliveryWindow;
  /** The amount that falls in each quarter of the window. */
  share: number;
  /** The low and high of `share` (each quarter's part of the record's range); missing: `share` itself. */
  low?: number;
  high?: number;
  /** Whether the record's amount has no known upper bound (`ranges.ts`, `isOpenAbove`). */
  openAbove?: boolean;
}

/** What one record counts in a run of quarters, and under which company. */
export interface Contribution {
  record: CountedAmount;
  /** The company the amount is attributed to: the record's own (`user`), or its host where set (`owner`). */
  companyId: string;
  first: number;
  last: number;
  /** The amount in each quarter from `first` to `last`. */
  share: number;
  /** The low and high of `share`: low ≤ share ≤ high. */
  low: number;
  high: number;
  /**
   * Whether what it counts has no known upper bound: the record's own, and in `owner` a whole's where one of its
   * counted parts has none (the whole then counts at least the parts' sum).
   */
  openAbove: boolean;
}

export interface Attributed {
  contributions: Contribution[];
  /**
   * Where a whole's counted parts add up to more than the whole in a quarter: by how much, summed over those
   * quarters, and which wholes. Both attributions then count the parts' sum for the whole (see `attribute`).
   */
  excess: { amount: number; wholes: string[] };
}

export const UNKNOWN_COUNTRY = { key: 'unknown', label: 'Unknown country' } as const;

export const COMPANY_KIND_LABELS: Record<CompanyKind, string> = {
  hyperscaler: 'Hyperscaler',
  ai_lab: 'AI lab',
  neocloud: 'Neocloud',
  sovereign: 'Sovereign programme',
  enterprise: 'Enterprise',
  other: 'Other',
};

/**
 * The newest record of each record's supersession chain: follow "is superseded by" (live revisions only) to its end.
 * A chain that loops (the writer refuses those) ends where it would repeat.
 */
export function newestOfChains(revisions: Iterable<Revision>): (id: string) => string {
  const supersededBy = new Map<string, string>();
  for (const revision of revisions) {
    if (revision.supersedesId !== null && !revision.deleted) supersededBy.set(revision.supersedesId, revision.id);
  }
  return (id) => {
    const seen = new Set<string>([id]);
    let current = id;
    for (let next = supersededBy.get(current); next !== undefined && !seen.has(next); next = supersededBy.get(current)) {
      seen.add(next);
      current = next;
    }
    return current;
  };
}

/**
 * What each counted record counts, by quarter, under `attribution`:
 * - a part's whole is the newest record of its `partOfId` target's chain (`newestOf`); a part whose whole is not
 *   among the counted records counts in full, in both attributions, as a record of its own;
 * - `user`: a part counts its amount under its own company; its whole counts, in each quarter, what its counted
 *   parts leave of it, floored at 0;
 * - `owner`: a part of a counted whole counts 0; the whole counts its amount, under its host where set — and in a
 *   quarter where its counted parts add up to more than it, their sum (so both attributions give the same grand
 *   total, and the parts' evidence is not lost; the difference is reported in `excess`);
 * - every other record counts its amount under its own company (`user`) or its host where set (`owner`).
 * Each contribution carries its range: a record's own; a whole's remainder in `user` as an interval difference
 * (`remainderRange`); in `owner`, max(whole, Σ parts) bound by bound. Where a whole's remainder is 0 but its high is
 * not, the quarter is kept with value 0, so the range is not lost.
 */
export function attribute(records: readonly CountedAmount[], newestOf: (id: string) => string, attribution: Attribution): Attributed {
  const byId = new Map(records.map((record) => [record.id, record]));
  const partsOf = new Map<string, CountedAmount[]>();
  const wholeOf = new Map<CountedAmount, CountedAmount>();
  for (const record of records) {
    if (record.partOfId === null) continue;
    const whole = byId.get(newestOf(record.partOfId));
    // A whole that is itself a part (the writer refuses it; a supersession could bring one) is not a whole here.
    if (!whole || whole === record || whole.partOfId !== null) continue;
    wholeOf.set(record, whole);
    let parts = partsOf.get(whole.id);
    if (!parts) partsOf.set(whole.id, (parts = []));
    parts.push(record);
  }

  const ownerOf = (record: CountedAmount) => (attribution === 'owner' ? (record.hostCompanyId ?? record.companyId) : record.companyId);
  const contributions: Contribution[] = [];
  const asItIs = (record: CountedAmount, companyId: string): Contribution => ({
    record,
    companyId,
    first: record.window.first,
    last: record.window.last,
    share: record.share,
    low: record.low ?? record.share,
    high: record.high ?? record.share,
    openAbove: record.openAbove ?? false,
  });
  const excess = new ExactSum();
  const exceeded: string[] = [];
  for (const record of records) {
    const companyId = ownerOf(record);
    if (wholeOf.has(record)) {
      // A counted part: its own amount and range (user), or nothing (owner: its whole holds it; low and high 0).
      if (attribution === 'user') contributions.push(asItIs(record, companyId));
      continue;
    }
    const parts = partsOf.get(record.id);
    if (!parts) {
      contributions.push(asItIs(record, companyId));
      continue;
    }
    // A whole with counted parts: quarter by quarter, over its window and theirs.
    let first = record.window.first;
    let last = record.window.last;
    for (const part of parts) {
      first = Math.min(first, part.window.first);
      last = Math.max(last, part.window.last);
    }
    // In owner, the whole counts at least its parts' sum: a part with no upper bound leaves the whole without one.
    const openAbove = (record.openAbove ?? false) || (attribution === 'owner' && parts.some((part) => part.openAbove ?? false));
    const own = { value: record.share, low: record.low ?? record.share, high: record.high ?? record.share };
    const none = { value: 0, low: 0, high: 0 };
    let exceededHere = false;
    for (let quarter = first; quarter <= last; quarter++) {
      const ownHere = quarter >= record.window.first && quarter <= record.window.last ? own : none;
      const partsHere = parts
        .filter((part) => quarter >= part.window.first && quarter <= part.window.last)
        .map((part) => ({ value: part.share, low: part.low ?? part.share, high: part.high ?? part.share }));
      const inParts = sumOf(partsHere);
      const over = new ExactSum().add(inParts.value).add(-ownHere.value).value();
      if (over > 0) {
        excess.add(over);
        exceededHere = true;
      }
      // user: the interval difference (the whole's low less the parts' highs, its high less their lows, floored at 0);
      // owner: the larger of the whole and its parts' sum, bound by bound, so low ≤ value ≤ high holds both ways.
      const counted =
        attribution === 'user'
          ? remainderRange(ownHere, partsHere)
          : {
              value: Math.max(ownHere.value, inParts.value),
              low: Math.max(ownHere.low, inParts.low),
              high: Math.max(ownHere.high, inParts.high),
            };
      if (counted.value > 0 || counted.high > 0)
        contributions.push({
          record,
          companyId,
          first: quarter,
          last: quarter,
          share: counted.value,
          low: counted.low,
          high: counted.high,
          openAbove,
        });
    }
    if (exceededHere) exceeded.push(record.id);
  }
  return { contributions, excess: { amount: excess.value(), wholes: exceeded } };
}

/** The exact sums of some amounts' values, lows and highs, each rounded once. */
function sumOf(amounts: readonly { value: number; low: number; high: number }[]): { value: number; low: number; high: number } {
  const value = new ExactSum();
  const low = new ExactSum();
  const high = new ExactSum();
  for (const amount of amounts) {
    value.add(amount.value);
    low.add(amount.low);
    high.add(amount.high);
  }
  return { value: value.value(), low: low.value(), high: high.value() };
}

/**
 * The series a contribution belongs to. `company`: the attributed company. `companyKind`: that company's kind.
 * `country`: the record's site country, else the attributed company's country, else "Unknown country".
 */
export function attributedGroup(
  contribution: Contribution,
  companies: ReadonlyMap<string, AttributedCompany>,
  groupBy: AttributionGroupBy,
): { key: string; label: string } {
  const company = companies.get(contribution.companyId);
  switch (groupBy) {
    case 'company':
      return { key: contribution.companyId, label: company?.name ?? contribution.companyId };
    case 'companyKind': {
      const kind = company?.kind ?? 'other';
      return { key: kind, label: COMPANY_KIND_LABELS[kind] };
    }
    case 'country': {
      const country = contribution.record.siteCountry ?? company?.country ?? null;
      return country === null ? { ...UNKNOWN_COUNTRY } : { key: country, label: country };
    }
  }
}

/** Sums by group and quarter from `from` to `to` (quarter indexes): the series and their grand total, exact sums. */
export function attributedTotals(
  attributed: Attributed,
  companies: ReadonlyMap<string, AttributedCompany>,
  groupBy: AttributionGroupBy,
  from: number,
  to: number,
): { series: { key: string; label: string; values: number[]; total: number }[]; total: number } {
  const sums = new Map<string, { key: string; label: string; cells: ExactSum[] }>();
  const total = new ExactSum();
  for (const contribution of attributed.contributions) {
    const start = Math.max(contribution.first, from);
    const end = Math.min(contribution.last, to);
    if (start > end) continue;
    const group = attributedGroup(contribution, companies, groupBy);
    let sum = sums.get(group.key);
    if (!sum) sums.set(group.key, (sum = { ...group, cells: Array.from({ length: to - from + 1 }, () => new ExactSum()) }));
    for (let quarter = start; quarter <= end; quarter++) {
      sum.cells[quarter - from].add(contribution.share);
      total.add(contribution.share);
    }
  }
  const series = [...sums.values()].map(({ key, label, cells }) => {
    const seriesTotal = new ExactSum();
    for (const cell of cells) seriesTotal.addSum(cell);
    return { key, label, values: cells.map((cell) => cell.value()), total: seriesTotal.value() };
  });
  series.sort((a, b) => b.total - a.total || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.key < b.key ? -1 : 1));
  return { series, total: total.value() };
}
