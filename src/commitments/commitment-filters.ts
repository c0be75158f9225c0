import type { SelectQueryBuilder } from 'typeorm';
import { quarterIndex } from '../domain/quarter.js';
import type { CommitmentFilterQuery } from './dto/list-commitments.query.js';

/**
 * Applies the shared list filters to a query over commitments aliased `commitment` with the chip joined as
 * `accelerator`. Deleted records are already left out by TypeORM's soft-delete handling.
 */
export function applyCommitmentFilters<T extends object>(
  query: SelectQueryBuilder<T>,
  filter: CommitmentFilterQuery,
): SelectQueryBuilder<T> {
  if (filter.companyId?.length) query.andWhere('commitment.companyId IN (:...companyIds)', { companyIds: filter.companyId });
  if (filter.acceleratorId?.length) {
    query.andWhere('commitment.acceleratorId IN (:...acceleratorIds)', { acceleratorIds: filter.acceleratorId });
  }
  if (filter.vendor?.length) {
    query.andWhere('lower(accelerator.vendor) IN (:...vendors)', { vendors: filter.vendor.map((vendor) => vendor.toLowerCase()) });
  }
  if (filter.kind?.length) query.andWhere('commitment.acceleratorKind IN (:...kinds)', { kinds: filter.kind });
  if (filter.status?.length) query.andWhere('commitment.status IN (:...statuses)', { statuses: filter.status });
  if (filter.from) query.andWhere('commitment.windowLastQuarter >= :fromQuarter', { fromQuarter: quarterIndex(filter.from) });
  if (filter.to) query.andWhere('commitment.windowFirstQuarter <= :toQuarter', { toQuarter: quarterIndex(filter.to) });
  return query;
}

/** Escapes the wildcards of LIKE so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
