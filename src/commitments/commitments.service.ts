import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import type { AuditEntryView } from '../audit/audit-entry.entity.js';
import { type AuditRecord, AuditService } from '../audit/audit.service.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { definedFields } from '../common/objects.js';
import { conflict, DomainError, invalidField, notFound } from '../common/errors.js';
import { refreshCapacityRollup, rollupGroupsOf } from '../capacity/capacity-rollup.js';
import { Company } from '../companies/company.entity.js';
import {
  type RuleViolation,
  type Settled,
  type SupersessionFacts,
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

/** A change to one commitment: the fields to set and the version it was made against. */
export interface CommitmentChange {
  id: string;
  dto: UpdateCommitmentDto;
  expectedVersion: number;
}

/** The columns an update writes: field, column and the column's type. */
const WRITTEN_COLUMNS = [
  ['key', 'external_key', 'text'],
  ['companyId', 'company_id', 'uuid'],
  ['acceleratorId', 'accelerator_id', 'uuid'],
  ['acceleratorKind', 'accelerator_kind', 'accelerator_kind'],
  ['quantity', 'quantity', 'integer'],
  ['quantityQualifier', 'quantity_qualifier', 'quantity_qualifier'],
  ['statedH100e', 'stated_h100e', 'double precision'],
  ['statedPowerMw', 'stated_power_mw', 'double precision'],
  ['announcedOn', 'announced_on', 'date'],
  ['deliveryFrom', 'delivery_from', 'text'],
  ['deliveryBy', 'delivery_by', 'text'],
  ['windowFirstQuarter', 'window_first_quarter', 'integer'],
  ['windowLastQuarter', 'window_last_quarter', 'integer'],
  ['status', 'status', 'commitment_status'],
  ['certainty', 'certainty', 'certainty'],
  ['supersedesId', 'supersedes_id', 'uuid'],
  ['notes', 'notes', 'text'],
  ['updatedBy', 'updated_by', 'uuid'],
] as const satisfies readonly (readonly [keyof Commitment, string, string])[];

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
    const facts = await this.settlementFacts(manager, [
      { companyId: commitment.companyId, acceleratorId: commitment.acceleratorId ?? null, supersedesId: commitment.supersedesId },
    ]);
    this.settle(facts, commitment, dto.acceleratorKind);
    const saved = await manager.save(commitment).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
    await this.replaceSources(manager, [{ commitmentId: saved.id, sources: dto.sources }]);
    await refreshCapacityRollup(manager, await rollupGroupsOf(manager, [saved.id]));
    const after = await this.get(saved.id, manager);
    await this.audit.record(manager, { actorId, action, entityType: 'commitment', entityId: saved.id, before: null, after });
    await this.audit.recordMany(manager, supersessionEntries(actorId, saved.id, null, after.supersedesId));
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
    return (await this.updateManyWith(manager, [{ id, dto, expectedVersion }], actorId, action))[0];
  }

  /**
   * Updates several commitments (each at most once) inside the caller's transaction, with the effects of updating
   * them one by one in this order: the same refusals, columns, versions, sources, audit entries and rollup rows, in a
   * few statements whatever their number. The rules are applied to each record as the earlier ones leave the ledger.
   * Unique indexes are checked row by row within the one UPDATE, so a record must not take a target that another
   * record of the same call lets go of (an import lets go of those first).
   */
  async updateManyWith(
    manager: EntityManager,
    changes: readonly CommitmentChange[],
    actorId: string | null,
    action: 'update' | 'import' = 'update',
  ): Promise<CommitmentView[]> {
    if (changes.length === 0) return [];
    const ids = changes.map((change) => change.id);
    if (new Set(ids).size !== ids.length) throw new Error('updateManyWith changes each commitment once per call');
    // The row locks make a second editor of the same version wait here, then see the first one's new version.
    const commitments = await this.loadMany(manager, ids, true);
    const planned = changes.map(({ dto }, index) => ({ commitment: commitments[index], ...withoutSources(dto) }));
    const facts = await this.settlementFacts(
      manager,
      planned.map(({ commitment, companyId, acceleratorId, supersedesId }) => ({
        id: commitment.id,
        companyId: companyId ?? commitment.companyId,
        acceleratorId: acceleratorId === undefined ? commitment.acceleratorId : acceleratorId,
        supersedesId: supersedesId === undefined ? commitment.supersedesId : supersedesId,
      })),
    );
    for (const [target, holder] of await this.supersededByOf(manager, ids)) facts.holders.set(target, holder);
    const befores: CommitmentView[] = [];
    const supersededAfter: (string | null)[] = [];
    for (const [index, { commitment, version: _version, acceleratorKind, ...values }] of planned.entries()) {
      const before = toCommitmentView(commitment, facts.holders.get(commitment.id) ?? null);
      const expectedVersion = changes[index].expectedVersion;
      if (commitment.version !== expectedVersion) {
        throw conflict(`commitment ${commitment.id} was changed by someone else (version ${commitment.version}, not ${expectedVersion})`, {
          current: before,
        });
      }
      Object.assign(commitment, values, { updatedBy: actorId });
      // Without a chip, the kind stays what it was (the dropped chip's kind) unless the analyst names another.
      this.settle(facts, commitment, acceleratorKind ?? (commitment.acceleratorId ? undefined : commitment.acceleratorKind));
      facts.applied(commitment, before.supersedesId);
      befores.push(before);
      supersededAfter.push(facts.holders.get(commitment.id) ?? null);
    }

    const groupsBefore = await rollupGroupsOf(manager, ids);
    await this.writeColumns(manager, commitments);
    await this.replaceSources(
      manager,
      changes.flatMap(({ id, dto }) => (dto.sources ? [{ commitmentId: id, sources: dto.sources }] : [])),
    );
    await refreshCapacityRollup(manager, [...groupsBefore, ...(await rollupGroupsOf(manager, ids))]);
    const afters = (await this.loadMany(manager, ids)).map((commitment, index) => toCommitmentView(commitment, supersededAfter[index]));
    await this.audit.recordMany(
      manager,
      afters.flatMap((after, index) => {
        const before = befores[index];
        const entry: AuditRecord = { actorId, action, entityType: 'commitment', entityId: after.id, before, after };
        return [entry, ...supersessionEntries(actorId, after.id, before.supersedesId, after.supersedesId)];
      }),
    );
    return afters;
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
      await this.audit.recordMany(manager, supersessionEntries(actorId, id, before.supersedesId, null));
    });
  }

  /** Every audit entry about one commitment (deleted ones included), oldest first. */
  async history(id: string): Promise<AuditEntryView[]> {
    const exists = await this.dataSource.manager.exists(Commitment, { where: { id }, withDeleted: true });
    if (!exists) throw notFound('commitment', id);
    return this.audit.history('commitment', id);
  }

  private async load(manager: EntityManager, id: string, lock = false): Promise<Commitment> {
    return (await this.loadMany(manager, [id], lock))[0];
  }

  /** The live commitments of these ids, in this order, with what their views show; `lock` locks their rows. */
  private async loadMany(manager: EntityManager, ids: readonly string[], lock = false): Promise<Commitment[]> {
    if (lock) {
      const locked: { id: string }[] = await manager.query(
        'SELECT id FROM commitments WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL ORDER BY id FOR UPDATE',
        [ids],
      );
      const found = new Set(locked.map((row) => row.id));
      const missing = ids.find((id) => !found.has(id));
      if (missing) throw notFound('commitment', missing);
    }
    const loaded = await manager.find(Commitment, {
      where: { id: In([...ids]) },
      relations: { company: true, accelerator: true, sources: true },
    });
    const byId = new Map(loaded.map((commitment) => [commitment.id, commitment]));
    return ids.map((id) => {
      const commitment = byId.get(id);
      if (!commitment) throw notFound('commitment', id);
      return commitment;
    });
  }

  /**
   * What the rules need of the ledger to settle these records (as they are to be): their companies and chips, and
   * for the records they are to revise, whether those are live and of which company, who revises them now and the
   * chains they revise in turn.
   */
  private async settlementFacts(manager: EntityManager, records: ProspectiveRecord[]): Promise<SettlementFacts> {
    const present = <T>(values: (T | null)[]) => [...new Set(values.filter((value): value is T => value !== null))];
    const companyIds = present(records.map((record) => record.companyId));
    const chipIds = present(records.map((record) => record.acceleratorId));
    const targetIds = present(records.map((record) => record.supersedesId));
    const companies = await manager.findBy(Company, { id: In(companyIds) });
    const chips = chipIds.length > 0 ? await manager.findBy(Accelerator, { id: In(chipIds) }) : [];
    const facts = new SettlementFacts(
      new Map(companies.map((company) => [company.id, company])),
      new Map(chips.map((chip) => [chip.id, chip])),
    );
    if (targetIds.length === 0) return facts;
    const targets: { id: string; company_id: string }[] = await manager.query(
      'SELECT id, company_id FROM commitments WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL',
      [targetIds],
    );
    const holders: { id: string; supersedes_id: string }[] = await manager.query(
      'SELECT id, supersedes_id FROM commitments WHERE supersedes_id = ANY($1::uuid[]) AND deleted_at IS NULL',
      [targetIds],
    );
    // The chains of records the targets revise, as the database holds them, to see whether one leads back.
    const links: { id: string; supersedes_id: string | null }[] = records.some((record) => record.id)
      ? await manager.query(
          `WITH RECURSIVE older(id, supersedes_id) AS (
             SELECT id, supersedes_id FROM commitments WHERE id = ANY($1::uuid[])
             UNION SELECT c.id, c.supersedes_id FROM commitments c JOIN older o ON c.id = o.supersedes_id
           ) SELECT id, supersedes_id FROM older`,
          [targetIds],
        )
      : [];
    for (const target of targets) facts.targetCompanies.set(target.id, target.company_id);
    for (const holder of holders) facts.holders.set(holder.supersedes_id, holder.id);
    for (const link of links) facts.links.set(link.id, link.supersedes_id);
    return facts;
  }

  /** Resolves references, the chip's kind and the effective window, and checks what the schema cannot. */
  private settle(facts: SettlementFacts, commitment: Commitment, requestedKind: Commitment['acceleratorKind'] | undefined): void {
    const company = facts.companies.get(commitment.companyId);
    if (!company) throw invalidField('companyId', `company ${commitment.companyId} does not exist`, commitment.companyId);
    commitment.company = company;

    let chip: Accelerator | null = null;
    if (commitment.acceleratorId) {
      chip = facts.chips.get(commitment.acceleratorId) ?? null;
      if (!chip) throw invalidField('acceleratorId', `accelerator ${commitment.acceleratorId} does not exist`, commitment.acceleratorId);
    }
    commitment.accelerator = chip;
    commitment.acceleratorKind = settled(settleAcceleratorKind(chip, requestedKind));
    commitment.quantityQualifier = settleQuantityQualifier(commitment.quantity, commitment.quantityQualifier);
    const window = settled(settleWindow(commitment));
    commitment.windowFirstQuarter = window.first;
    commitment.windowLastQuarter = window.last;

    if (commitment.supersedesId) {
      const violation = supersessionViolation(facts.supersession(commitment, commitment.supersedesId));
      if (violation) throw violationError(violation);
    }
  }

  /**
   * Writes the columns of changed commitments in one statement. As a save does, a record whose columns all stay as
   * they are keeps its version and time.
   */
  private async writeColumns(manager: EntityManager, commitments: Commitment[]): Promise<void> {
    const rows = commitments.map((commitment) =>
      Object.fromEntries([['id', commitment.id], ...WRITTEN_COLUMNS.map(([field, column]) => [column, commitment[field]])]),
    );
    const columns = WRITTEN_COLUMNS.map(([, column]) => column);
    await manager
      .query(
        `UPDATE commitments c SET ${columns.map((column) => `${column} = v.${column}`).join(', ')},
           version = c.version + 1, updated_at = CURRENT_TIMESTAMP
         FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, ${WRITTEN_COLUMNS.map(([, column, type]) => `${column} ${type}`).join(', ')})
         WHERE c.id = v.id
           AND (${columns.map((column) => `c.${column}`).join(', ')}) IS DISTINCT FROM (${columns.map((column) => `v.${column}`).join(', ')})`,
        [JSON.stringify(rows)],
      )
      .catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
  }

  /** Replaces all sources of each of these commitments with the ones given, in two statements. */
  private async replaceSources(manager: EntityManager, replacements: { commitmentId: string; sources: SourceDto[] }[]): Promise<void> {
    if (replacements.length === 0) return;
    await manager.query('DELETE FROM commitment_sources WHERE commitment_id = ANY($1::uuid[])', [
      replacements.map((replacement) => replacement.commitmentId),
    ]);
    const rows = replacements.flatMap(({ commitmentId, sources }) =>
      sources.map((source, position) => ({
        commitment_id: commitmentId,
        position,
        url: source.url ?? null,
        title: source.title ?? null,
        publisher: source.publisher ?? null,
        published_on: source.publishedOn ?? null,
        language: source.language ?? null,
        quote: source.quote ?? null,
      })),
    );
    await manager.query(
      `INSERT INTO commitment_sources (commitment_id, position, url, title, publisher, published_on, language, quote)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS s(commitment_id uuid, position integer, url text, title text, publisher text, published_on date, language text, quote text)`,
      [JSON.stringify(rows)],
    );
  }

  /** Who supersedes each of these commitments (the live record that revises it), by id. */
  private async supersededByOf(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    const newer: { id: string; supersedes_id: string }[] = await manager.query(
      'SELECT id, supersedes_id FROM commitments WHERE supersedes_id = ANY($1) AND deleted_at IS NULL',
      [ids],
    );
    return new Map(newer.map((row) => [row.supersedes_id, row.id]));
  }

  private async toViews(manager: EntityManager, commitments: Commitment[]): Promise<CommitmentView[]> {
    if (commitments.length === 0) return [];
    const ids = commitments.map((commitment) => commitment.id);
    const needsSources = commitments.some((commitment) => commitment.sources === undefined);
    if (needsSources) {
      const sources = await manager.find(CommitmentSource, { where: { commitmentId: In(ids) }, order: { position: 'ASC' } });
      for (const commitment of commitments) commitment.sources = sources.filter((source) => source.commitmentId === commitment.id);
    }
    const supersededBy = await this.supersededByOf(manager, ids);
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

/** A record as it is to be, to settle: `id` is undefined while it is being created. */
interface ProspectiveRecord {
  id?: string;
  companyId: string;
  acceleratorId: string | null;
  supersedesId: string | null;
}

/**
 * The companies and chips a batch of records names, and the supersession links around the records they revise, as
 * the database holds them; `applied` brings them up to date with each record settled, so that each one is checked
 * against the ledger as the records before it leave it.
 */
class SettlementFacts {
  /** The company of each live record revised. */
  readonly targetCompanies = new Map<string, string>();
  /** The live record that revises each of those (and each record of the batch), if any. */
  readonly holders = new Map<string, string>();
  /** The record each record on their chains revises. */
  readonly links = new Map<string, string | null>();

  constructor(
    readonly companies: Map<string, Company>,
    readonly chips: Map<string, Accelerator>,
  ) {}

  supersession(record: { id?: string; companyId: string }, targetId: string): SupersessionFacts {
    const targetCompany = this.targetCompanies.get(targetId);
    const next = (id: string) => (id === record.id ? targetId : this.links.get(id));
    return {
      record,
      targetId,
      target: targetCompany === undefined ? null : { companyId: targetCompany },
      rivalId: this.holders.get(targetId) ?? null,
      formsCycle: record.id !== undefined && supersessionCycles([record.id], next).has(record.id),
    };
  }

  /** The record is settled with these values; it revised `supersededBefore` until now. */
  applied(record: { id: string; companyId: string; supersedesId: string | null }, supersededBefore: string | null): void {
    if (this.targetCompanies.has(record.id)) this.targetCompanies.set(record.id, record.companyId);
    this.links.set(record.id, record.supersedesId);
    if (supersededBefore === record.supersedesId) return;
    if (supersededBefore && this.holders.get(supersededBefore) === record.id) this.holders.delete(supersededBefore);
    if (record.supersedesId) this.holders.set(record.supersedesId, record.id);
  }
}

/** The records a change starts or stops superseding get a `supersede` entry showing who now revises them. */
function supersessionEntries(
  actorId: string | null,
  id: string,
  supersededBefore: string | null,
  supersededAfter: string | null,
): AuditRecord[] {
  if (supersededBefore === supersededAfter) return [];
  const changes = [
    { entityId: supersededBefore, before: { supersededById: id }, after: { supersededById: null } },
    { entityId: supersededAfter, before: { supersededById: null }, after: { supersededById: id } },
  ];
  return changes.flatMap(({ entityId, before, after }) =>
    entityId ? [{ actorId, action: 'supersede' as const, entityType: 'commitment' as const, entityId, before, after }] : [],
  );
}
