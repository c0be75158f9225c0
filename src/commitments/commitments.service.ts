import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import type { AuditEntryView } from '../audit/audit-entry.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { definedFields } from '../common/objects.js';
import { conflict, DomainError, invalidField, notFound } from '../common/errors.js';
import { refreshCapacityRollup, rollupGroupsOf } from '../capacity/capacity-rollup.js';
import { Company } from '../companies/company.entity.js';
import {
  type RuleViolation,
  type Settled,
  settleAcceleratorKind,
  settleQuantityQualifier,
  settleWindow,
  supersessionCycles,
  supersessionViolation,
} from './commitment-rules.js';
import { applyCommitmentFilters, applyCommitmentSearch } from './commitment-filters.js';
import { CommitmentSource } from './commitment-source.entity.js';
import { Commitment } from './commitment.entity.js';
import { type CommitmentView, toCommitmentView } from './commitment.view.js';
import type { CreateCommitmentDto, SourceDto, UpdateCommitmentDto } from './dto/commitment.dto.js';
import type { ListCommitmentsQuery } from './dto/list-commitments.query.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

const UNIQUE_FIELDS = { commitments_external_key_unique: 'key', commitments_superseded_once: 'supersedesId' };

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

@Injectable()
export class CommitmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListCommitmentsQuery): Promise<Page<CommitmentView>> {
    // The company is joined LEFT although every record has one (company_id is NOT NULL): PostgreSQL then drops the
    // joins from the count, which reads no company or chip unless a filter names one.
    const filtered = this.dataSource
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
      items: await this.toViews(this.dataSource.manager, commitments),
      total: counted?.total ?? 0,
      page: query.page,
      limit: query.limit,
    };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<CommitmentView> {
    return (await this.toViews(manager, [await this.load(manager, id)]))[0];
  }

  create(dto: CreateCommitmentDto, actorId: string | null = null): Promise<CommitmentView> {
    return this.dataSource.transaction(async (manager) => this.get(await this.createWith(manager, dto, actorId), manager));
  }

  /**
   * Creates several commitments in one transaction: all of them or, when any is refused, none. A refusal names the
   * item (`items[1].companyId`), as the validation pipe does for the fields it checks.
   */
  createMany(dtos: CreateCommitmentDto[], actorId: string | null = null): Promise<CommitmentView[]> {
    return this.dataSource.transaction(async (manager) => {
      const views: CommitmentView[] = [];
      for (const [index, dto] of dtos.entries()) {
        const id = await this.createWith(manager, dto, actorId).catch((error: unknown) => {
          throw error instanceof DomainError ? inItem(error, index) : error;
        });
        views.push(await this.get(id, manager));
      }
      return views;
    });
  }

  /**
   * Creates a commitment inside the caller's transaction (imports and the demo data go through here too), with its
   * audit entry (`create`, or `import` for a row of a file) and, when it revises a record, that record's `supersede`.
   */
  async createWith(
    manager: EntityManager,
    dto: CreateCommitmentDto,
    actorId: string | null,
    action: 'create' | 'import' = 'create',
  ): Promise<string> {
    const commitment = manager.create(Commitment, {
      key: dto.key ?? null,
      quantity: null,
      quantityQualifier: null,
      statedH100e: null,
      statedPowerMw: null,
      deliveryFrom: null,
      deliveryBy: null,
      certainty: 'likely',
      supersedesId: null,
      notes: null,
      ...withoutSources(dto),
      createdBy: actorId,
      updatedBy: actorId,
    });
    await this.settle(manager, commitment, dto.acceleratorKind);
    const saved = await manager.save(commitment).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
    await this.replaceSources(manager, saved.id, dto.sources);
    await refreshCapacityRollup(manager, await rollupGroupsOf(manager, [saved.id]));
    const after = await this.get(saved.id, manager);
    await this.audit.record(manager, { actorId, action, entityType: 'commitment', entityId: saved.id, before: null, after });
    await this.recordSupersession(manager, actorId, saved.id, null, after.supersedesId);
    return saved.id;
  }

  update(id: string, dto: UpdateCommitmentDto, ifMatchVersion: number | undefined, actorId: string | null = null): Promise<CommitmentView> {
    const expectedVersion = dto.version ?? ifMatchVersion;
    if (expectedVersion === undefined) {
      throw invalidField('version', 'version is required (body field or If-Match header) so no edit is lost');
    }
    return this.dataSource.transaction(async (manager) => {
      return this.updateWith(manager, id, dto, expectedVersion, actorId);
    });
  }

  /**
   * Updates a commitment inside the caller's transaction: the one place every change to an existing commitment goes
   * through (the API and imports alike), with its audit entry. `dto.sources`, when given, replaces all sources.
   */
  async updateWith(
    manager: EntityManager,
    id: string,
    dto: UpdateCommitmentDto,
    expectedVersion: number,
    actorId: string | null,
    action: 'update' | 'import' = 'update',
  ): Promise<CommitmentView> {
    // The row lock makes a second editor of the same version wait here, then see the first one's new version.
    const commitment = await this.load(manager, id, true);
    const before = (await this.toViews(manager, [commitment]))[0];
    if (commitment.version !== expectedVersion) {
      throw conflict(`commitment ${id} was changed by someone else (version ${commitment.version}, not ${expectedVersion})`, {
        current: before,
      });
    }
    const groupsBefore = await rollupGroupsOf(manager, [id]);
    const { version: _version, acceleratorKind, ...changes } = withoutSources(dto);
    Object.assign(commitment, changes, { updatedBy: actorId });
    // Without a chip, the kind stays what it was (the dropped chip's kind) unless the analyst names another.
    await this.settle(manager, commitment, acceleratorKind ?? (commitment.acceleratorId ? undefined : commitment.acceleratorKind));
    const { company: _company, accelerator: _accelerator, sources: _sources, ...columns } = commitment;
    await manager.save(Commitment, columns).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
    if (dto.sources) await this.replaceSources(manager, id, dto.sources);
    await refreshCapacityRollup(manager, [...groupsBefore, ...(await rollupGroupsOf(manager, [id]))]);
    const after = await this.get(id, manager);
    await this.audit.record(manager, { actorId, action, entityType: 'commitment', entityId: id, before, after });
    await this.recordSupersession(manager, actorId, id, before.supersedesId, after.supersedesId);
    return after;
  }

  async remove(id: string, ifMatchVersion: number | undefined, actorId: string | null = null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const commitment = await this.load(manager, id, true);
      const before = (await this.toViews(manager, [commitment]))[0];
      if (ifMatchVersion !== undefined && ifMatchVersion !== commitment.version) {
        throw conflict(`commitment ${id} was changed by someone else (version ${commitment.version}, not ${ifMatchVersion})`, {
          current: before,
        });
      }
      const groups = await rollupGroupsOf(manager, [id]);
      await manager.update(Commitment, { id }, { updatedBy: actorId, deletedAt: () => 'now()' });
      await refreshCapacityRollup(manager, groups);
      await this.audit.record(manager, { actorId, action: 'delete', entityType: 'commitment', entityId: id, before, after: null });
      await this.recordSupersession(manager, actorId, id, before.supersedesId, null);
    });
  }

  /** Every audit entry about one commitment (deleted ones included), oldest first. */
  async history(id: string): Promise<AuditEntryView[]> {
    const exists = await this.dataSource.manager.exists(Commitment, { where: { id }, withDeleted: true });
    if (!exists) throw notFound('commitment', id);
    return this.audit.history('commitment', id);
  }

  /** The records a change starts or stops superseding get a `supersede` entry showing who now revises them. */
  private async recordSupersession(
    manager: EntityManager,
    actorId: string | null,
    id: string,
    supersededBefore: string | null,
    supersededAfter: string | null,
  ): Promise<void> {
    if (supersededBefore === supersededAfter) return;
    const changes = [
      { entityId: supersededBefore, before: { supersededById: id }, after: { supersededById: null } },
      { entityId: supersededAfter, before: { supersededById: null }, after: { supersededById: id } },
    ];
    for (const { entityId, before, after } of changes) {
      if (entityId) await this.audit.record(manager, { actorId, action: 'supersede', entityType: 'commitment', entityId, before, after });
    }
  }

  private async load(manager: EntityManager, id: string, lock = false): Promise<Commitment> {
    if (lock) {
      const locked = await manager.query('SELECT id FROM commitments WHERE id = $1 AND deleted_at IS NULL FOR UPDATE', [id]);
      if (locked.length === 0) throw notFound('commitment', id);
    }
    const commitment = await manager.findOne(Commitment, { where: { id }, relations: { company: true, accelerator: true, sources: true } });
    if (!commitment) throw notFound('commitment', id);
    return commitment;
  }

  /** Resolves references, the chip's kind and the effective window, and checks what the schema cannot. */
  private async settle(manager: EntityManager, commitment: Commitment, requestedKind: Commitment['acceleratorKind'] | undefined) {
    const company = await manager.findOneBy(Company, { id: commitment.companyId });
    if (!company) throw invalidField('companyId', `company ${commitment.companyId} does not exist`, commitment.companyId);
    commitment.company = company;

    let chip: Accelerator | null = null;
    if (commitment.acceleratorId) {
      chip = await manager.findOneBy(Accelerator, { id: commitment.acceleratorId });
      if (!chip) throw invalidField('acceleratorId', `accelerator ${commitment.acceleratorId} does not exist`, commitment.acceleratorId);
    }
    commitment.accelerator = chip;
    commitment.acceleratorKind = settled(settleAcceleratorKind(chip, requestedKind));
    commitment.quantityQualifier = settleQuantityQualifier(commitment.quantity, commitment.quantityQualifier);
    const window = settled(settleWindow(commitment));
    commitment.windowFirstQuarter = window.first;
    commitment.windowLastQuarter = window.last;

    if (commitment.supersedesId) await this.checkSupersession(manager, commitment);
  }

  private async checkSupersession(manager: EntityManager, commitment: Commitment): Promise<void> {
    const targetId = commitment.supersedesId as string;
    const target = await manager.findOneBy(Commitment, { id: targetId, deletedAt: IsNull() });
    const rival = await manager.findOneBy(Commitment, { supersedesId: targetId, deletedAt: IsNull() });
    // The chain of records the target revises, as the database holds it, to see whether it leads back here.
    const chain: { id: string; supersedes_id: string | null }[] = commitment.id
      ? await manager.query(
          `WITH RECURSIVE older(id, supersedes_id) AS (
             SELECT id, supersedes_id FROM commitments WHERE id = $1
             UNION SELECT c.id, c.supersedes_id FROM commitments c JOIN older o ON c.id = o.supersedes_id
           ) SELECT id, supersedes_id FROM older`,
          [targetId],
        )
      : [];
    const next = new Map(chain.map((link) => [link.id, link.supersedes_id]));
    if (commitment.id) next.set(commitment.id, targetId);
    const violation = supersessionViolation({
      record: commitment,
      targetId,
      target,
      rivalId: rival?.id ?? null,
      formsCycle: commitment.id !== undefined && supersessionCycles([commitment.id], (id) => next.get(id)).has(commitment.id),
    });
    if (violation) throw violationError(violation);
  }

  private async replaceSources(manager: EntityManager, commitmentId: string, sources: SourceDto[]): Promise<void> {
    await manager.delete(CommitmentSource, { commitmentId });
    await manager.insert(
      CommitmentSource,
      sources.map((source, position) => ({
        commitmentId,
        position,
        url: source.url ?? null,
        title: source.title ?? null,
        publisher: source.publisher ?? null,
        publishedOn: source.publishedOn ?? null,
        language: source.language ?? null,
        quote: source.quote ?? null,
      })),
    );
  }

  private async toViews(manager: EntityManager, commitments: Commitment[]): Promise<CommitmentView[]> {
    if (commitments.length === 0) return [];
    const ids = commitments.map((commitment) => commitment.id);
    const needsSources = commitments.some((commitment) => commitment.sources === undefined);
    if (needsSources) {
      const sources = await manager.find(CommitmentSource, { where: { commitmentId: In(ids) }, order: { position: 'ASC' } });
      for (const commitment of commitments) commitment.sources = sources.filter((source) => source.commitmentId === commitment.id);
    }
    const newer: { id: string; supersedes_id: string }[] = await manager.query(
      'SELECT id, supersedes_id FROM commitments WHERE supersedes_id = ANY($1) AND deleted_at IS NULL',
      [ids],
    );
    const supersededBy = new Map(newer.map((row) => [row.supersedes_id, row.id]));
    return commitments.map((commitment) => toCommitmentView(commitment, supersededBy.get(commitment.id) ?? null));
  }
}

function violationError(violation: RuleViolation): DomainError {
  const status = violation.conflict ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
  const message = violation.conflict
    ? `${violation.field}: commitment ${String(violation.value)} is ${violation.message}`
    : `${violation.field}: ${violation.message}`;
  return new DomainError(status, message, [{ field: violation.field, messages: [violation.message], value: violation.value }]);
}

/** The same refusal, its fields named inside the batch's `items[index]`. */
function inItem(error: DomainError, index: number): DomainError {
  const prefix = `items[${index}]`;
  const details = Array.isArray(error.details)
    ? error.details.map((detail) => ({ ...detail, field: `${prefix}.${detail.field}` }))
    : [{ field: prefix, messages: [error.message] }];
  return new DomainError(error.status, `${prefix}.${error.message}`, details, error.bodyFields);
}

function settled<T>(result: Settled<T>): T {
  if (result.violation) throw violationError(result.violation);
  return result.value as T;
}

function withoutSources<T extends { sources?: SourceDto[] }>(dto: T): Partial<Omit<T, 'sources'>> {
  const { sources: _sources, ...rest } = dto;
  return definedFields(rest);
}
