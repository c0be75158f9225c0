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
import { AnswerCache, type CachedAnswer, queryKey } from './answer-cache.js';
import { readLedgerVersion } from './capacity-rollup.js';
import type { CapacityResponse, CapacitySummaryResponse, TopCompaniesResponse } from './capacity.contract.js';
import type { CapacityFilterQuery, GetCapacityQuery, TopCompaniesQuery } from './dto/capacity.query.js';

interface RollupRow {
  companyId: string;
  companyName: string;
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

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  /** One cheap read of the ledger version per request; the rollup is read only when the answer is not cached. */
  private async cached(route: string, query: CapacityFilterQuery, answer: (ledger: CapacityLedger) => unknown): Promise<CachedAnswer> {
    const version = await readLedgerVersion(this.dataSource.manager);
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
      const records = rows.map((row, index): CapacityRecord => ({
        id: `rollup-${index}`,
        companyId: row.companyId,
        companyName: row.companyName,
        acceleratorId: row.acceleratorId,
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
      return { records, chips: new Map(chips.map((chip) => [chip.id, chip])), revisions: [] };
    });
  }
}

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
  return manager.query(
    `SELECT rollup.company_id AS "companyId", company.name AS "companyName", rollup.accelerator_id AS "acceleratorId",
       rollup.accelerator_kind AS "acceleratorKind", rollup.status, rollup.window_first_quarter AS "windowFirst",
       rollup.window_last_quarter AS "windowLast", rollup.records, rollup.quantity, rollup.stated_h100e AS "statedH100e",
       rollup.stated_power_mw AS "statedPowerMw", to_char(rollup.latest_announced_on, 'YYYY-MM-DD') AS "latestAnnouncedOn"
     FROM capacity_rollup rollup
     JOIN companies company ON company.id = rollup.company_id
     LEFT JOIN accelerators accelerator ON accelerator.id = rollup.accelerator_id
     WHERE ${conditions.join(' AND ')}`,
    parameters,
  );
}

function measureOf(query: CapacityFilterQuery): CapacityMeasure {
  return { metric: query.metric, precision: query.precision, basis: query.basis, statuses: query.status, from: query.from, to: query.to };
}
