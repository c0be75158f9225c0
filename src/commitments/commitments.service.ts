import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEntryView } from '../contracts/audit.js';
import { AuditTrail } from '../contracts/audit.js';
import { invalidField, notFound } from '../common/errors.js';
import { applyCommitmentFilters, applyCommitmentSearch } from './commitment-filters.js';
import { CommitmentWriter, loadMany, viewsOf } from './commitment-writer.js';
import { Commitment } from './commitment.entity.js';
import type { Page } from '../contracts/page.js';
import type { CommitmentView, WrittenCommitment } from './commitment.view.js';
import type { CreateCommitmentDto, UpdateCommitmentDto } from './dto/commitment.dto.js';
import type { ListCommitmentsQuery } from './dto/list-commitments.query.js';
import { possibleDuplicates } from './possible-duplicates.js';

/** A record as a write answers it: with the live records it may repeat (a warning, never a refusal). */

/**
 * What each sort orders by, and whether it can be null. Only a nullable one gets a NULLS clause: on a NOT NULL column
 * the clause changes nothing in the order but keeps PostgreSQL from reading an index (`commitments_announced_on` is
 * `announced_on DESC`, which means NULLS FIRST), so the first page would sort every record.
 */
const SORTS: Record<string, { expression: string; nullable: boolean }> = {
  announcedOn: { expression: 'commitment.announcedOn', nullable: false },
  company: { expression: 'lower(company.name)', nullable: false },
  accelerator: { expression: 'lower(accelerator.name)', nullable: true },
  quantity: { expression: 'commitment.quantity', nullable: true },
  status: { expression: 'commitment.status', nullable: false },
  createdAt: { expression: 'commitment.createdAt', nullable: false },
  updatedAt: { expression: 'commitment.updatedAt', nullable: false },
};

/** The commitments as the API reads and writes them; every write goes through the one writer, CommitmentWriter. */
@Injectable()
export class CommitmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly writer: CommitmentWriter,
  ) {}

  /** A page of the list; `manager` reads the ledger of a past moment inside `readAsOf`. */
  async list(query: ListCommitmentsQuery, manager: EntityManager = this.dataSource.manager): Promise<Page<CommitmentView>> {
    // The company is joined LEFT although every record has one (company_id is NOT NULL): PostgreSQL then drops the
    // joins from the count, which reads no company or chip unless a filter names one.
    const filtered = manager
      .createQueryBuilder(Commitment, 'commitment')
      .leftJoinAndSelect('commitment.company', 'company')
      .leftJoinAndSelect('commitment.accelerator', 'accelerator');
    applyCommitmentFilters(filtered, query);
    applyCommitmentSearch(filtered, query);
    const descending = query.sort.startsWith('-');
    const sort = SORTS[query.sort.replace(/^-/, '')];
    const nulls = sort.nullable ? (descending ? 'NULLS LAST' : 'NULLS FIRST') : undefined;
    const page = filtered
      .clone()
      .orderBy(sort.expression, descending ? 'DESC' : 'ASC', nulls)
      .addOrderBy('commitment.id', 'ASC')
      .offset((query.page - 1) * query.limit)
      .limit(query.limit);
    // count(*) rather than getManyAndCount's COUNT(DISTINCT id) over the joins: each record joins one company and at
    // most one chip, so the rows are the records. The page and the count run side by side on two connections.
    const [commitments, counted] = await Promise.all([
      page.getMany(),
      filtered.clone().select('count(*)', 'total').getRawOne<{ total: number }>(),
    ]);
    return {
      items: await viewsOf(manager, commitments),
      total: counted?.total ?? 0,
      page: query.page,
      limit: query.limit,
    };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<CommitmentView> {
    return (await viewsOf(manager, await loadMany(manager, [id])))[0];
  }

  create(dto: CreateCommitmentDto, actorId: string | null = null): Promise<WrittenCommitment> {
    return this.dataSource.transaction(async (manager) => {
      const [id] = await this.writer.createMany(manager, [dto], actorId);
      return (await withDuplicates(manager, [await this.get(id, manager)]))[0];
    });
  }

  /** Creates one commitment inside the caller's transaction (the inbox's accept) and answers its id. */
  async createWith(manager: EntityManager, dto: CreateCommitmentDto, actorId: string | null = null): Promise<string> {
    const [id] = await this.writer.createMany(manager, [dto], actorId);
    return id;
  }

  /**
   * Creates several commitments in one transaction: all of them or, when any is refused, none. A refusal names the
   * item (`items[1].companyId`), as the validation pipe does for the fields it checks.
   */
  createMany(dtos: CreateCommitmentDto[], actorId: string | null = null): Promise<WrittenCommitment[]> {
    return this.dataSource.transaction(async (manager) => {
      const ids = await this.writer.createMany(manager, dtos, actorId, { inBatch: true });
      return withDuplicates(manager, await viewsOf(manager, await loadMany(manager, ids)));
    });
  }

  update(
    id: string,
    dto: UpdateCommitmentDto,
    ifMatchVersion: number | undefined,
    actorId: string | null = null,
  ): Promise<WrittenCommitment> {
    const expectedVersion = dto.version ?? ifMatchVersion;
    if (expectedVersion === undefined) {
      throw invalidField('version', 'version is required (body field or If-Match header) so no edit is lost');
    }
    return this.dataSource.transaction(async (manager) =>
      withDuplicates(manager, await this.writer.updateMany(manager, [{ id, dto, expectedVersion }], actorId)).then(([view]) => view),
    );
  }

  async remove(id: string, ifMatchVersion: number | undefined, actorId: string | null = null): Promise<void> {
    await this.dataSource.transaction((manager) => this.writer.remove(manager, id, ifMatchVersion, actorId));
  }

  /** Every audit entry about one commitment (deleted ones included), oldest first. */
  async history(id: string): Promise<AuditEntryView[]> {
    const exists = await this.dataSource.manager.exists(Commitment, { where: { id }, withDeleted: true });
    if (!exists) throw notFound('commitment', id);
    return this.audit.history('commitment', id);
  }
}

async function withDuplicates(manager: EntityManager, views: CommitmentView[]): Promise<WrittenCommitment[]> {
  const duplicates = await possibleDuplicates(
    manager,
    views.map((view) => view.id),
  );
  return views.map((view) => ({ ...view, possibleDuplicates: duplicates.get(view.id) ?? [] }));
}
