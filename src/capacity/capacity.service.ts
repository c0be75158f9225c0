import { setImmediate } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import {
  type CapacityLedger,
  type CapacityMeasure,
  type CapacityRecord,
  computeCapacity,
  type SummedRange,
  countedStatuses,
  summarizeCapacity,
} from '../domain/capacity.js';
import { stringPool } from '../common/text.js';
import { ExactSum } from '../domain/exact-sum.js';
import { readSnapshot } from '../database/read-replica.js';
import type { DeliveryWindow } from '../domain/delivery-window.js';
import { type Quarter, quarterFromIndex } from '../domain/quarter.js';
import type { AcceleratorKind } from '../domain/vocabulary.js';
import { Environment } from '../config/environment.js';
import { AnswerCache, type CachedAnswer, InFlight, queryKey } from '../common/answer-cache.js';
import { RANGE_SUFFIXES, readLedgerVersion, ROLLUP_METRIC_COLUMNS } from '../database/capacity-rollup.js';
import type { CapacityDriftResponse, CapacityResponse, CapacitySummaryResponse, TopCompaniesResponse } from '../contracts/capacity.js';
import { invalidField } from '../common/errors.js';
import type { DriftQuery } from './dto/drift.query.js';
import { type CompanyFacts, type LinkedRead, linkedCapacityRecords } from './linked-records.js';
import { ledgerOfRecords, readCatalogs } from './as-of-ledger.js';
import { createAsOfTables, fillAsOf, indexAsOfTables, pastMoment, readAsOf } from '../database/as-of.js';
import { readDriftHistory } from './drift-history.js';
import { endOfDay, type Moment, stepDates } from '../domain/moments.js';
import { BoundedMap } from '../common/bounded-map.js';
import type { CapacityFilterQuery, GetCapacityQuery, TopCompaniesQuery } from './dto/capacity.query.js';

/**
 * A rollup row as the database sends it for one metric, in array form to keep a large read lean: company and chip
 * by their position in the catalogs ordered by id, dates as days since 2000-01-01. Then, for all the commitments of
 * the row, for those with a stated figure of the metric and for those whose amount comes from their quantity: the
 * amount (not for all), the commitments starting and ending in the quarter, and the latest announcement.
 */
type RollupRow = [
  company: number,
  chip: number | null,
  acceleratorKind: AcceleratorKind,
  quarter: number,
  allStarting: number,
  allEnding: number,
  allLatestDay: number,
  stated: number | null,
  statedStarting: number,
  statedEnding: number,
  statedLatestDay: number | null,
  fromQuantity: number | null,
  fromQuantityStarting: number,
  fromQuantityEnding: number,
  fromQuantityLatestDay: number | null,
  ...statedRange: RangeSums,
  ...fromQuantityRange: RangeSums,
];

/** The range sums of a source (`capacity-rollup.ts`, RANGE_SUFFIXES): low, low margin, high, high margin, open starting and ending. */
type RangeSums = [number | null, number | null, number | null, number | null, number, number];

const DAY_ZERO = Date.UTC(2000, 0, 1);
/** The most dates one drift answer follows (about three years by day). */
const MAX_DRIFT_DATES = 1_100;
/** How many answers for settled past moments are kept (the oldest kept goes first). */
const SETTLED_ANSWERS = 1_000;
const DAY_MS = 86_400_000;
/** Decimals a drift value is rounded to. */
const DRIFT_DIGITS = 6;

/**
 * Capacity figures: reads the rollup for a filter, leaves the arithmetic to `domain/capacity.ts`, and keeps the
 * serialised answers until the ledger version changes.
 */
@Injectable()
export class CapacityService {
  private readonly cache = new AnswerCache();
  /** Rollup reads in progress, by version and what they read: a dashboard asks for several answers of one filter at once. */
  private readonly ledgerReads = new InFlight<CapacityLedger>();
  /** Answers for settled past moments, which never change (see cachedAsOf). */
  private readonly settledAnswers = new BoundedMap<CachedAnswer>(SETTLED_ANSWERS);
  private readonly pastReads = new InFlight<{ ledger: CapacityLedger; settled: boolean }>();

  private readonly approximateMargin: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    environment: Environment,
  ) {
    this.approximateMargin = environment.APPROXIMATE_MARGIN;
  }

  /** Each answer is for `version`, the ledger version the request read (`VersionsService`). */
  capacity(query: GetCapacityQuery, version: number): Promise<CachedAnswer> {
    return this.cached('capacity', query, version, (ledger) => {
      const report = computeCapacity(ledger, {
        ...this.measureOf(query),
        groupBy: query.groupBy,
        cumulative: query.cumulative,
        top: query.top,
      });
      return {
        metric: query.metric,
        basis: query.basis,
        groupBy: query.groupBy,
        quarters: report.quarters,
        series: report.series.map(({ key, label, values, low, high }) => ({ key, label, values, low, high })),
        total: report.total,
        low: report.low,
        high: report.high,
        openAbove: report.openAbove,
        excluded: report.excluded,
      } satisfies CapacityResponse;
    });
  }

  summary(query: CapacityFilterQuery, version: number): Promise<CachedAnswer> {
    return this.cached('summary', query, version, (ledger) => {
      const figures = summarizeCapacity(ledger, this.measureOf(query));
      return {
        metric: query.metric,
        precision: query.precision,
        basis: query.basis,
        total: figures.total,
        low: figures.low,
        high: figures.high,
        openAbove: figures.openAbove,
        companies: figures.companies,
        recordsCounted: figures.records,
        excluded: figures.excluded,
        latestAnnouncedOn: figures.latestAnnouncedOn,
      } satisfies CapacitySummaryResponse;
    });
  }

  topCompanies(query: TopCompaniesQuery, version: number): Promise<CachedAnswer> {
    return this.cached('top-companies', query, version, (ledger) => {
      const report = computeCapacity(ledger, { ...this.measureOf(query), groupBy: 'company', cumulative: false });
      return {
        metric: query.metric,
        precision: query.precision,
        basis: query.basis,
        companies: report.series
          .slice(0, query.limit)
          .map(({ key, label, total, totalLow, totalHigh }) => ({ id: key, name: label, total, low: totalLow, high: totalHigh })),
      } satisfies TopCompaniesResponse;
    });
  }

  /**
   * The cumulative total up to and including `quarter` as the ledger stood at the end of each date (computeDrift),
   * with its low and high. The answer is kept for the ledger version, as the present answers are: finding the
   * changes between the dates reads every version.
   */
  async drift(query: DriftQuery, version: number): Promise<CachedAnswer> {
    const { step } = query;
    const to = query.to ?? new Date().toISOString().slice(0, 10);
    const from = query.from ?? yearBefore(to);
    if (from > to) throw invalidField('from', 'from must not be after to', from);
    const dates = stepDates(from, to, step);
    if (dates.length > MAX_DRIFT_DATES) {
      throw invalidField('step', `at most ${MAX_DRIFT_DATES} dates per answer: choose a longer step or a shorter period`, step);
    }
    return this.cache.get(version, queryKey('drift', { ...query, from, to }), () => this.computeDrift(query, dates, version));
  }

  /**
   * The first date is the summary as of its end; each later date adds what the records changed since the date
   * before changed in the summary. The summary is a sum over groups of records that only count against one another
   * through their supersession and part-of links, so the records whose versions began or ended between two dates,
   * closed over the links that stood at some moment between them, are read as they stood at both ends (the same
   * SQL and arithmetic as a summary, on temporary tables holding only their versions), and the difference of their
   * total, of what their range reaches below it and of what it reaches above it is added. Values are rounded to
   * DRIFT_DIGITS decimals, as a sum of differences can differ from one summary in the last bits.
   */
  private async computeDrift(query: DriftQuery, dates: string[], version: number): Promise<CapacityDriftResponse> {
    const { quarter, step: _step, from: _from, to: _to, ...filters } = query;
    const pointOf = (date: string) => ({ ...filters, to: quarter, asOf: endOfDay(date).at }) as CapacityFilterQuery;
    const start = JSON.parse((await this.summary(pointOf(dates[0]), version)).body.toString('utf8')) as CapacitySummaryResponse;
    const answer: CapacityDriftResponse = { quarter, dates, values: [], low: [], high: [] };
    // Exact sums of the differences: the error of each difference is that of a few records' figures, not the total's.
    const total = new ExactSum().add(start.total);
    const below = new ExactSum().add(start.total).add(-start.low);
    const above = new ExactSum().add(start.high).add(-start.total);
    const push = () => {
      const value = total.value();
      const under = below.value();
      answer.values.push(driftFigure(value));
      answer.low.push(driftFigure(under > 0 ? Math.max(0, value - under) : value));
      answer.high.push(driftFigure(value + above.value()));
    };
    push();
    if (dates.length === 1) return answer;
    const read = ledgerReadOf(pointOf(dates[0]));
    const measure = this.measureOf(pointOf(dates[0]));
    await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const history = await readDriftHistory(manager, dates[0], dates[dates.length - 1]);
      const catalogs = await readCatalogs(manager);
      await createAsOfTables(manager);
      await indexAsOfTables(manager);
      const summaryOf = async (date: string, ids: string[]) => {
        await fillAsOf(manager, endOfDay(date), ids);
        return summarizeCapacity(await ledgerOfRecords(manager, read, this.approximateMargin, catalogs), measure);
      };
      for (let index = 1; index < dates.length; index++) {
        const previous = dates[index - 1];
        const date = dates[index];
        const touched = history.changedBetween(previous, date);
        if (touched.length > 0) {
          const ids = history.closure(touched, previous, date);
          const before = await summaryOf(previous, ids);
          const after = await summaryOf(date, ids);
          total.add(after.total).add(-before.total);
          below.add(after.total).add(-after.low).add(-before.total).add(before.low);
          above.add(after.high).add(-after.total).add(-before.high).add(before.total);
        }
        push();
      }
    });
    return answer;
  }

  private measureOf(query: CapacityFilterQuery): CapacityMeasure {
    return { ...measureOf(query), approximateMargin: this.approximateMargin };
  }

  /**
   * The rollup is read only when the answer for this version is not cached, and answers missing at the same moment
   * for one version, filter and basis share that read.
   */
  private async cached(
    route: string,
    query: CapacityFilterQuery,
    version: number,
    answer: (ledger: CapacityLedger) => unknown,
  ): Promise<CachedAnswer> {
    const moment = pastMoment(query.asOf);
    if (moment) return this.cachedAsOf(route, query, moment, version, answer);
    return this.cache.get(version, queryKey(route, query), async () => {
      const read = ledgerReadOf(query);
      const ledger = await this.ledgerReads.get(`${version} ${queryKey('ledger', read)}`, () => this.ledger(read, version));
      // The answers waiting for one read are computed one per turn of the event loop, so each is sent as soon as it
      // is ready rather than after all of them: the dashboard draws its first chart from the first.
      await setImmediate();
      return answer(ledger);
    });
  }

  /**
   * An answer as the ledger stood at a past moment (`asOf`), computed from the record versions valid then. Once that
   * moment is settled (no transaction that could still add versions before it is open) the answer can never change
   * and is kept for good, in a bounded store of its own; until then it is kept for the ledger version, like the rest.
   */
  private async cachedAsOf(
    route: string,
    query: CapacityFilterQuery,
    moment: Moment,
    version: number,
    answer: (ledger: CapacityLedger) => unknown,
  ): Promise<CachedAnswer> {
    const key = queryKey(route, { ...query, asOf: moment.at });
    const kept = this.settledAnswers.get(key);
    if (kept) return kept;
    let settled = false;
    const computed = await this.cache.get(version, key, async () => {
      const read = ledgerReadOf(query);
      const past = await this.pastReads.get(`${moment.at} ${queryKey('ledger', read)}`, () =>
        readAsOf(this.dataSource, moment, async (manager, isSettled) => ({
          ledger: await ledgerOfRecords(manager, read, this.approximateMargin),
          settled: isSettled,
        })),
      );
      settled = past.settled;
      await setImmediate();
      return answer(past.ledger);
    });
    if (settled) this.settledAnswers.set(key, computed);
    return computed;
  }

  /**
   * The rollup rows that pass the record filters (company, chip, vendor, kind), have a counted status and are on
   * the basis asked, as records of the capacity arithmetic for the metric asked, and the chip catalog, read in one
   * snapshot: on a read replica that has replayed ledger version `version`, else on the primary. A row gives up to
   * three records: what comes from stated figures, what comes from quantities, and the commitments with neither
   * (left out as undisclosed). Supersession is already applied by the rollup, so there are no revisions left.
   */
  private ledger(read: LedgerRead, version: number): Promise<CapacityLedger> {
    const caughtUp = async (manager: EntityManager) => (await readLedgerVersion(manager)) >= version;
    return readSnapshot(this.dataSource, caughtUp, async (manager) => {
      const chips = await manager.find(Accelerator, { order: { id: 'ASC' } });
      const companies: CompanyFacts[] = await manager.query('SELECT id, name, country, kind FROM companies ORDER BY id');
      // Strings and windows shared between records: a million-record ledger gives tens of thousands of rows, and
      // each request that is not cached should hold as little as it can.
      const dates = new Map<number, string>();
      const dateOf = (day: number): string => {
        let date = dates.get(day);
        if (date === undefined) dates.set(day, (date = new Date(DAY_ZERO + day * DAY_MS).toISOString().slice(0, 10)));
        return date;
      };
      const windows = new Map<number, { window: DeliveryWindow; quarter: Quarter }>();
      const quarterOf = (index: number) => {
        let quarter = windows.get(index);
        if (quarter === undefined)
          windows.set(index, (quarter = { window: { first: index, last: index }, quarter: quarterFromIndex(index) }));
        return quarter;
      };
      // The statuses were filtered by the query, and rows of several of them folded: any counted one stands for them.
      const [status] = read.statuses;
      const records: CapacityRecord[] = [];
      const shared = stringPool();
      // One shape for every record (no spreads), so that the arithmetic's loops over them stay fast.
      const add = (
        row: RollupRow,
        quantity: number | null,
        stated: number | null,
        latestDay: number,
        starting: number,
        ending: number,
        range: SummedRange | undefined,
      ) => {
        const { window, quarter } = quarterOf(row[3]);
        records.push({
          // Supersession is already applied, so no revision names a record and one id serves them all.
          id: 'rollup',
          companyId: companies[row[0]].id,
          companyName: companies[row[0]].name,
          companyCountry: companies[row[0]].country,
          companyKind: companies[row[0]].kind,
          acceleratorId: row[1] === null ? null : chips[row[1]].id,
          acceleratorKind: shared(row[2]) as AcceleratorKind,
          status,
          quantity,
          statedH100e: read.metric === 'h100e' ? stated : null,
          statedPowerMw: read.metric === 'power_mw' ? stated : null,
          announcedOn: dateOf(latestDay),
          deliveryFrom: quarter,
          deliveryBy: quarter,
          window,
          commitmentsStarting: starting,
          commitmentsEnding: ending,
          range,
        });
      };
      await streamRollupRows(manager, read, (row) => {
        const [, , , , allStarting, allEnding, allLatest, ...bySource] = row;
        const [stated, statedStarting, statedEnding, statedLatest, fromQuantity, quantityStarting, quantityEnding, quantityLatest] =
          bySource;
        if (stated !== null) add(row, null, stated, statedLatest!, statedStarting, statedEnding, summedRange(row, 15));
        if (fromQuantity !== null) add(row, fromQuantity, null, quantityLatest!, quantityStarting, quantityEnding, summedRange(row, 21));
        // The commitments with neither a stated figure nor a quantity, left out as undisclosed.
        const undisclosedStarting = allStarting - statedStarting - quantityStarting;
        const undisclosedEnding = allEnding - statedEnding - quantityEnding;
        if (undisclosedStarting !== 0 || undisclosedEnding !== 0)
          add(row, null, null, allLatest, undisclosedStarting, undisclosedEnding, undefined);
      });
      const catalog = new Map(chips.map((chip) => [chip.id, chip]));
      // The records the rollup leaves out (hosts, site countries, wholes and parts), counted for this read.
      for (const record of await linkedCapacityRecords(
        manager,
        read,
        catalog,
        new Map(companies.map((company) => [company.id, company])),
        this.approximateMargin,
      )) {
        records.push(record);
      }
      return { records, chips: catalog, revisions: [] };
    });
  }
}

/**
 * What a ledger read depends on: the record filters (vendors in lower case), the statuses counted, basis and metric,
 * and for the linked records counted per read, precision and attribution.
 */
type LedgerRead = LinkedRead;

/**
 * The rollup rows for a read, folded further for it: once the statuses are filtered here, rows that differ only in
 * status are alike for the arithmetic, so they come back as one row with their amounts and counts summed. This
 * only adds like to like; every figure is still computed by the domain.
 */
async function streamRollupRows(manager: EntityManager, read: LedgerRead, onRow: (row: RollupRow) => void): Promise<void> {
  const conditions = ['rollup.basis = $1', 'rollup.status = ANY($2::commitment_status[])'];
  const parameters: unknown[] = [read.basis, read.statuses];
  const where = (condition: string, value: unknown) => {
    parameters.push(value);
    conditions.push(condition.replace('?', `$${parameters.length}`));
  };
  if (read.companyId?.length) where('rollup.company_id = ANY(?::uuid[])', read.companyId);
  if (read.acceleratorId?.length) where('rollup.accelerator_id = ANY(?::uuid[])', read.acceleratorId);
  if (read.vendor?.length)
    where('rollup.accelerator_id IN (SELECT id FROM accelerators WHERE lower(vendor) = ANY(?::text[]))', read.vendor);
  if (read.kind?.length) where('rollup.accelerator_kind = ANY(?::accelerator_kind[])', read.kind);
  // Sums of numeric amounts, exact whatever order the rows come in, turned into float8 once; dates as days.
  const sums = (prefix: string | null, as: string) =>
    prefix === null
      ? `NULL::float8 AS ${as}, 0 AS ${as}_starting, 0 AS ${as}_ending, NULL::integer AS ${as}_latest`
      : `sum(rollup.${prefix})::float8 AS ${as}, sum(rollup.${prefix}_starting)::integer AS ${as}_starting,
         sum(rollup.${prefix}_ending)::integer AS ${as}_ending, max(rollup.${prefix}_latest) - date '2000-01-01' AS ${as}_latest`;
  // The range sums beside them, in the order of RANGE_SUFFIXES (open counts as integers, the rest as float8).
  const rangeSums = (prefix: string | null, as: string) =>
    RANGE_SUFFIXES.map((suffix) => {
      const integer = suffix.startsWith('open');
      if (prefix === null) return `${integer ? '0' : 'NULL::float8'} AS ${as}_${suffix}`;
      return `sum(rollup.${prefix}_${suffix})::${integer ? 'integer' : 'float8'} AS ${as}_${suffix}`;
    }).join(', ');
  const rangeNames = (as: string) => RANGE_SUFFIXES.map((suffix) => `folded.${as}_${suffix}`).join(', ');
  const { stated, fromQuantity } = ROLLUP_METRIC_COLUMNS[read.metric];
  // The query runner's own pg client, for rows as arrays handed over one by one rather than gathered.
  const client = (await (manager.queryRunner as PostgresQueryRunner).connect()) as pg.PoolClient;
  // Folding leaves a third of the rows (about 58,600 of 152,000 at a million records): a parallel plan's partial
  // aggregation saves less than its second aggregation and gathering cost, so one process is faster here.
  await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
  const config: pg.QueryArrayConfig = {
    rowMode: 'array',
    // Folded on the rollup's own columns first, then company and chip named by position for the rows sent.
    text: `SELECT company.position, chip.position, folded.accelerator_kind, folded.quarter,
         folded.all_starting, folded.all_ending, folded.all_latest,
         folded.stated, folded.stated_starting, folded.stated_ending, folded.stated_latest,
         folded.from_quantity, folded.from_quantity_starting, folded.from_quantity_ending, folded.from_quantity_latest,
         ${rangeNames('stated')}, ${rangeNames('from_quantity')}
       FROM (
         SELECT rollup.company_id, rollup.accelerator_id, rollup.accelerator_kind, rollup.quarter,
           sum(rollup.commitments_starting)::integer AS all_starting, sum(rollup.commitments_ending)::integer AS all_ending,
           max(rollup.commitments_latest) - date '2000-01-01' AS all_latest,
           ${sums(stated, 'stated')}, ${sums(fromQuantity, 'from_quantity')},
           ${rangeSums(stated, 'stated')}, ${rangeSums(fromQuantity, 'from_quantity')}
         FROM capacity_rollup rollup
         WHERE ${conditions.join(' AND ')}
         GROUP BY rollup.company_id, rollup.accelerator_id, rollup.accelerator_kind, rollup.quarter
       ) folded
       JOIN (SELECT id, (row_number() OVER (ORDER BY id))::integer - 1 AS position FROM companies) company ON company.id = folded.company_id
       LEFT JOIN (SELECT id, (row_number() OVER (ORDER BY id))::integer - 1 AS position FROM accelerators) chip ON chip.id = folded.accelerator_id`,
    values: parameters,
  };
  const query = client.query(new pg.Query(config));
  await new Promise<void>((resolve, reject) => {
    query.on('row', (row: RollupRow) => onRow(row));
    query.on('end', () => resolve());
    query.on('error', reject);
  });
}

/** A drift value, rounded to DRIFT_DIGITS decimals. */
function driftFigure(value: number): number {
  const scale = 10 ** DRIFT_DIGITS;
  return Math.round(value * scale) / scale;
}

/** The same day a year earlier (28 February for a 29th). */
function yearBefore(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const earlier = new Date(Date.UTC(year - 1, month - 1, day));
  return (earlier.getUTCMonth() === month - 1 ? earlier : new Date(Date.UTC(year - 1, month - 1, 28))).toISOString().slice(0, 10);
}

function ledgerReadOf(query: CapacityFilterQuery): LedgerRead {
  return {
    companyId: query.companyId,
    acceleratorId: query.acceleratorId,
    vendor: query.vendor?.map((vendor) => vendor.toLowerCase()),
    kind: query.kind,
    statuses: countedStatuses(query.status),
    basis: query.basis,
    metric: query.metric,
    precision: query.precision,
    attribution: query.attribution,
  };
}

function measureOf(query: CapacityFilterQuery): CapacityMeasure {
  return { metric: query.metric, precision: query.precision, basis: query.basis, statuses: query.status, from: query.from, to: query.to };
}

/** The summed range of a row's source whose range sums start at `offset` (null sums, of no commitment, as 0). */
function summedRange(row: RollupRow, offset: number): SummedRange {
  const [lowBase, lowMargin, highBase, highMargin, openStarting, openEnding] = row.slice(offset, offset + 6) as RangeSums;
  return {
    lowBase: lowBase ?? 0,
    lowMargin: lowMargin ?? 0,
    highBase: highBase ?? 0,
    highMargin: highMargin ?? 0,
    openStarting,
    openEnding,
  };
}
