import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pastMoment, readAsOf } from '../database/as-of.js';
import type { DataSource, EntityManager } from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import { applyCommitmentFilters } from '../commitments/commitment-filters.js';
import { Commitment } from '../commitments/commitment.entity.js';
import { readSnapshot } from '../database/read-replica.js';
import { countedStatuses, recordAmount } from '../domain/capacity.js';
import { readLedgerVersion } from '../database/capacity-rollup.js';
import type { CapacityExcludedResponse } from '../contracts/capacity.js';
import type { CapacityExcludedQuery } from './dto/capacity.query.js';

/**
 * The records behind a capacity answer's `excluded` (`GET /api/capacity/excluded`): those that pass every filter,
 * count (live, not superseded, status counted) and fall in the period on the basis asked, but have no amount in the
 * metric. Read from the base table (a drill-down, not a dashboard figure): the SQL picks exactly those records — no
 * stated figure of the metric, and no quantity, no chip, or a chip without the spec the metric needs — and the
 * reason of each is the capacity arithmetic's own (`recordAmount`).
 */
@Injectable()
export class CapacityExcludedService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  excluded(query: CapacityExcludedQuery, version: number): Promise<CapacityExcludedResponse> {
    const caughtUp = async (manager: EntityManager) => (await readLedgerVersion(manager)) >= version;
    const moment = pastMoment(query.asOf);
    // With a past `asOf`, the same reads run over the records as they stood then (`readAsOf`).
    const read = <T>(work: (manager: EntityManager) => Promise<T>) =>
      moment ? readAsOf(this.dataSource, moment, (manager) => work(manager)) : readSnapshot(this.dataSource, caughtUp, work);
    return read(async (manager) => {
      const chips = await manager.find(Accelerator);
      const byId = new Map(chips.map((chip) => [chip.id, chip]));
      // The chips whose specs give no amount in the metric at this precision.
      const specless = chips
        .filter(
          (chip) =>
            recordAmount({ quantity: 1, statedH100e: null, statedPowerMw: null }, chip, query.metric, query.precision).amount === null,
        )
        .map((chip) => chip.id);
      const builder = manager
        .createQueryBuilder(Commitment, 'commitment')
        .innerJoin('commitment.company', 'company')
        .leftJoin('commitment.accelerator', 'accelerator')
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM commitments newer
             WHERE newer.supersedes_id = commitment.id AND newer.supersedes_id IS NOT NULL AND newer.deleted_at IS NULL)`,
        );
      applyCommitmentFilters(builder, { ...query, status: [...countedStatuses(query.status)] });
      const stated = { units: null, h100e: 'commitment.statedH100e', power_mw: 'commitment.statedPowerMw' }[query.metric];
      if (stated === null) builder.andWhere('commitment.quantity IS NULL');
      else {
        builder.andWhere(`${stated} IS NULL`).andWhere(
          `(commitment.quantity IS NULL OR commitment.acceleratorId IS NULL
            OR commitment.acceleratorId IN (SELECT unnest(CAST(:specless AS uuid[]))))`,
          { specless },
        );
      }
      const total = await builder.getCount();
      const rows: {
        id: string;
        companyId: string;
        company: string;
        acceleratorId: string | null;
        quantity: number | null;
        statedH100e: number | null;
        statedPowerMw: number | null;
      }[] = await builder
        .select('commitment.id', 'id')
        .addSelect('commitment.companyId', 'companyId')
        .addSelect('company.name', 'company')
        .addSelect('commitment.acceleratorId', 'acceleratorId')
        .addSelect('commitment.quantity', 'quantity')
        .addSelect('commitment.statedH100e', 'statedH100e')
        .addSelect('commitment.statedPowerMw', 'statedPowerMw')
        .orderBy('company.name', 'ASC')
        .addOrderBy('commitment.announcedOn', 'ASC')
        .addOrderBy('commitment.id', 'ASC')
        .offset((query.page - 1) * query.limit)
        .limit(query.limit)
        .getRawMany();
      const items = rows.map((row) => {
        const chip = row.acceleratorId === null ? null : (byId.get(row.acceleratorId) ?? null);
        const { reason } = recordAmount(row, chip, query.metric, query.precision);
        return { id: row.id, companyId: row.companyId, company: row.company, reason: reason ?? 'chip_spec_missing' };
      });
      return { items, total, page: query.page, limit: query.limit };
    });
  }
}
