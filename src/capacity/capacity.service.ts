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
  countedStatuses,
  summarizeCapacity,
} from '../domain/capacity.js';
import { readSnapshot } from '../database/read-replica.js';
import type { DeliveryWindow } from '../domain/delivery-window.js';
import { quarterFromIndex } from '../domain/quarter.js';
import type { AcceleratorKind, Basis, CommitmentStatus } from '../domain/vocabulary.js';
import { AnswerCache, type CachedAnswer, InFlight, queryKey, SharedRead } from './answer-cache.js';
import { readLedgerVersion } from './capacity-rollup.js';
import type { CapacityResponse, CapacitySummaryResponse, TopCompaniesResponse } from './capacity.contract.js';
import type { CapacityFilterQuery, GetCapacityQuery, TopCompaniesQuery } from './dto/capacity.query.js';

/**
 * A rollup row as the database sends it, in array form to keep a large read lean: company and chip by their
 * position in the catalogs ordered by id, the latest announcement as days since 2000-01-01.
 */
type RollupRow = [
  company: number,
  chip: number | null,
  acceleratorKind: AcceleratorKind,
  windowFirst: number,
  windowLast: number,
  records: number,
  quantity: number | null,
  statedH100e: number | null,
  statedPowerMw: number | null,
  latestAnnouncedDay: number,
];

const DAY_ZERO = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/**
 * Capacity figures: reads the rollup for a filter, leaves the arithmetic to `domain/capacity.ts`, and keeps the
 * serialised answers until the ledger version changes.
 */
@Injectable()
export class CapacityService {
  private readonly cache = new AnswerCache();
  private readonly ledgerVersion: SharedRead<number>;
  /** Rollup reads in progress, by version and what they read: a dashboard asks for several answers of one filter at once. */
  private readonly ledgerReads = new InFlight<CapacityLedger>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.ledgerVersion = new SharedRead(() => readLedgerVersion(this.dataSource.manager));
  }

  capacity(query: GetCapacityQuery): Promise<CachedAnswer> {
    return this.cached('capacity', query, (ledger) => {
      const report = computeCapacity(ledger, { ...measureOf(query), groupBy: query.groupBy, cumulative: query.cumulative, top: query.top });
      return {
        metric: query.metric,
        basis: query.basis,
        groupBy: query.groupBy,
        quarters: report.quarters,
        series: report.series.map(({ key, label, values }) => ({ key, label, values })),
        total: report.total,
        excluded: report.excluded,
      } satisfies CapacityResponse;
    });
  }

  summary(query: CapacityFilterQuery): Promise<CachedAnswer> {
    return this.cached('summary', query, (ledger) => {
      const figures = summarizeCapacity(ledger, measureOf(query));
      return {
        metric: query.metric,
        precision: query.precision,
        basis: query.basis,
        total: figures.total,
        companies: figures.companies,
        recordsCounted: figures.records,
        excluded: figures.excluded,
        latestAnnouncedOn: figures.latestAnnouncedOn,
      } satisfies CapacitySummaryResponse;
    });
  }

  topCompanies(query: TopCompaniesQuery): Promise<CachedAnswer> {
    return this.cached('top-companies', query, (ledger) => {
      const report = computeCapacity(ledger, { ...measureOf(query), groupBy: 'company', cumulative: false });
      return {
        metric: query.metric,
        precision: query.precision,
        basis: query.basis,
        companies: report.series.slice(0, query.limit).map(({ key, label, total }) => ({ id: key, name: label, total })),
      } satisfies TopCompaniesResponse;
    });
  }

  /**
   * One cheap read of the ledger version per request, on the primary (shared by concurrent requests, never older
   * than the request), so a write through any instance is seen at once; the rollup is read only when the answer is
   * not cached, and answers missing at the same moment for one version, filter and basis share that read.
   */
  private async cached(route: string, query: CapacityFilterQuery, answer: (ledger: CapacityLedger) => unknown): Promise<CachedAnswer> {
    const version = await this.ledgerVersion.read();
    return this.cache.get(version, queryKey(route, query), async () => {
      const read: LedgerRead = {
        companyId: query.companyId,
        acceleratorId: query.acceleratorId,
        vendor: query.vendor?.map((vendor) => vendor.toLowerCase()),
        kind: query.kind,
        statuses: countedStatuses(query.status),
        basis: query.basis,
      };
      const ledger = await this.ledgerReads.get(`${version} ${queryKey('ledger', read)}`, () => this.ledger(read, version));
      // The answers waiting for one read are computed one per turn of the event loop, so each is sent as soon as it
      // is ready rather than after all of them: the dashboard draws its first chart from the first.
      await setImmediate();
      return answer(ledger);
    });
  }

  /**
   * The rollup rows that pass the record filters (company, chip, vendor, kind) and have a counted status, as
   * records of the capacity arithmetic with their quarters on the basis, and the chip catalog, read in one
   * snapshot: on a read replica that has replayed ledger version `version`, else on the primary. Supersession is
   * already applied by the rollup, so there are no revisions left to apply.
   */
  private ledger(read: LedgerRead, version: number): Promise<CapacityLedger> {
    const caughtUp = async (manager: EntityManager) => (await readLedgerVersion(manager)) >= version;
    return readSnapshot(this.dataSource, caughtUp, async (manager) => {
      const chips = await manager.find(Accelerator, { order: { id: 'ASC' } });
      const companies: { id: string; name: string }[] = await manager.query('SELECT id, name FROM companies ORDER BY id');
      // Strings and windows shared between records, and rows turned into records as they arrive: a million-record
      // ledger gives a few hundred thousand rows, and each request that is not cached should hold as little as it can.
      const shared = new Map<string | number, string>();
      const share = (key: string | number, make: () => string): string => {
        let value = shared.get(key);
        if (value === undefined) shared.set(key, (value = make()));
        return value;
      };
      const windows = new Map<number, DeliveryWindow>();
      const windowOf = (first: number, last: number): DeliveryWindow => {
        // Quarter indexes stay far below 100,000 (the year 9999 is 39,999), so this names one window.
        let window = windows.get(first * 100_000 + last);
        if (window === undefined) windows.set(first * 100_000 + last, (window = { first, last }));
        return window;
      };
      // The statuses were filtered by the query, and rows of several of them folded: any counted one stands for them.
      const [status] = read.statuses;
      const records: CapacityRecord[] = [];
      await streamRollupRows(
        manager,
        read,
        ([company, chip, acceleratorKind, first, last, count, quantity, statedH100e, statedPowerMw, day]) =>
          records.push({
            // Supersession is already applied, so no revision names a record and one id serves them all.
            id: 'rollup',
            companyId: companies[company].id,
            companyName: companies[company].name,
            acceleratorId: chip === null ? null : chips[chip].id,
            acceleratorKind: share(acceleratorKind, () => acceleratorKind) as AcceleratorKind,
            status,
            quantity,
            statedH100e,
            statedPowerMw,
            announcedOn: share(-day - 1, () => new Date(DAY_ZERO + day * DAY_MS).toISOString().slice(0, 10)),
            deliveryFrom: share(first, () => quarterFromIndex(first)),
            deliveryBy: share(last, () => quarterFromIndex(last)),
            window: windowOf(first, last),
            records: count,
          }),
      );
      return { records, chips: new Map(chips.map((chip) => [chip.id, chip])), revisions: [] };
    });
  }
}

/** What a rollup read depends on: the record filters (vendors in lower case), the statuses counted and the basis. */
interface LedgerRead {
  companyId?: string[];
  acceleratorId?: string[];
  vendor?: string[];
  kind?: AcceleratorKind[];
  statuses: readonly CommitmentStatus[];
  basis: Basis;
}

/**
 * The rollup rows for a read, folded further for it: once the statuses are filtered here, rows that differ only
 * in status or (on one basis) in the quarters that basis ignores are alike for the arithmetic, so they come back as
 * one row with their amounts summed. This only adds like to like; every figure is still computed by the domain.
 */
async function streamRollupRows(manager: EntityManager, read: LedgerRead, onRow: (row: RollupRow) => void): Promise<void> {
  const conditions = ['rollup.status = ANY($1::commitment_status[])'];
  const parameters: unknown[] = [read.statuses];
  const where = (condition: string, value: unknown) => {
    parameters.push(value);
    conditions.push(condition.replace('?', `$${parameters.length}`));
  };
  if (read.companyId?.length) where('rollup.company_id = ANY(?::uuid[])', read.companyId);
  if (read.acceleratorId?.length) where('rollup.accelerator_id = ANY(?::uuid[])', read.acceleratorId);
  if (read.vendor?.length)
    where('rollup.accelerator_id IN (SELECT id FROM accelerators WHERE lower(vendor) = ANY(?::text[]))', read.vendor);
  if (read.kind?.length) where('rollup.accelerator_kind = ANY(?::accelerator_kind[])', read.kind);
  const [first, last] =
    read.basis === 'announced'
      ? ['rollup.announced_quarter', 'rollup.announced_quarter']
      : ['rollup.window_first_quarter', 'rollup.window_last_quarter'];
  // The query runner's own pg client, for rows as arrays handed over one by one rather than gathered.
  const client = (await (manager.queryRunner as PostgresQueryRunner).connect()) as pg.PoolClient;
  // Folding leaves nearly as many groups as rows on a dense ledger (about 284,000 of 520,000 at a million records),
  // so a parallel plan's partial aggregation saves nothing and adds a second one: one process is faster here.
  await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
  // The stated figures are summed as numeric: a float8 sum depends on the order rows arrive in, which PostgreSQL does
  // not fix, so two reads of one ledger version could differ in the last digits (and in their ETags). A float8 turns
  // into a numeric of its 15 significant digits, more than any stated figure has, and that sum is exact.
  const config: pg.QueryArrayConfig = {
    rowMode: 'array',
    // Folded on the rollup's own columns first, then company and chip named by position for the rows sent.
    text: `SELECT company.position, chip.position, folded.accelerator_kind, folded.first, folded.last, folded.records,
         folded.quantity, folded.stated_h100e, folded.stated_power_mw, folded.latest_day
       FROM (
         SELECT rollup.company_id, rollup.accelerator_id, rollup.accelerator_kind, ${first} AS first, ${last} AS last,
           sum(rollup.records)::integer AS records, sum(rollup.quantity)::float8 AS quantity,
           sum(rollup.stated_h100e::numeric)::float8 AS stated_h100e, sum(rollup.stated_power_mw::numeric)::float8 AS stated_power_mw,
           max(rollup.latest_announced_on) - date '2000-01-01' AS latest_day
         FROM capacity_rollup rollup
         WHERE ${conditions.join(' AND ')}
         GROUP BY rollup.company_id, rollup.accelerator_id, rollup.accelerator_kind, ${first}, ${last},
           rollup.quantity IS NULL, rollup.stated_h100e IS NULL, rollup.stated_power_mw IS NULL
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

function measureOf(query: CapacityFilterQuery): CapacityMeasure {
  return { metric: query.metric, precision: query.precision, basis: query.basis, statuses: query.status, from: query.from, to: query.to };
}
