import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import {
  type CapacityLedger,
  type CapacityMeasure,
  type CapacityRecord,
  computeCapacity,
  countedStatuses,
  summarizeCapacity,
} from '../domain/capacity.js';
import { quarterFromIndex } from '../domain/quarter.js';
import type { AcceleratorKind, CommitmentStatus } from '../domain/vocabulary.js';
import { AnswerCache, type CachedAnswer, queryKey, SharedRead } from './answer-cache.js';
import { readLedgerVersion } from './capacity-rollup.js';
import type { CapacityResponse, CapacitySummaryResponse, TopCompaniesResponse } from './capacity.contract.js';
import type { CapacityFilterQuery, GetCapacityQuery, TopCompaniesQuery } from './dto/capacity.query.js';

interface RollupRow {
  companyId: string;
  acceleratorId: string | null;
  acceleratorKind: AcceleratorKind;
  status: CommitmentStatus;
  windowFirst: number;
  windowLast: number;
  records: number;
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
  latestAnnouncedOn: string;
}

/**
 * Capacity figures: reads the rollup for a filter, leaves the arithmetic to `domain/capacity.ts`, and keeps the
 * serialised answers until the ledger version changes.
 */
@Injectable()
export class CapacityService {
  private readonly cache = new AnswerCache();
  private readonly ledgerVersion: SharedRead<number>;

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
   * One cheap read of the ledger version per request (shared by concurrent requests, never older than the request),
   * so a write through any instance is seen at once; the rollup is read only when the answer is not cached.
   */
  private async cached(route: string, query: CapacityFilterQuery, answer: (ledger: CapacityLedger) => unknown): Promise<CachedAnswer> {
    const version = await this.ledgerVersion.read();
    return this.cache.get(version, queryKey(route, query), async () => answer(await this.ledger(query)));
  }

  /**
   * The rollup rows that pass the record filters (company, chip, vendor, kind) and have a counted status, as
   * records of the capacity arithmetic, with the chip catalog, read in one snapshot. Supersession is already
   * applied by the rollup, so there are no revisions left to apply.
   */
  private ledger(filter: CapacityFilterQuery): Promise<CapacityLedger> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const rows = await rollupRows(manager, filter);
      const chips = await manager.find(Accelerator);
      const companies: { id: string; name: string }[] = await manager.query('SELECT id, name FROM companies');
      // One string per company and chip rather than one per row: a million-record ledger has a few hundred thousand rows.
      const companyOf = new Map(companies.map((company) => [company.id, company]));
      const chipOf = new Map(chips.map((chip) => [chip.id, chip]));
      const records = rows.map((row, index): CapacityRecord => ({
        id: `rollup-${index}`,
        companyId: companyOf.get(row.companyId)!.id,
        companyName: companyOf.get(row.companyId)!.name,
        acceleratorId: row.acceleratorId === null ? null : chipOf.get(row.acceleratorId)!.id,
        acceleratorKind: row.acceleratorKind,
        status: row.status,
        quantity: row.quantity,
        statedH100e: row.statedH100e,
        statedPowerMw: row.statedPowerMw,
        announcedOn: row.latestAnnouncedOn,
        deliveryFrom: quarterFromIndex(row.windowFirst),
        deliveryBy: quarterFromIndex(row.windowLast),
        records: row.records,
      }));
      return { records, chips: chipOf, revisions: [] };
    });
  }
}

/**
 * The rollup rows for a filter, folded further for it: once the statuses are filtered here, rows that differ only
 * in status or (on one basis) in the quarters that basis ignores are alike for the arithmetic, so they come back as
 * one row with their amounts summed. This only adds like to like; every figure is still computed by the domain.
 */
function rollupRows(manager: EntityManager, filter: CapacityFilterQuery): Promise<RollupRow[]> {
  const conditions = ['rollup.status = ANY($1::commitment_status[])'];
  const parameters: unknown[] = [countedStatuses(filter.status)];
  const where = (condition: string, value: unknown) => {
    parameters.push(value);
    conditions.push(condition.replace('?', `$${parameters.length}`));
  };
  if (filter.companyId?.length) where('rollup.company_id = ANY(?::uuid[])', filter.companyId);
  if (filter.acceleratorId?.length) where('rollup.accelerator_id = ANY(?::uuid[])', filter.acceleratorId);
  if (filter.vendor?.length)
    where(
      'lower(accelerator.vendor) = ANY(?::text[])',
      filter.vendor.map((vendor) => vendor.toLowerCase()),
    );
  if (filter.kind?.length) where('rollup.accelerator_kind = ANY(?::accelerator_kind[])', filter.kind);
  const [first, last] =
    filter.basis === 'announced'
      ? ['rollup.announced_quarter', 'rollup.announced_quarter']
      : ['rollup.window_first_quarter', 'rollup.window_last_quarter'];
  return manager.query(
    `SELECT rollup.company_id AS "companyId", rollup.accelerator_id AS "acceleratorId",
       rollup.accelerator_kind AS "acceleratorKind", min(rollup.status) AS status, ${first} AS "windowFirst", ${last} AS "windowLast",
       sum(rollup.records)::integer AS records, sum(rollup.quantity) AS quantity, sum(rollup.stated_h100e) AS "statedH100e",
       sum(rollup.stated_power_mw) AS "statedPowerMw", to_char(max(rollup.latest_announced_on), 'YYYY-MM-DD') AS "latestAnnouncedOn"
     FROM capacity_rollup rollup
     LEFT JOIN accelerators accelerator ON accelerator.id = rollup.accelerator_id
     WHERE ${conditions.join(' AND ')}
     GROUP BY rollup.company_id, rollup.accelerator_id, rollup.accelerator_kind, ${first}, ${last},
       rollup.quantity IS NULL, rollup.stated_h100e IS NULL, rollup.stated_power_mw IS NULL`,
    parameters,
  );
}

function measureOf(query: CapacityFilterQuery): CapacityMeasure {
  return { metric: query.metric, precision: query.precision, basis: query.basis, statuses: query.status, from: query.from, to: query.to };
}
