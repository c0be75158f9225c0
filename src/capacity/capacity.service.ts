import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import { applyCommitmentFilters } from '../commitments/commitment-filters.js';
import { Commitment } from '../commitments/commitment.entity.js';
import type { CommitmentFilterQuery } from '../commitments/dto/list-commitments.query.js';
import { type CapacityLedger, type CapacityMeasure, type CapacityRecord, computeCapacity, summarizeCapacity } from '../domain/capacity.js';
import type { Revision } from '../domain/supersession.js';
import type { CapacityResponse, CapacitySummaryResponse, TopCompaniesResponse } from './capacity.contract.js';
import type { CapacityFilterQuery, GetCapacityQuery, TopCompaniesQuery } from './dto/capacity.query.js';

/** Capacity figures: reads the ledger for a filter and leaves the arithmetic to `domain/capacity.ts`. */
@Injectable()
export class CapacityService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async capacity(query: GetCapacityQuery): Promise<CapacityResponse> {
    const report = computeCapacity(await this.ledger(query), {
      ...measureOf(query),
      groupBy: query.groupBy,
      cumulative: query.cumulative,
      top: query.top,
    });
    return {
      metric: query.metric,
      basis: query.basis,
      groupBy: query.groupBy,
      quarters: report.quarters,
      series: report.series.map(({ key, label, values }) => ({ key, label, values })),
      total: report.total,
      excluded: report.excluded,
    };
  }

  async summary(query: CapacityFilterQuery): Promise<CapacitySummaryResponse> {
    const figures = summarizeCapacity(await this.ledger(query), measureOf(query));
    return {
      metric: query.metric,
      precision: query.precision,
      basis: query.basis,
      total: figures.total,
      companies: figures.companies,
      recordsCounted: figures.records,
      excluded: figures.excluded,
      latestAnnouncedOn: figures.latestAnnouncedOn,
    };
  }

  async topCompanies(query: TopCompaniesQuery): Promise<TopCompaniesResponse> {
    const report = computeCapacity(await this.ledger(query), { ...measureOf(query), groupBy: 'company', cumulative: false });
    return {
      metric: query.metric,
      precision: query.precision,
      basis: query.basis,
      companies: report.series.slice(0, query.limit).map(({ key, label, total }) => ({ id: key, name: label, total })),
    };
  }

  /**
   * The records that pass the record filters (company, chip, vendor, kind: any status, any period, since status,
   * supersession and the period are the arithmetic's to apply), the chip catalog and every supersession link,
   * read in one snapshot so that a concurrent write cannot show half of itself.
   */
  private ledger(filter: CommitmentFilterQuery): Promise<CapacityLedger> {
    const recordFilter = { companyId: filter.companyId, acceleratorId: filter.acceleratorId, vendor: filter.vendor, kind: filter.kind };
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const recordQuery = manager
        .createQueryBuilder(Commitment, 'commitment')
        .innerJoin('commitment.company', 'company')
        .leftJoin('commitment.accelerator', 'accelerator')
        .select('commitment.id', 'id')
        .addSelect('commitment.companyId', 'companyId')
        .addSelect('company.name', 'companyName')
        .addSelect('commitment.acceleratorId', 'acceleratorId')
        .addSelect('commitment.acceleratorKind', 'acceleratorKind')
        .addSelect('commitment.quantity', 'quantity')
        .addSelect('commitment.statedH100e', 'statedH100e')
        .addSelect('commitment.statedPowerMw', 'statedPowerMw')
        .addSelect(`to_char(commitment.announcedOn, 'YYYY-MM-DD')`, 'announcedOn')
        .addSelect('commitment.deliveryFrom', 'deliveryFrom')
        .addSelect('commitment.deliveryBy', 'deliveryBy')
        .addSelect('commitment.status', 'status');
      const records = await applyCommitmentFilters(recordQuery, recordFilter).getRawMany<CapacityRecord>();
      const chips = await manager.find(Accelerator);
      const revisions: Revision[] = await manager.query(
        'SELECT id, supersedes_id AS "supersedesId", deleted_at IS NOT NULL AS deleted FROM commitments WHERE supersedes_id IS NOT NULL',
      );
      return { records, chips: new Map(chips.map((chip) => [chip.id, chip])), revisions };
    });
  }
}

function measureOf(query: CapacityFilterQuery): CapacityMeasure {
  return { metric: query.metric, precision: query.precision, basis: query.basis, statuses: query.status, from: query.from, to: query.to };
}
