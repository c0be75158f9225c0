import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type EntityManager, In } from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import { type AuditRecord, AuditTrail } from '../contracts/audit.js';
import { refreshCapacityRollup, refreshCompanyRollups, rollupGroupsOf } from '../database/capacity-rollup.js';
import { firstVersionsOf, recordVersions } from '../database/record-versions.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { conflict, DomainError, notFound } from '../common/errors.js';
import { definedFields } from '../common/objects.js';
import { invalidField } from '../common/errors.js';
import { Company } from '../companies/company.entity.js';
import {
  COMMITMENT_FIELDS,
  type CommitmentField,
  FIELD_NAMES,
  GIVEN_FIELDS,
  columnDefinitions,
  jsonFields,
  selectFields,
  SOURCE_FIELDS,
  SOURCE_RECORD,
} from '../domain/commitment-fields.js';
import {
  type PartOfFacts,
  type RuleViolation,
  type Settled,
  type SupersessionFacts,
  boundsViolation,
  cancelledWholeViolation,
  hostViolation,
  partOfViolation,
  settleAcceleratorKind,
  settleQuantityQualifier,
  settleWindow,
  supersessionCycles,
  supersessionViolation,
} from './commitment-rules.js';
import { type CommitmentEvent, CommitmentEvents } from './commitment-events.js';
import { CommitmentSource } from './commitment-source.entity.js';
import { Commitment } from './commitment.entity.js';
import { type CommitmentView, toCommitmentView } from './commitment.view.js';
import type { CreateCommitmentDto, SourceDto, UpdateCommitmentDto } from './dto/commitment.dto.js';

const UNIQUE_FIELDS = { commitments_external_key_unique: 'key', commitments_superseded_once: 'supersedesId' };

/** A change to one commitment: the fields to set and the version it was made against. */
export interface CommitmentChange {
  id: string;
  dto: UpdateCommitmentDto;
  expectedVersion: number;
}

/** The declared columns every write sets, and the writer's own. */
const WRITTEN_FIELDS = FIELD_NAMES;
const WRITTEN_COLUMNS = [...WRITTEN_FIELDS.map((field) => COMMITMENT_FIELDS[field].column), 'updated_by'];
const WRITTEN_DEFINITIONS = `${columnDefinitions(WRITTEN_FIELDS)}, updated_by uuid`;

/** Changed records per call of updateMany when a staged import writes: a few statements each, whose JSON stays small. */
const STAGED_UPDATE_ROWS = 1_000;
/** New records per statement of a staged import: each statement's pending checks (foreign keys) stay a few megabytes. */
const STAGED_CREATE_ROWS = 20_000;
/** From this many new records on, a staged import recomputes its companies' rollup rows whole. */
const WHOLE_ROLLUP_ROWS = 5_000;

/**
 * Staged records to write set-based (an import's): a table with one row per record, holding the declared columns
 * under their names (`external_key`, `company_id`, …, the window included), `line` (the order they are written in),
 * `sources` (a JSON array of sources by their API names), and for records that exist `existing_version` and
 * `existing_supersedes` (the version read and the record superseded until now). Three conditions on a row `r`
 * select the rows that take part, those that create a record and those that change one.
 */
export interface StagedRecords {
  table: string;
  planned: (r: string) => string;
  creates: (r: string) => string;
  updates: (r: string) => string;
}

/**
 * The one writer of commitments: every create, change and deletion goes through here — the API's single records and
 * batches, and imports — in the caller's transaction, with the same rules (`commitment-rules.ts`), the same
 * columns (from the declaration, `commitment-fields.ts`), audit entries and rollup refresh. It works batch-first: a
 * batch of records costs a few statements, whatever its size; an import's staged rows are written by INSERT … SELECT
 * built from the declaration, and its changed rows through `updateMany` a page at a time.
 */
@Injectable()
export class CommitmentWriter {
  constructor(
    private readonly audit: AuditTrail,
    private readonly events: CommitmentEvents,
  ) {}

  /**
   * Creates these commitments: all of them or, when any is refused, none. In a batch (`inBatch`), a refusal names
   * the item (`items[1].companyId`), as the validation pipe does. Returns the new records' ids, in order.
   */
  async createMany(
    manager: EntityManager,
    dtos: readonly CreateCommitmentDto[],
    actorId: string | null,
    options: { action?: 'create' | 'import'; inBatch?: boolean } = {},
  ): Promise<string[]> {
    if (dtos.length === 0) return [];
    const action = options.action ?? 'create';
    const commitments = dtos.map((dto) =>
      manager.create(Commitment, {
        ...newRecordDefaults(),
        ...withoutSources(dto),
        key: dto.key ?? null,
        id: randomUUID(),
        createdBy: actorId,
        updatedBy: actorId,
      }),
    );
    const facts = await settlementFacts(
      manager,
      commitments.map(({ companyId, acceleratorId, supersedesId, hostCompanyId, partOfId }) => ({
        companyId,
        acceleratorId,
        supersedesId,
        hostCompanyId,
        partOfId,
      })),
    );
    const keys = await takenKeys(manager, commitments);
    for (const [index, commitment] of commitments.entries()) {
      try {
        if (commitment.key !== null && keys.has(commitment.key)) {
          throw conflict('key already exists', [{ field: 'key', messages: ['key must be unique'] }]);
        }
        if (commitment.key !== null) keys.add(commitment.key);
        settle(facts, commitment, dtos[index].acceleratorKind, true);
      } catch (error) {
        throw options.inBatch && error instanceof DomainError ? inItem(error, index) : error;
      }
      facts.applied(commitment, null, null);
    }
    const ids = commitments.map((commitment) => commitment.id);
    const rows = commitments.map((commitment) => ({ ...columnsOf(commitment), created_by: actorId }));
    await manager
      .query(
        `INSERT INTO commitments (id, ${WRITTEN_COLUMNS.join(', ')}, created_by, version)
         SELECT id, ${WRITTEN_COLUMNS.join(', ')}, created_by, 1
         FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, ${WRITTEN_DEFINITIONS}, created_by uuid)`,
        [JSON.stringify(rows)],
      )
      .catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
    await replaceSources(
      manager,
      commitments.map((commitment, index) => ({ commitmentId: commitment.id, sources: dtos[index].sources })),
    );
    await recordVersions(manager, ids);
    await refreshCapacityRollup(manager, await rollupGroupsOf(manager, ids));
    const afters = await viewsOf(manager, await loadMany(manager, ids));
    await this.audit.recordMany(
      manager,
      afters.flatMap((after) => [
        { actorId, action, entityType: 'commitment' as const, entityId: after.id, before: null, after },
        ...supersessionEntries(actorId, after.id, null, after.supersedesId),
      ]),
    );
    await this.events.emit(
      manager,
      afters.flatMap((after): CommitmentEvent[] => [
        { commitmentId: after.id, change: 'created', view: after },
        ...(after.supersedesId ? [{ commitmentId: after.supersedesId, change: 'superseded' as const, view: null }] : []),
      ]),
    );
    return ids;
  }

  /**
   * Updates several commitments (each at most once), with the effects of updating them one by one in this order:
   * the same refusals, columns, versions, sources, audit entries and rollup rows, in a few statements whatever their
   * number. The rules are applied to each record as the earlier ones leave the ledger. Unique indexes are checked row
   * by row within the one UPDATE, so a record must not take a target that another record of the same call lets go of
   * (a staged import lets go of those first). `dto.sources`, when given, replaces all sources. A staged import's
   * changes (`import`) skip the rules of wholes and parts: the import has applied them to the ledger as it leaves it
   * (`ImportStage`), and row by row they would refuse orders a file needs (a part moving to a whole that a later row
   * releases from its own whole).
   */
  async updateMany(
    manager: EntityManager,
    changes: readonly CommitmentChange[],
    actorId: string | null,
    action: 'update' | 'import' = 'update',
  ): Promise<CommitmentView[]> {
    if (changes.length === 0) return [];
    const ids = changes.map((change) => change.id);
    if (new Set(ids).size !== ids.length) throw new Error('updateMany changes each commitment once per call');
    // The row locks make a second editor of the same version wait here, then see the first one's new version.
    const commitments = await loadMany(manager, ids, true);
    const planned = changes.map(({ dto }, index) => ({ commitment: commitments[index], ...withoutSources(dto) }));
    const facts = await settlementFacts(
      manager,
      planned.map(({ commitment, companyId, acceleratorId, supersedesId, hostCompanyId, partOfId }) => ({
        id: commitment.id,
        companyId: companyId ?? commitment.companyId,
        acceleratorId: acceleratorId === undefined ? commitment.acceleratorId : acceleratorId,
        supersedesId: supersedesId === undefined ? commitment.supersedesId : supersedesId,
        hostCompanyId: hostCompanyId === undefined ? commitment.hostCompanyId : hostCompanyId,
        partOfId: partOfId === undefined ? commitment.partOfId : partOfId,
      })),
    );
    for (const [target, holder] of await supersededByOf(manager, ids)) facts.holders.set(target, holder);
    const befores: CommitmentView[] = [];
    const supersededAfter: (string | null)[] = [];
    for (const [index, { commitment, version: _version, acceleratorKind, ...values }] of planned.entries()) {
      const before = toCommitmentView(commitment, facts.holders.get(commitment.id) ?? null);
      const partOfBefore = commitment.partOfId;
      const expectedVersion = changes[index].expectedVersion;
      if (commitment.version !== expectedVersion) {
        throw conflict(`commitment ${commitment.id} was changed by someone else (version ${commitment.version}, not ${expectedVersion})`, {
          current: before,
        });
      }
      Object.assign(commitment, values, { updatedBy: actorId });
      // Without a chip, the kind stays what it was (the dropped chip's kind) unless the analyst names another.
      settle(
        facts,
        commitment,
        acceleratorKind ?? (commitment.acceleratorId ? undefined : commitment.acceleratorKind),
        false,
        action === 'import',
      );
      facts.applied(commitment, before.supersedesId, partOfBefore);
      befores.push(before);
      supersededAfter.push(facts.holders.get(commitment.id) ?? null);
    }

    const groupsBefore = await rollupGroupsOf(manager, ids);
    await writeColumns(manager, commitments);
    await replaceSources(
      manager,
      changes.flatMap(({ id, dto }) => (dto.sources ? [{ commitmentId: id, sources: dto.sources }] : [])),
    );
    await recordVersions(manager, ids);
    await refreshCapacityRollup(manager, [...groupsBefore, ...(await rollupGroupsOf(manager, ids))]);
    const afters = (await loadMany(manager, ids)).map((commitment, index) => toCommitmentView(commitment, supersededAfter[index]));
    await this.audit.recordMany(
      manager,
      afters.flatMap((after, index) => {
        const before = befores[index];
        const entry: AuditRecord = { actorId, action, entityType: 'commitment', entityId: after.id, before, after };
        return [entry, ...supersessionEntries(actorId, after.id, before.supersedesId, after.supersedesId)];
      }),
    );
    await this.events.emit(
      manager,
      afters.flatMap((after, index): CommitmentEvent[] => {
        const before = befores[index];
        const changed = JSON.stringify(before) !== JSON.stringify(after);
        const superseding = after.supersedesId !== null && after.supersedesId !== before.supersedesId;
        return [
          ...(changed ? [{ commitmentId: after.id, change: 'updated' as const, view: after }] : []),
          ...(superseding ? [{ commitmentId: after.supersedesId!, change: 'superseded' as const, view: null }] : []),
        ];
      }),
    );
    return afters;
  }

  /** Deletes a commitment (softly), checking the version when one is given. */
  async remove(manager: EntityManager, id: string, ifMatchVersion: number | undefined, actorId: string | null): Promise<void> {
    const commitment = (await loadMany(manager, [id], true))[0];
    const before = (await viewsOf(manager, [commitment]))[0];
    if (ifMatchVersion !== undefined && ifMatchVersion !== commitment.version) {
      throw conflict(`commitment ${id} was changed by someone else (version ${commitment.version}, not ${ifMatchVersion})`, {
        current: before,
      });
    }
    await refuseWholeWithParts(manager, id);
    const groups = await rollupGroupsOf(manager, [id]);
    await manager.update(Commitment, { id }, { updatedBy: actorId, deletedAt: () => 'now()' });
    await recordVersions(manager, [id]);
    await refreshCapacityRollup(manager, groups);
    await this.audit.record(manager, { actorId, action: 'delete', entityType: 'commitment', entityId: id, before, after: null });
    await this.audit.recordMany(manager, supersessionEntries(actorId, id, before.supersedesId, null));
    await this.events.emit(manager, [{ commitmentId: id, change: 'deleted', view: before }]);
  }

  /**
   * Writes checked, staged records set-based (see StagedRecords), with their audit entries (`import`). A record is
   * superseded once at most, at every step: records that let go of the one they superseded change first, and a
   * record that moves to another target lets go of its old one before another record takes it. Changed records that
   * supersede, or become parts of new records, change once the new records are in (the foreign keys ask it).
   */
  async writeStaged(manager: EntityManager, staged: StagedRecords, actorId: string | null): Promise<void> {
    const { table } = staged;
    const namesNew = (r: string) => `EXISTS (SELECT 1 FROM ${table} w WHERE w.id = ${r}.part_of_id AND ${staged.creates('w')})`;
    const later = (r: string) => `(${r}.supersedes_id IS NOT NULL OR ${namesNew(r)})`;
    await this.updateStaged(manager, staged, `NOT ${later(table)}`, actorId);
    await manager.query(
      `UPDATE commitments SET supersedes_id = NULL
       WHERE id IN (
         SELECT r.id FROM ${table} r
         WHERE ${staged.updates('r')} AND ${later('r')} AND r.existing_supersedes IS NOT NULL
           AND r.existing_supersedes IS DISTINCT FROM r.supersedes_id
           AND EXISTS (SELECT 1 FROM ${table} t WHERE ${staged.planned('t')} AND t.supersedes_id = r.existing_supersedes)
       )`,
    );
    const created = await this.insertStaged(manager, staged, actorId);
    await refreshStagedRollup(manager, staged, created);
    await this.emitStaged(manager, staged);
    await this.updateStaged(manager, staged, later(table), actorId);
    // The new records have their versions (insertStaged) but for those whose links were set once all were in.
    const written: { id: string }[] = await manager.query(
      `SELECT r.id FROM ${table} r
       WHERE (${staged.updates('r')})
         OR (${staged.creates('r')} AND (r.supersedes_id IS NOT NULL OR r.part_of_id IS NOT NULL) AND EXISTS (
           SELECT 1 FROM ${table} t WHERE (t.id = r.supersedes_id OR t.id = r.part_of_id) AND ${staged.creates('t')} AND t.line > r.line
         ))`,
    );
    await recordVersions(
      manager,
      written.map((row) => row.id),
    );
  }

  /** The events of a staged import's new records (the changed ones emit theirs through updateMany). */
  private async emitStaged(manager: EntityManager, staged: StagedRecords): Promise<void> {
    if (!(await this.events.followed(manager))) return;
    const rows: { id: string; supersedes_id: string | null }[] = await manager.query(
      `SELECT id, supersedes_id FROM ${staged.table} WHERE ${staged.creates(staged.table)} ORDER BY line`,
    );
    await this.events.emit(
      manager,
      rows.flatMap((row): CommitmentEvent[] => [
        { commitmentId: row.id, change: 'created', view: null },
        ...(row.supersedes_id ? [{ commitmentId: row.supersedes_id, change: 'superseded' as const, view: null }] : []),
      ]),
    );
  }

  /**
   * The new records with their sources, first versions and audit entries, STAGED_CREATE_ROWS rows per statement, in
   * the order of `line`; then the links to records created further on (a record may revise, or be a part of, a new
   * record later in the file: its link is set once all are in, as the foreign key asks). Returns the number of records
   * created.
   */
  private async insertStaged(manager: EntityManager, staged: StagedRecords, actorId: string | null): Promise<number> {
    const { table, creates } = staged;
    const bounds: { line: number }[] = await manager.query(
      `SELECT line FROM (
         SELECT line, row_number() OVER (ORDER BY line) AS n, count(*) OVER () AS total FROM ${table} WHERE ${creates(table)}
       ) AS c
       WHERE n % ${STAGED_CREATE_ROWS} = 0 OR n = total ORDER BY line`,
    );
    const columns = FIELD_NAMES.map((field) => COMMITMENT_FIELDS[field].column);
    const values = columns.map((column) =>
      column === 'supersedes_id'
        ? 'CASE WHEN link_later THEN NULL ELSE supersedes_id END'
        : column === 'part_of_id'
          ? 'CASE WHEN part_later THEN NULL ELSE part_of_id END'
          : column,
    );
    const sourceColumns = SOURCE_FIELDS.map(({ column }) => column).join(', ');
    const sourceNames = SOURCE_FIELDS.map(({ field }) => `"${field}"`).join(', ');
    const writes = `input AS (
        SELECT i.*, t.line IS NOT NULL AS link_later, w.line IS NOT NULL AS part_later FROM ${table} i
        LEFT JOIN ${table} t ON t.id = i.supersedes_id AND ${creates('t')} AND t.line > i.line
        LEFT JOIN ${table} w ON w.id = i.part_of_id AND ${creates('w')} AND w.line > i.line
        WHERE ${creates('i')} AND i.line > $1 AND i.line <= $2
      ),
      written AS (
        INSERT INTO commitments (id, ${columns.join(', ')}, version, created_by, updated_by)
        SELECT id, ${values.join(', ')}, 1, $3::uuid, $3::uuid FROM input
        RETURNING *
      ),
      sources_written AS (
        INSERT INTO commitment_sources (commitment_id, position, ${sourceColumns})
        SELECT i.id, s.n - 1, ${SOURCE_FIELDS.map(({ field }) => `s."${field}"`).join(', ')}
        FROM input i CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(i.sources) AS (${SOURCE_RECORD}))
          WITH ORDINALITY AS s(${sourceNames}, n)
        RETURNING *
      ),
      versions_written AS (${firstVersionsOf('written', 'sources_written')})`;
    // Each row's `import` entry (the record as the file set it, with its sources and its line) and, when it revises a
    // record, that record's `supersede`, in the order of the file.
    const entries = `
      SELECT $3::uuid, e.action, 'commitment', e.entity_id, e.before, e.after
      FROM input i
      CROSS JOIN LATERAL (VALUES
        (1, 'import', i.id, NULL::jsonb,
          jsonb_build_object('id', i.id, ${jsonFields(GIVEN_FIELDS, 'i')}, 'sources', i.sources, 'line', i.line)),
        (2, 'supersede', i.supersedes_id, '{"supersededById": null}'::jsonb, jsonb_build_object('supersededById', i.id))
      ) AS e(step, action, entity_id, before, after)
      WHERE e.entity_id IS NOT NULL
      ORDER BY i.line, e.step`;
    let after = 0;
    for (const { line } of bounds) {
      await this.audit.recordSelected(manager, entries, [after, line, actorId], writes);
      after = line;
    }
    await manager.query(
      `UPDATE commitments c SET supersedes_id = r.supersedes_id
       FROM ${table} r JOIN ${table} t ON t.id = r.supersedes_id AND ${creates('t')} AND t.line > r.line
       WHERE ${creates('r')} AND c.id = r.id`,
    );
    await manager.query(
      `UPDATE commitments c SET part_of_id = r.part_of_id
       FROM ${table} r JOIN ${table} w ON w.id = r.part_of_id AND ${creates('w')} AND w.line > r.line
       WHERE ${creates('r')} AND c.id = r.id`,
    );
    const [{ created }]: { created: number }[] = await manager.query(
      `SELECT count(*)::integer AS created FROM ${table} WHERE ${creates(table)}`,
    );
    return created;
  }

  /** Changes the records of the changed staged rows that match `condition`, in the order of `line`, a page at a time. */
  private async updateStaged(manager: EntityManager, staged: StagedRecords, condition: string, actorId: string | null) {
    const fields = GIVEN_FIELDS.filter((field) => field !== 'key');
    for (let after = 0; ;) {
      const page: ({ line: number; id: string; version: number; sources: SourceDto[] } & Partial<Record<CommitmentField, unknown>>)[] =
        await manager.query(
          `SELECT line, id, existing_version AS version, ${selectFields(fields, staged.table)}, sources FROM ${staged.table}
           WHERE ${staged.updates(staged.table)} AND ${condition} AND line > $1 ORDER BY line LIMIT ${STAGED_UPDATE_ROWS}`,
          [after],
        );
      if (page.length === 0) return;
      const changes = page.map(({ line: _line, id, version, ...dto }): CommitmentChange => ({
        id,
        dto: dto as UpdateCommitmentDto,
        expectedVersion: version,
      }));
      await this.updateMany(manager, changes, actorId, 'import');
      after = page[page.length - 1].line;
    }
  }
}

/** The live commitments of these ids, in this order, with what their views show; `lock` locks their rows. */
export async function loadMany(manager: EntityManager, ids: readonly string[], lock = false): Promise<Commitment[]> {
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

/** The views of loaded commitments (their company and chip loaded), with their sources and who supersedes them. */
export async function viewsOf(manager: EntityManager, commitments: Commitment[]): Promise<CommitmentView[]> {
  if (commitments.length === 0) return [];
  const ids = commitments.map((commitment) => commitment.id);
  const needsSources = commitments.some((commitment) => commitment.sources === undefined);
  if (needsSources) {
    const sources = await manager.find(CommitmentSource, { where: { commitmentId: In(ids) }, order: { position: 'ASC' } });
    for (const commitment of commitments) commitment.sources = sources.filter((source) => source.commitmentId === commitment.id);
  }
  const supersededBy = await supersededByOf(manager, ids);
  return commitments.map((commitment) => toCommitmentView(commitment, supersededBy.get(commitment.id) ?? null));
}

/** Who supersedes each of these commitments (the live record that revises it), by id. */
async function supersededByOf(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
  const newer: { id: string; supersedes_id: string }[] = await manager.query(
    'SELECT id, supersedes_id FROM commitments WHERE supersedes_id = ANY($1) AND deleted_at IS NULL',
    [ids],
  );
  return new Map(newer.map((row) => [row.supersedes_id, row.id]));
}

/** What a new record holds where it gives nothing: the declared defaults, else null. */
function newRecordDefaults(): Partial<Commitment> {
  return Object.fromEntries(
    FIELD_NAMES.flatMap((field): [string, string | null][] => {
      const declaration: { nullable: boolean; default?: string } = COMMITMENT_FIELDS[field];
      if (declaration.default !== undefined) return [[field, declaration.default]];
      return declaration.nullable ? [[field, null]] : [];
    }),
  ) as Partial<Commitment>;
}

/** The keys of these records that live records hold already. */
async function takenKeys(manager: EntityManager, commitments: Commitment[]): Promise<Set<string>> {
  const keys = commitments.flatMap((commitment) => (commitment.key === null ? [] : [commitment.key]));
  if (keys.length === 0) return new Set();
  const taken: { key: string }[] = await manager.query(
    'SELECT external_key AS key FROM commitments WHERE external_key = ANY($1::text[]) AND deleted_at IS NULL',
    [keys],
  );
  return new Set(taken.map((row) => row.key));
}

/** A record's written columns, by column name. */
function columnsOf(commitment: Commitment): Record<string, unknown> {
  return Object.fromEntries([
    ['id', commitment.id],
    ...WRITTEN_FIELDS.map((field) => [COMMITMENT_FIELDS[field].column, commitment[field]]),
    ['updated_by', commitment.updatedBy],
  ]);
}

/**
 * Writes the columns of changed commitments in one statement. As a save does, a record whose columns all stay as they
 * are keeps its version and time.
 */
async function writeColumns(manager: EntityManager, commitments: Commitment[]): Promise<void> {
  const rows = commitments.map(columnsOf);
  await manager
    .query(
      `UPDATE commitments c SET ${WRITTEN_COLUMNS.map((column) => `${column} = v.${column}`).join(', ')},
         version = c.version + 1, updated_at = CURRENT_TIMESTAMP
       FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, ${WRITTEN_DEFINITIONS})
       WHERE c.id = v.id
         AND (${WRITTEN_COLUMNS.map((column) => `c.${column}`).join(', ')}) IS DISTINCT FROM (${WRITTEN_COLUMNS.map((column) => `v.${column}`).join(', ')})`,
      [JSON.stringify(rows)],
    )
    .catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
}

/** Replaces all sources of each of these commitments with the ones given, in two statements. */
async function replaceSources(manager: EntityManager, replacements: { commitmentId: string; sources: SourceDto[] }[]): Promise<void> {
  if (replacements.length === 0) return;
  await manager.query('DELETE FROM commitment_sources WHERE commitment_id = ANY($1::uuid[])', [
    replacements.map((replacement) => replacement.commitmentId),
  ]);
  const rows = replacements.flatMap(({ commitmentId, sources }) =>
    sources.map((source, position) => ({
      commitment_id: commitmentId,
      position,
      ...Object.fromEntries(SOURCE_FIELDS.map(({ field, column }) => [column, source[field] ?? null])),
    })),
  );
  const columns = SOURCE_FIELDS.map(({ column }) => column).join(', ');
  const definitions = SOURCE_FIELDS.map(({ column, pgType }) => `${column} ${pgType}`).join(', ');
  await manager.query(
    `INSERT INTO commitment_sources (commitment_id, position, ${columns})
     SELECT commitment_id, position, ${columns} FROM jsonb_to_recordset($1::jsonb) AS s(commitment_id uuid, position integer, ${definitions})`,
    [JSON.stringify(rows)],
  );
}

/**
 * The new records, the ones they supersede (of the same company) and the chains of the wholes they are parts of leave
 * or enter the capacity rollup in the same transaction. A large import recomputes its companies' rows whole (and
 * those of the wholes' companies), at the cost of their records; a small one only the rows its records fall in, as
 * every other write does.
 */
async function refreshStagedRollup(manager: EntityManager, staged: StagedRecords, created: number): Promise<void> {
  const { table, creates } = staged;
  if (created >= WHOLE_ROLLUP_ROWS) {
    const companies: { id: string }[] = await manager.query(`SELECT DISTINCT company_id AS id FROM ${table} WHERE ${creates(table)}`);
    // The chains of wholes are searched only where some new record is a part: the search's estimates are of the
    // table's size, and the memory planned for them costs more than the search whenever no part is staged.
    const [{ parts }]: { parts: boolean }[] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM ${table} WHERE ${creates(table)} AND part_of_id IS NOT NULL) AS parts`,
    );
    const wholes: { id: string }[] = parts
      ? await manager.query(
          `WITH RECURSIVE chain(id) AS (
             SELECT part_of_id FROM ${table} WHERE ${creates(table)} AND part_of_id IS NOT NULL
             UNION SELECT newer.id FROM commitments newer JOIN chain ON newer.supersedes_id = chain.id
           )
           SELECT DISTINCT company_id AS id FROM commitments WHERE id IN (SELECT id FROM chain)`,
        )
      : [];
    await refreshCompanyRollups(manager, [...new Set([...companies, ...wholes].map((company) => company.id))]);
    return;
  }
  const ids: { id: string }[] = await manager.query(`SELECT id FROM ${table} WHERE ${creates(table)}`);
  await refreshCapacityRollup(
    manager,
    await rollupGroupsOf(
      manager,
      ids.map((row) => row.id),
    ),
  );
}

/** A record as it is to be, to settle: `id` is undefined while it is being created. */
interface ProspectiveRecord {
  id?: string;
  companyId: string;
  acceleratorId: string | null;
  supersedesId: string | null;
  hostCompanyId: string | null;
  partOfId: string | null;
}

/**
 * What the rules need of the ledger to settle these records (as they are to be): their companies and chips, and for
 * the records they are to revise, whether those are live and of which company, who revises them now and the chains
 * they revise in turn.
 */
async function settlementFacts(manager: EntityManager, records: ProspectiveRecord[]): Promise<SettlementFacts> {
  const present = <T>(values: (T | null)[]) => [...new Set(values.filter((value): value is T => value !== null))];
  const companyIds = present(records.flatMap((record) => [record.companyId, record.hostCompanyId]));
  const chipIds = present(records.map((record) => record.acceleratorId));
  const targetIds = present(records.map((record) => record.supersedesId));
  const companies = await manager.findBy(Company, { id: In(companyIds) });
  const chips = chipIds.length > 0 ? await manager.findBy(Accelerator, { id: In(chipIds) }) : [];
  const facts = new SettlementFacts(
    new Map(companies.map((company) => [company.id, company])),
    new Map(chips.map((chip) => [chip.id, chip])),
  );
  await loadWholesAndParts(manager, records, facts);
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
function settle(
  facts: SettlementFacts,
  commitment: Commitment,
  requestedKind: Commitment['acceleratorKind'] | undefined,
  creating: boolean,
  wholesChecked = false,
): void {
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
  const bounds = boundsViolation(commitment);
  if (bounds) throw violationError(bounds);
  const window = settled(settleWindow(commitment));
  commitment.windowFirstQuarter = window.first;
  commitment.windowLastQuarter = window.last;

  if (commitment.supersedesId) {
    const record = creating ? { companyId: commitment.companyId } : commitment;
    const violation = supersessionViolation(facts.supersession(record, commitment.supersedesId));
    if (violation) throw violationError(violation);
  }

  const host = hostViolation(commitment, commitment.hostCompanyId !== null && facts.companies.has(commitment.hostCompanyId));
  if (host) throw violationError(host);
  // A staged import has applied these rules to the records as the whole import leaves them (ImportStage).
  if (wholesChecked) return;
  if (commitment.partOfId) {
    const violation = partOfViolation(facts.partOf(creating ? {} : { id: commitment.id }, commitment.partOfId));
    if (violation) throw violationError(violation);
  }
  const cancelled = creating ? null : cancelledWholeViolation(commitment.status, facts.partCount(commitment.id));
  if (cancelled) {
    throw conflict(`commitment ${commitment.id} has parts: move or release them (partOfId) before cancelling it`, [
      { field: cancelled.field, messages: [cancelled.message] },
    ]);
  }
}

/**
 * The wholes these records are to be parts of (live ones: their own whole and status), and how many live parts name
 * each of these records and wholes, for the rules of `partOfViolation`.
 */
async function loadWholesAndParts(manager: EntityManager, records: ProspectiveRecord[], facts: SettlementFacts): Promise<void> {
  const wholeIds = [...new Set(records.flatMap((record) => (record.partOfId ? [record.partOfId] : [])))];
  const recordIds = records.flatMap((record) => (record.id ? [record.id] : []));
  if (wholeIds.length > 0) {
    const wholes: { id: string; part_of_id: string | null; status: string }[] = await manager.query(
      'SELECT id, part_of_id, status FROM commitments WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL',
      [wholeIds],
    );
    for (const whole of wholes) facts.wholes.set(whole.id, { partOfId: whole.part_of_id, status: whole.status });
  }
  const counted = [...new Set([...recordIds, ...wholeIds])];
  if (counted.length === 0) return;
  const parts: { whole: string; parts: number }[] = await manager.query(
    `SELECT part_of_id AS whole, count(*)::integer AS parts FROM commitments
     WHERE part_of_id = ANY($1::uuid[]) AND deleted_at IS NULL GROUP BY part_of_id`,
    [counted],
  );
  for (const row of parts) facts.parts.set(row.whole, row.parts);
}

/** A whole that live parts name is not deleted: its parts must be released or moved first (409, naming them). */
async function refuseWholeWithParts(manager: EntityManager, id: string): Promise<void> {
  const parts: { id: string }[] = await manager.query(
    'SELECT id FROM commitments WHERE part_of_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT 20',
    [id],
  );
  if (parts.length === 0) return;
  throw conflict(`commitment ${id} has parts: move or release them (partOfId) before deleting it`, [
    { field: 'partOfId', messages: ['a whole with parts cannot be deleted; release its parts first'], value: parts.map((part) => part.id) },
  ]);
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

  /** The live wholes the records name in `partOfId`, as they will be: their own whole and their status. */
  readonly wholes = new Map<string, { partOfId: string | null; status: string }>();
  /** How many live parts name each of the records and wholes, as they will be. */
  readonly parts = new Map<string, number>();

  constructor(
    readonly companies: Map<string, Company>,
    readonly chips: Map<string, Accelerator>,
  ) {}

  partOf(record: { id?: string }, targetId: string): PartOfFacts {
    return {
      record,
      targetId,
      target: this.wholes.get(targetId) ?? null,
      recordHasParts: record.id !== undefined && this.partCount(record.id) > 0,
    };
  }

  partCount(id: string): number {
    return this.parts.get(id) ?? 0;
  }

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

  /** The record is settled with these values; it revised `supersededBefore` and was a part of `partOfBefore` until now. */
  applied(
    record: { id: string; companyId: string; supersedesId: string | null; partOfId: string | null; status: string },
    supersededBefore: string | null,
    partOfBefore: string | null,
  ): void {
    if (this.targetCompanies.has(record.id)) this.targetCompanies.set(record.id, record.companyId);
    if (this.wholes.has(record.id)) this.wholes.set(record.id, { partOfId: record.partOfId, status: record.status });
    if (partOfBefore !== record.partOfId) {
      if (partOfBefore) this.parts.set(partOfBefore, this.partCount(partOfBefore) - 1);
      if (record.partOfId) this.parts.set(record.partOfId, this.partCount(record.partOfId) + 1);
    }
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
