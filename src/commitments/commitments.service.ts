import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { definedFields } from '../common/objects.js';
import { conflict, DomainError, invalidField, notFound } from '../common/errors.js';
import { refreshCapacityRollup, rollupGroupsOf } from '../capacity/capacity-rollup.js';
import { Company } from '../companies/company.entity.js';
import { deliveryWindow } from '../domain/delivery-window.js';
import { applyCommitmentFilters, likePattern } from './commitment-filters.js';
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

const SORT_EXPRESSIONS: Record<string, string> = {
  announcedOn: 'commitment.announcedOn',
  company: 'lower(company.name)',
  accelerator: 'lower(accelerator.name)',
  quantity: 'commitment.quantity',
  status: 'commitment.status',
  createdAt: 'commitment.createdAt',
  updatedAt: 'commitment.updatedAt',
};

@Injectable()
export class CommitmentsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: ListCommitmentsQuery): Promise<Page<CommitmentView>> {
    const builder = this.dataSource
      .createQueryBuilder(Commitment, 'commitment')
      .innerJoinAndSelect('commitment.company', 'company')
      .leftJoinAndSelect('commitment.accelerator', 'accelerator');
    applyCommitmentFilters(builder, query);
    if (query.q) {
      builder.andWhere(
        `(company.name ILIKE :q OR accelerator.name ILIKE :q OR commitment.notes ILIKE :q OR commitment.key ILIKE :q
          OR EXISTS (SELECT 1 FROM commitment_sources source WHERE source.commitment_id = commitment.id AND source.title ILIKE :q))`,
        { q: likePattern(query.q) },
      );
    }
    if (query.superseded !== undefined) {
      builder.andWhere(
        `${query.superseded ? '' : 'NOT '}EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = commitment.id AND newer.deleted_at IS NULL)`,
      );
    }
    const descending = query.sort.startsWith('-');
    const sortExpression = SORT_EXPRESSIONS[query.sort.replace(/^-/, '')];
    builder
      .orderBy(sortExpression, descending ? 'DESC' : 'ASC', descending ? 'NULLS LAST' : 'NULLS FIRST')
      .addOrderBy('commitment.id', 'ASC')
      .offset((query.page - 1) * query.limit)
      .limit(query.limit);
    const [commitments, total] = await builder.getManyAndCount();
    return { items: await this.toViews(this.dataSource.manager, commitments), total, page: query.page, limit: query.limit };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<CommitmentView> {
    return (await this.toViews(manager, [await this.load(manager, id)]))[0];
  }

  create(dto: CreateCommitmentDto, actorId: string | null = null): Promise<CommitmentView> {
    return this.dataSource.transaction(async (manager) => this.get(await this.createWith(manager, dto, actorId), manager));
  }

  /** Creates a commitment inside the caller's transaction (imports and the demo data go through here too). */
  async createWith(manager: EntityManager, dto: CreateCommitmentDto, actorId: string | null): Promise<string> {
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
    return saved.id;
  }

  update(id: string, dto: UpdateCommitmentDto, ifMatchVersion: number | undefined, actorId: string | null = null): Promise<CommitmentView> {
    const expectedVersion = dto.version ?? ifMatchVersion;
    if (expectedVersion === undefined) {
      throw invalidField('version', 'version is required (body field or If-Match header) so no edit is lost');
    }
    return this.dataSource.transaction(async (manager) => {
      const commitment = await this.load(manager, id, true);
      if (commitment.version !== expectedVersion) {
        throw conflict(`commitment ${id} was changed by someone else (version ${commitment.version}, not ${expectedVersion})`, {
          current: await this.get(id, manager),
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
      return this.get(id, manager);
    });
  }

  async remove(id: string, ifMatchVersion: number | undefined): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const commitment = await this.load(manager, id, true);
      if (ifMatchVersion !== undefined && ifMatchVersion !== commitment.version) {
        throw conflict(`commitment ${id} was changed by someone else (version ${commitment.version}, not ${ifMatchVersion})`);
      }
      const groups = await rollupGroupsOf(manager, [id]);
      await manager.softDelete(Commitment, { id });
      await refreshCapacityRollup(manager, groups);
    });
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

    if (commitment.acceleratorId) {
      const chip = await manager.findOneBy(Accelerator, { id: commitment.acceleratorId });
      if (!chip) throw invalidField('acceleratorId', `accelerator ${commitment.acceleratorId} does not exist`, commitment.acceleratorId);
      if (requestedKind !== undefined && requestedKind !== chip.kind) {
        throw invalidField('acceleratorKind', `acceleratorKind ${requestedKind} contradicts the chip ${chip.name}, which is ${chip.kind}`);
      }
      commitment.accelerator = chip;
      commitment.acceleratorKind = chip.kind;
    } else {
      commitment.accelerator = null;
      if (requestedKind === undefined) throw invalidField('acceleratorKind', 'acceleratorKind is required when acceleratorId is null');
      commitment.acceleratorKind = requestedKind;
    }

    if (commitment.quantity === null) commitment.quantityQualifier = null;
    else commitment.quantityQualifier ??= 'exact';

    const window = deliveryWindow(commitment);
    if (window.first > window.last) throw invalidField('deliveryFrom', 'deliveryFrom must not be after deliveryBy');
    commitment.windowFirstQuarter = window.first;
    commitment.windowLastQuarter = window.last;

    if (commitment.supersedesId) await this.checkSupersession(manager, commitment);
  }

  /** The revised record exists, is live, belongs to the same company, is not revised twice, and no cycle forms. */
  private async checkSupersession(manager: EntityManager, commitment: Commitment): Promise<void> {
    const targetId = commitment.supersedesId as string;
    const target = await manager.findOneBy(Commitment, { id: targetId, deletedAt: IsNull() });
    if (!target) throw invalidField('supersedesId', `commitment ${targetId} does not exist`, targetId);
    if (target.companyId !== commitment.companyId) {
      throw invalidField('supersedesId', 'a record can only supersede a record of the same company', targetId);
    }
    const rival = await manager.findOneBy(Commitment, { supersedesId: targetId, deletedAt: IsNull() });
    if (rival && rival.id !== commitment.id) {
      throw new DomainError(HttpStatus.CONFLICT, `commitment ${targetId} is already superseded by ${rival.id}`, [
        { field: 'supersedesId', messages: [`already superseded by ${rival.id}`], value: targetId },
      ]);
    }
    if (commitment.id) {
      const chain: { id: string }[] = await manager.query(
        `WITH RECURSIVE older(id, supersedes_id) AS (
           SELECT id, supersedes_id FROM commitments WHERE id = $1
           UNION SELECT c.id, c.supersedes_id FROM commitments c JOIN older o ON c.id = o.supersedes_id
         ) SELECT id FROM older WHERE id = $2`,
        [targetId, commitment.id],
      );
      if (chain.length > 0) throw invalidField('supersedesId', 'superseding this record would form a cycle', targetId);
    }
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

function withoutSources<T extends { sources?: SourceDto[] }>(dto: T): Partial<Omit<T, 'sources'>> {
  const { sources: _sources, ...rest } = dto;
  return definedFields(rest);
}
