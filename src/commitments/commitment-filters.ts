import type { SelectQueryBuilder } from 'typeorm';
import { addQuarters, quarterFirstDay, quarterIndex } from '../domain/quarter.js';
import type { Basis } from '../domain/vocabulary.js';
import type { CommitmentFilterQuery, CommitmentSearchQuery } from './dto/list-commitments.query.js';

/**
 * Applies the shared list filters to a query over commitments aliased `commitment` with the chip joined as
 * `accelerator`. Deleted records are already left out by TypeORM's soft-delete handling. The period (`from`..`to`)
 * selects records whose delivery window overlaps it, or with `basis: 'announced'` those announced in it, as the
 * capacity answer places them.
 */
export function applyCommitmentFilters<T extends object>(
  query: SelectQueryBuilder<T>,
  filter: CommitmentFilterQuery & { basis?: Basis },
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
  if (filter.basis === 'announced') {
    // Dates rather than a quarter computed per row, so `commitments_announced_on` can serve the range.
    if (filter.from) query.andWhere('commitment.announcedOn >= :fromDay', { fromDay: quarterFirstDay(filter.from) });
    if (filter.to) query.andWhere('commitment.announcedOn < :afterDay', { afterDay: quarterFirstDay(addQuarters(filter.to, 1)) });
    return query;
  }
  if (filter.from) query.andWhere('commitment.windowLastQuarter >= :fromQuarter', { fromQuarter: quarterIndex(filter.from) });
  if (filter.to) query.andWhere('commitment.windowFirstQuarter <= :toQuarter', { toQuarter: quarterIndex(filter.to) });
  return query;
}

/**
 * The list's search: the text anywhere in the company's name or aliases, the chip's name or aliases, the notes, the
 * import key, or a source's title or publisher. Companies and chips are matched in their own (small) tables first,
 * so the records are filtered by id and the count needs no join.
 */
const SEARCH = `(
  commitment.companyId IN (SELECT c.id FROM companies c
    WHERE c.name ILIKE :q OR EXISTS (SELECT 1 FROM unnest(c.aliases) AS alias WHERE alias ILIKE :q))
  OR commitment.acceleratorId IN (SELECT a.id FROM accelerators a
    WHERE a.name ILIKE :q OR EXISTS (SELECT 1 FROM unnest(a.aliases) AS alias WHERE alias ILIKE :q))
  OR commitment.notes ILIKE :q OR commitment.key ILIKE :q
  OR EXISTS (SELECT 1 FROM commitment_sources source
    WHERE source.commitment_id = commitment.id AND (source.title ILIKE :q OR source.publisher ILIKE :q))
)`;

/** Applies the list's search (`q`), host and supersession filters, shared by the list and the export. */
export function applyCommitmentSearch<T extends object>(
  query: SelectQueryBuilder<T>,
  search: CommitmentSearchQuery,
): SelectQueryBuilder<T> {
  if (search.q) query.andWhere(SEARCH, { q: likePattern(search.q) });
  if (search.hostCompanyId?.length) {
    query.andWhere('commitment.hostCompanyId IN (:...hostCompanyIds)', { hostCompanyIds: search.hostCompanyId });
  }
  if (search.superseded !== undefined) {
    // `supersedes_id IS NOT NULL` adds nothing to the match but lets PostgreSQL read only the few revisions from
    // `commitments_superseded_once` instead of every live record.
    query.andWhere(
      `${search.superseded ? '' : 'NOT '}EXISTS (SELECT 1 FROM commitments newer
        WHERE newer.supersedes_id = commitment.id AND newer.supersedes_id IS NOT NULL AND newer.deleted_at IS NULL)`,
    );
  }
  return query;
}

/** Escapes the wildcards of LIKE so user text matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
