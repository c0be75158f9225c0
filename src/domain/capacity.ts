import { basisWindow, evenShare, windowOverlaps } from './allocation.js';
import { COMPANY_KIND_LABELS, UNKNOWN_COUNTRY } from './attribution.js';
import type { DeliveryTerms, DeliveryWindow } from './delivery-window.js';
import { ExactSum } from './exact-sum.js';
import { type ChipSpecs, type CommitmentAmount, commitmentMetric } from './metrics.js';
import { type Quarter, quarterFromIndex, quarterIndex } from './quarter.js';
import {
  DEFAULT_APPROXIMATE_MARGIN,
  isOpenAbove,
  primaryAmount,
  type RangeFacts,
  type RangeTerms,
  rangeTerms,
  scaledRange,
} from './ranges.js';
import { type Revision, supersededIds } from './supersession.js';
import {
  type AcceleratorKind,
  type Basis,
  type CompanyKind,
  type CommitmentStatus,
  DEFAULT_COUNTED_STATUSES,
  EXCLUSION_REASONS,
  type ExclusionReason,
  type GroupBy,
  type Metric,
  type Precision,
} from './vocabulary.js';

/** A chip of the catalog, as the capacity arithmetic needs it. */
export interface CapacityChip extends ChipSpecs {
  id: string;
  name: string;
  vendor: string;
  kind: AcceleratorKind;
}

/**
 * A range kept for several commitments at once (a rollup row): the sums of their range terms, in the unit of the
 * record's own amount (its quantity, else its stated figure), and how many of them have no upper bound, by where
 * their window starts and ends (as `commitmentsStarting` and `commitmentsEnding`).
 */
export interface SummedRange extends RangeTerms {
  openStarting: number;
  openEnding: number;
}

/** A commitment, as the capacity arithmetic needs it. */
export interface CapacityRecord extends CommitmentAmount, DeliveryTerms, Omit<RangeFacts, keyof CommitmentAmount> {
  id: string;
  companyId: string;
  companyName: string;
  acceleratorId: string | null;
  /** The chip's kind, or the kind the analyst gave when the chip is unknown. */
  acceleratorKind: AcceleratorKind;
  status: CommitmentStatus;
  /**
   * How many of the commitments this record stands for have their window start in its first quarter, and how many
   * have it end in its last (default 1 and 1: the record is one commitment). The rollup stands for commitments by
   * quarter: one record per quarter holding what falls in it. A commitment then counts (in exclusions and records
   * counted) from the record where its window starts and no longer after the one where it ends, so once however
   * many quarters it spans.
   */
  commitmentsStarting?: number;
  commitmentsEnding?: number;
  /**
   * The quarters the amount falls in on the basis asked, where the caller has them already (the rollup is read
   * for one basis); derived from the terms otherwise.
   */
  window?: DeliveryWindow;
  /** For a record that stands for several commitments: their summed range, in place of the record's own fields. */
  range?: SummedRange;
  /** Where the chips are deployed (ISO 3166 alpha-2), for `groupBy=country`; null or missing: unknown. */
  siteCountry?: string | null;
  /** The company's country and kind, for `groupBy=country` (where the site is unknown) and `groupBy=companyKind`. */
  companyCountry?: string | null;
  companyKind?: CompanyKind;
}

/** What the capacity figures are computed from. */
export interface CapacityLedger {
  /** Records that are not deleted and pass the record filters (company, chip, vendor, kind), any status. */
  records: readonly CapacityRecord[];
  /** The chip catalog by id. */
  chips: ReadonlyMap<string, CapacityChip>;
  /** Every record that names another in `supersedesId`, deleted ones included, whatever the filters. */
  revisions: readonly Revision[];
}

/** What is measured, where and over which period. */
export interface CapacityMeasure {
  metric: Metric;
  precision: Precision;
  basis: Basis;
  /** Statuses counted; empty or missing: announced, confirmed and delivered. */
  statuses?: readonly CommitmentStatus[];
  /** First quarter reported; default: the first quarter holding a counted amount. */
  from?: Quarter;
  /** Last quarter reported; default: the last quarter holding a counted amount. */
  to?: Quarter;
  /** The `approximate` margin m (APPROXIMATE_MARGIN): such an amount a ranges over a × (1 ∓ m). Default 0.1. */
  approximateMargin?: number;
}

export interface CapacityQuery extends CapacityMeasure {
  groupBy: GroupBy;
  /** Each value is the running sum up to its quarter, including everything before `from`. */
  cumulative: boolean;
  /** Keep the N largest series and fold the rest into one "Others" series. */
  top?: number;
}

export interface Exclusions {
  count: number;
  reasons: Record<ExclusionReason, number>;
}

export interface SeriesGroup {
  key: string;
  label: string;
}

export interface CapacitySeries extends SeriesGroup {
  values: number[];
  /** The low and high of each value (cumulative where the values are). */
  low: number[];
  high: number[];
  /** The amount in the reported quarters (not cumulative), by which series are ordered. */
  total: number;
  /** The low and high of `total`. */
  totalLow: number;
  totalHigh: number;
}

export interface CapacityReport {
  quarters: Quarter[];
  series: CapacitySeries[];
  /** Everything counted in the reported quarters (not cumulative). */
  total: number;
  /** The low and high of `total`. */
  low: number;
  high: number;
  /** Counted commitments with an amount in the period and no known upper bound. */
  openAbove: number;
  excluded: Exclusions;
}

export interface CapacitySummaryFigures {
  /** Everything counted in the period, as `CapacityReport.total`, with its low and high. */
  total: number;
  low: number;
  high: number;
  openAbove: number;
  /** Companies with a counted amount in the period. */
  companies: number;
  /** Records with a counted amount in the period. */
  records: number;
  excluded: Exclusions;
  /** The latest `announcedOn` of the records counted; null when none is. */
  latestAnnouncedOn: string | null;
}

export const OTHERS_SERIES: SeriesGroup = { key: 'others', label: 'Others' };

const KIND_LABELS: Record<AcceleratorKind, string> = { gpu: 'GPU', custom: 'Custom chip' };
const UNKNOWN_CHIP_LABELS: Record<AcceleratorKind, string> = { gpu: 'Unknown GPU', custom: 'Unknown custom chip' };

/** The statuses counted for a filter: the ones asked for, else announced, confirmed and delivered. */
export function countedStatuses(statuses: readonly CommitmentStatus[] | undefined): readonly CommitmentStatus[] {
  return statuses && statuses.length > 0 ? statuses : DEFAULT_COUNTED_STATUSES;
}

/**
 * A record's amount in a metric, or why it has none. `units` needs the quantity. `h100e` is the stated figure,
 * else needs the quantity, a chip and the chip's rate at the precision; `power_mw` is the stated figure, else
 * needs the quantity, a chip and its TDP. The first missing piece in that order is the reason.
 */
export function recordAmount(
  record: CommitmentAmount,
  chip: ChipSpecs | null,
  metric: Metric,
  precision: Precision,
): { amount: number; reason?: undefined } | { amount: null; reason: ExclusionReason } {
  const amount = commitmentMetric(record, chip, metric, precision);
  if (amount !== null) return { amount };
  if (record.quantity === null) return { amount: null, reason: 'quantity_undisclosed' };
  return { amount: null, reason: chip === null ? 'chip_unknown' : 'chip_spec_missing' };
}

/**
 * The series a record belongs to. `company`: the company (key: its id). `accelerator`: the chip (key: its id).
 * `vendor`: the chip's vendor (key and label: the vendor's name). `kind`: gpu or custom (key: the kind). A record
 * with no chip goes under "Unknown GPU" or "Unknown custom chip" (key: its kind) by vendor and by accelerator.
 * `country`: the site country, else the company's, else "Unknown country" (key `unknown`). `companyKind`: the
 * company's kind (key: the kind, label its name). The company is the attributed one (`domain/attribution.ts`).
 */
export function seriesGroup(record: CapacityRecord, chip: CapacityChip | null, groupBy: GroupBy): SeriesGroup {
  const kind = chip?.kind ?? record.acceleratorKind;
  switch (groupBy) {
    case 'company':
      return { key: record.companyId, label: record.companyName };
    case 'kind':
      return { key: kind, label: KIND_LABELS[kind] };
    case 'accelerator':
      return chip ? { key: chip.id, label: chip.name } : { key: kind, label: UNKNOWN_CHIP_LABELS[kind] };
    case 'vendor':
      return chip ? { key: chip.vendor, label: chip.vendor } : { key: kind, label: UNKNOWN_CHIP_LABELS[kind] };
    case 'country': {
      const country = record.siteCountry ?? record.companyCountry ?? null;
      return country === null ? { ...UNKNOWN_COUNTRY } : { key: country, label: country };
    }
    case 'companyKind': {
      const companyKind = record.companyKind ?? 'other';
      return { key: companyKind, label: COMPANY_KIND_LABELS[companyKind] };
    }
  }
}

/** Series order: the largest total first, ties by label, then by key (code point order, so it is stable). */
export function compareSeries(a: { total: number; label: string; key: string }, b: { total: number; label: string; key: string }): number {
  return b.total - a.total || compareText(a.label, b.label) || compareText(a.key, b.key);
}

/** Capacity by group and quarter, as `GET /api/capacity` answers it. */
export function computeCapacity(ledger: CapacityLedger, query: CapacityQuery): CapacityReport {
  return reportOf(ledger, classify(ledger, query), query);
}

function reportOf(ledger: CapacityLedger, { counted, excluded }: Classified, query: CapacityQuery): CapacityReport {
  const requested = requestedRange(query);
  const exclusions = countExclusions(excluded, requested);
  if (counted.count === 0) return { quarters: [], series: [], total: 0, low: 0, high: 0, openAbove: 0, excluded: exclusions };

  let firstCounted = Infinity;
  let lastCounted = -Infinity;
  for (let index = 0; index < counted.count; index++) {
    firstCounted = Math.min(firstCounted, counted.first[index]);
    lastCounted = Math.max(lastCounted, counted.last[index]);
  }
  const from = requested.from ?? Math.min(firstCounted, requested.to ?? firstCounted);
  const to = requested.to ?? Math.max(lastCounted, from);
  const quarterCount = to - from + 1;

  const groupOf = groupingOf(ledger, query.groupBy);
  const buckets = new Map<string, Bucket>();
  // A record's series follows from its company (by company) or else from its chip (its kind when it has none): the
  // bucket is kept by that too, so that most records find theirs without building their group.
  const bucketOf = new Map<string | CapacityChip, Bucket>();
  let openAbove = 0;
  for (let index = 0; index < counted.count; index++) {
    const share = counted.shares[index];
    const start = query.cumulative ? counted.first[index] : Math.max(counted.first[index], from);
    const end = Math.min(counted.last[index], to);
    if (start > end) continue;
    const record = ledger.records[counted.positions[index]];
    openAbove += openOverlapping({ first: counted.first[index], last: counted.last[index] }, record, requested);
    const chip = chipOf(ledger, record);
    const decidedBy =
      query.groupBy === 'company' || query.groupBy === 'companyKind'
        ? record.companyId
        : query.groupBy === 'country'
          ? `${record.companyId} ${record.siteCountry ?? ''}`
          : (chip ?? record.acceleratorKind);
    let bucket = bucketOf.get(decidedBy);
    if (!bucket) {
      const group = groupOf(record, chip);
      bucket = buckets.get(group.key);
      if (!bucket) buckets.set(group.key, (bucket = newBucket(group, quarterCount)));
      bucketOf.set(decidedBy, bucket);
    }
    // Before `from` (cumulative sums only), the share of each quarter goes into the carry. From `from` on, the
    // cells first take changes: the share where the record starts and its negation after it ends. Sums are exact,
    // so the running sums of the changes are exactly the sums of the shares in each quarter, at two additions a
    // record rather than one per quarter.
    spread(bucket.value, share, start, end, from, to);
    spreadMargin(bucket.below, counted.below[index], start, end, from, to);
    spreadMargin(bucket.above, counted.above[index], start, end, from, to);
  }
  for (const bucket of buckets.values()) runningSums(bucket.value);

  const ordered = [...buckets.values()]
    .map((bucket) => ({ bucket, ...bucket.group, total: layerTotal(bucket.value).value() }))
    .sort(compareSeries);
  const kept = query.top !== undefined && ordered.length > query.top ? ordered.slice(0, query.top) : ordered;
  const folded = ordered.slice(kept.length);
  const series: CapacitySeries[] = kept.map(({ bucket }) => seriesOf(bucket, query.cumulative));
  if (folded.length > 0) {
    const others = newBucket(OTHERS_SERIES, quarterCount);
    for (const { bucket } of folded) mergeBucket(others, bucket);
    series.push(seriesOf(others, query.cumulative));
  }

  const totals = { value: new ExactSum(), below: 0, above: 0 };
  for (const bucket of buckets.values()) {
    totals.value.addSum(layerTotal(bucket.value));
    totals.below += marginTotal(bucket.below);
    totals.above += marginTotal(bucket.above);
  }
  const total = totals.value.value();
  const quarters: Quarter[] = [];
  for (let quarter = from; quarter <= to; quarter++) quarters.push(quarterFromIndex(quarter));
  return {
    quarters,
    series,
    total,
    ...bandOf(total, totals.below, totals.above),
    openAbove,
    excluded: exclusions,
  };
}

/** The headline figures for a filter and metric over `from`..`to` (open where not given). */
export function summarizeCapacity(ledger: CapacityLedger, measure: CapacityMeasure): CapacitySummaryFigures {
  const classified = classify(ledger, measure);
  const report = reportOf(ledger, classified, { ...measure, groupBy: 'company', cumulative: false });
  const requested = requestedRange(measure);
  const { counted } = classified;
  let recordsInPeriod = 0;
  let latest: string | null = null;
  for (let index = 0; index < counted.count; index++) {
    const record = ledger.records[counted.positions[index]];
    const window = { first: counted.first[index], last: counted.last[index] };
    recordsInPeriod += commitmentsOverlapping(window, record, requested);
    if (!windowOverlaps(window, requested.from, requested.to)) continue;
    if (latest === null || record.announcedOn > latest) latest = record.announcedOn;
  }
  return {
    total: report.total,
    low: report.low,
    high: report.high,
    openAbove: report.openAbove,
    companies: report.series.length,
    records: recordsInPeriod,
    excluded: report.excluded,
    latestAnnouncedOn: latest,
  };
}

/**
 * The `count` records with an amount: their positions in the ledger, their windows and the amount that falls in
 * each quarter of the window, side by side in typed lists. A ledger read for a dashboard can hold hundreds of
 * thousands of records; typed lists keep them out of the garbage collector's old generation.
 */
interface CountedRecords {
  count: number;
  positions: Int32Array;
  first: Int32Array;
  last: Int32Array;
  shares: Float64Array;
  /** How far each share's low lies below it, and its high above it (both ≥ 0; 0 for an exact amount). */
  below: Float64Array;
  above: Float64Array;
}

interface ExcludedRecord {
  window: DeliveryWindow;
  reason: ExclusionReason;
  record: CapacityRecord;
}

interface Classified {
  counted: CountedRecords;
  excluded: ExcludedRecord[];
}

/** Splits the records that count (live, not superseded, status counted) into those with an amount and those without. */
function classify(ledger: CapacityLedger, measure: CapacityMeasure): Classified {
  const superseded = supersededIds(ledger.revisions);
  const statuses = new Set(countedStatuses(measure.statuses));
  const size = ledger.records.length;
  const counted: CountedRecords = {
    count: 0,
    positions: new Int32Array(size),
    first: new Int32Array(size),
    last: new Int32Array(size),
    shares: new Float64Array(size),
    below: new Float64Array(size),
    above: new Float64Array(size),
  };
  const margin = measure.approximateMargin ?? DEFAULT_APPROXIMATE_MARGIN;
  const excluded: ExcludedRecord[] = [];
  for (let position = 0; position < size; position++) {
    const record = ledger.records[position];
    if (superseded.has(record.id) || !statuses.has(record.status)) continue;
    const chip = chipOf(ledger, record);
    const window = record.window ?? basisWindow(record, measure.basis);
    const { amount, reason } = recordAmount(record, chip, measure.metric, measure.precision);
    if (amount === null) excluded.push({ window, reason, record });
    else {
      counted.positions[counted.count] = position;
      counted.first[counted.count] = window.first;
      counted.last[counted.count] = window.last;
      const { low, high } = amountRange(record, amount, margin);
      const share = evenShare(amount, window);
      // low ≤ amount ≤ high, so both differences are ≥ 0 in floating point too.
      counted.below[counted.count] = share - evenShare(low, window);
      counted.above[counted.count] = evenShare(high, window) - share;
      counted.shares[counted.count++] = share;
    }
  }
  return { counted, excluded };
}

/**
 * The low and high of a record's amount `a` in a metric: from the summed range it carries (a rollup row), else from
 * its own bounds, qualifier and certainty (`ranges.ts`).
 */
function amountRange(record: CapacityRecord, a: number, margin: number): { low: number; high: number } {
  const source = primaryAmount(record);
  const terms = record.range ?? rangeTerms(record);
  return terms === null || source === null ? { low: a, high: a } : scaledRange(a, source, terms, margin);
}

/** How many of the commitments a record stands for have no upper bound and overlap the requested period. */
function openOverlapping(window: DeliveryWindow, record: CapacityRecord, requested: { from?: number; to?: number }): number {
  if (record.range) {
    const { openStarting, openEnding } = record.range;
    if (openStarting === 0 && openEnding === 0) return 0;
    return commitmentsOverlapping(window, { ...record, commitmentsStarting: openStarting, commitmentsEnding: openEnding }, requested);
  }
  return isOpenAbove(record) ? commitmentsOverlapping(window, record, requested) : 0;
}

function chipOf(ledger: CapacityLedger, record: CapacityRecord): CapacityChip | null {
  return record.acceleratorId === null ? null : (ledger.chips.get(record.acceleratorId) ?? null);
}

/** Commitments without an amount whose quarters overlap the requested period (all of them when none is given). */
function countExclusions(excluded: ExcludedRecord[], requested: { from?: number; to?: number }): Exclusions {
  const reasons = Object.fromEntries(EXCLUSION_REASONS.map((reason) => [reason, 0])) as Record<ExclusionReason, number>;
  let count = 0;
  for (let index = 0; index < excluded.length; index++) {
    const { window, reason, record } = excluded[index];
    const commitments = commitmentsOverlapping(window, record, requested);
    count += commitments;
    reasons[reason] += commitments;
  }
  return { count, reasons };
}

/**
 * How many of the commitments a record stands for overlap the requested period (`from` ≤ `to`): those whose window
 * starts by `to`, less those whose window ended before `from` (they started before it too). Summed over the records
 * of a commitment's quarters, this counts it once when its window overlaps the period and not at all otherwise.
 */
function commitmentsOverlapping(window: DeliveryWindow, record: CapacityRecord, requested: { from?: number; to?: number }): number {
  const started = requested.to === undefined || window.first <= requested.to ? (record.commitmentsStarting ?? 1) : 0;
  const ended = requested.from !== undefined && window.last < requested.from ? (record.commitmentsEnding ?? 1) : 0;
  return started - ended;
}

function requestedRange(measure: CapacityMeasure): { from?: number; to?: number } {
  return {
    from: measure.from === undefined ? undefined : quarterIndex(measure.from),
    to: measure.to === undefined ? undefined : quarterIndex(measure.to),
  };
}

/** `seriesGroup`, with vendors whose names differ only in case (the vendor filter ignores case) under one spelling. */
function groupingOf(ledger: CapacityLedger, groupBy: GroupBy): (record: CapacityRecord, chip: CapacityChip | null) => SeriesGroup {
  if (groupBy !== 'vendor') return (record, chip) => seriesGroup(record, chip, groupBy);
  const spelling = new Map<string, string>();
  for (const chip of ledger.chips.values()) {
    const known = spelling.get(chip.vendor.toLowerCase());
    if (known === undefined || compareText(chip.vendor, known) < 0) spelling.set(chip.vendor.toLowerCase(), chip.vendor);
  }
  return (record, chip) => {
    if (!chip) return seriesGroup(record, chip, groupBy);
    const vendor = spelling.get(chip.vendor.toLowerCase()) ?? chip.vendor;
    return { key: vendor, label: vendor };
  };
}

/** One figure of a series while it is summed: what falls before `from` (for cumulative sums) and in each reported quarter. */
interface Layer {
  carry: ExactSum;
  cells: ExactSum[];
}

/**
 * How far below (or above) a series' values its range reaches, by quarter: sums of non-negative differences, so the
 * low (value − below, floored at 0) never exceeds the value and the high (value + above) is never under it, whatever
 * the rounding. Exact amounts add nothing, so a ledger of exact records costs what it did without ranges.
 */
interface Margin {
  carry: number;
  cells: Float64Array;
}

/** One series while it is summed: its values, and how far their range reaches below and above them. */
interface Bucket {
  group: SeriesGroup;
  value: Layer;
  below: Margin;
  above: Margin;
}

function newBucket(group: SeriesGroup, quarterCount: number): Bucket {
  return {
    group,
    value: { carry: new ExactSum(), cells: Array.from({ length: quarterCount }, () => new ExactSum()) },
    below: { carry: 0, cells: new Float64Array(quarterCount) },
    above: { carry: 0, cells: new Float64Array(quarterCount) },
  };
}

/**
 * Adds a share to every quarter from `start` to `end`. Before `from` (cumulative sums only), the share of each quarter
 * goes into the carry. From `from` on, the cells first take changes: the share where the record starts and its
 * negation after it ends. Sums are exact, so the running sums of the changes (`runningSums`) are exactly the sums of
 * the shares in each quarter, at two additions a record rather than one per quarter.
 */
function spread(layer: Layer, share: number, start: number, end: number, from: number, to: number): void {
  for (let quarter = start; quarter < from && quarter <= end; quarter++) layer.carry.add(share);
  if (Math.max(start, from) <= end) {
    layer.cells[Math.max(start, from) - from].add(share);
    if (end < to) layer.cells[end + 1 - from].add(-share);
  }
}

/** Adds a margin to every quarter from `start` to `end` (before `from`: to the carry), one addition a quarter. */
function spreadMargin(margin: Margin, amount: number, start: number, end: number, from: number, to: number): void {
  if (amount === 0) return;
  for (let quarter = start; quarter < from && quarter <= end; quarter++) margin.carry += amount;
  for (let quarter = Math.max(start, from); quarter <= Math.min(end, to); quarter++) margin.cells[quarter - from] += amount;
}

/** Turns a layer's changes into what falls in each quarter. */
function runningSums(layer: Layer): void {
  const running = new ExactSum();
  layer.cells = layer.cells.map((change) => new ExactSum().addSum(running.addSum(change)));
}

function mergeBucket(into: Bucket, from: Bucket): void {
  into.value.carry.addSum(from.value.carry);
  from.value.cells.forEach((cell, index) => into.value.cells[index].addSum(cell));
  for (const side of ['below', 'above'] as const) {
    into[side].carry += from[side].carry;
    from[side].cells.forEach((cell, index) => (into[side].cells[index] += cell));
  }
}

function layerTotal(layer: Layer): ExactSum {
  const total = new ExactSum();
  for (const cell of layer.cells) total.addSum(cell);
  return total;
}

function marginTotal(margin: Margin): number {
  let total = 0;
  for (const cell of margin.cells) total += cell;
  return total;
}

function layerValues(layer: Layer, cumulative: boolean): number[] {
  if (!cumulative) return layer.cells.map((cell) => cell.value());
  const running = new ExactSum().addSum(layer.carry);
  return layer.cells.map((cell) => running.addSum(cell).value());
}

function marginValues(margin: Margin, cumulative: boolean): number[] {
  if (!cumulative) return [...margin.cells];
  let running = margin.carry;
  return Array.from(margin.cells, (cell) => (running += cell));
}

/** The low and high of a value whose range reaches `below` under it and `above` over it. */
function bandOf(value: number, below: number, above: number): { low: number; high: number } {
  return { low: below === 0 ? value : Math.max(0, value - below), high: value + above };
}

function seriesOf(bucket: Bucket, cumulative: boolean): CapacitySeries {
  const values = layerValues(bucket.value, cumulative);
  const below = marginValues(bucket.below, cumulative);
  const above = marginValues(bucket.above, cumulative);
  const total = layerTotal(bucket.value).value();
  const totalBand = bandOf(total, marginTotal(bucket.below), marginTotal(bucket.above));
  return {
    ...bucket.group,
    values,
    low: values.map((value, index) => bandOf(value, below[index], 0).low),
    high: values.map((value, index) => value + above[index]),
    total,
    totalLow: totalBand.low,
    totalHigh: totalBand.high,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
