import type { EntityManager } from 'typeorm';
import { cancelledWholeViolation, partOfViolation, supersessionCycles, supersessionViolation } from '../commitments/commitment-rules.js';
import type { StagedRecords } from '../commitments/commitment-writer.js';
import { COLUMN_OF_FIELD, COMMITMENT_FIELDS, type CommitmentField, FIELD_NAMES } from '../domain/commitment-fields.js';
import { type FoundError, MAX_LISTED_ERRORS, PHASE, type StagedRow } from './import-plan.js';

/** Superseding rows (and parts) read per page while the supersession (and whole and part) rules are applied. */
const RULE_PAGE_ROWS = 5_000;

/**
 * The columns of the staging table besides the record's own (those of the declaration, under their names, and its
 * sources): the row's line and `key` cell, `failed_phase` (null while a row passes, else the phase that failed it;
 * 0: its own checks), the record it names, the `supersedes` and `part_of` cells and what the checks across rows find.
 */
const BOOKKEEPING_COLUMNS = [
  ['line', 'integer PRIMARY KEY'],
  ['key', 'text'],
  ['failed_phase', 'integer'],
  ['id', 'uuid'],
  ['existing', 'boolean'],
  ['existing_version', 'integer'],
  ['existing_supersedes', 'uuid'],
  ['existing_part_of', 'uuid'],
  ['id_from_key', 'boolean'],
  ['supersedes', 'text'],
  ['part_of', 'text'],
  ['same_values', 'boolean'],
  ['violations', 'jsonb'],
] as const;
const RECORD_COLUMNS = FIELD_NAMES.map((field) => [COMMITMENT_FIELDS[field].column, COMMITMENT_FIELDS[field].pgType] as const);
/** The declared fields staged apart from a row's values: its record's key, window, supersession and whole. */
const STAGED_APART: ReadonlySet<CommitmentField> = new Set(['key', 'windowFirstQuarter', 'windowLastQuarter', 'supersedesId', 'partOfId']);
/** The other declared fields, with their column, looked up once for the rows of a batch. */
const FIELD_COLUMNS = FIELD_NAMES.filter((field) => !STAGED_APART.has(field)).map((field) => ({
  field,
  column: COMMITMENT_FIELDS[field].column,
}));
/** The columns a batch of rows fills, by name: the JSON objects sent carry these keys. */
const STAGED_COLUMNS = [...BOOKKEEPING_COLUMNS, ...RECORD_COLUMNS, ['sources', 'jsonb']] as const;

/**
 * The staged rows of one import, in a temporary table of the import's own transaction (dropped when it ends, commit
 * or rollback). The table is the writer's StagedRecords: the declared columns, `line`, `sources`, `existing_version`
 * and `existing_supersedes`.
 */
const CREATE_TABLES = `
  CREATE TEMPORARY TABLE import_rows (
    ${STAGED_COLUMNS.map(([column, type]) => `${column} ${type}`).join(',\n    ')},
    target_line integer,
    part_target_line integer,
    on_cycle boolean NOT NULL DEFAULT false
  ) ON COMMIT DROP;
  CREATE TEMPORARY TABLE import_errors (phase integer, line integer, step integer, field text, message text, value text) ON COMMIT DROP;
  CREATE TEMPORARY TABLE import_jumps (id uuid, jump uuid) ON COMMIT DROP`;

/** A batch of rows, sent as one JSON array of objects keyed by column. */
const STAGE_ROWS = `
  INSERT INTO import_rows (${STAGED_COLUMNS.map(([column]) => column).join(', ')})
  SELECT ${STAGED_COLUMNS.map(([column]) => column).join(', ')}
  FROM json_to_recordset($1::json) AS r(${STAGED_COLUMNS.map(([column, type]) => `${column} ${type.replace(' PRIMARY KEY', '')}`).join(', ')})`;

/** Whether the staged row `r` takes part in the import (no check has failed it). */
export const planned = (r: string) => `${r}.failed_phase IS NULL`;
/** Whether the staged row `r` takes part and creates a record, changes one, or leaves one as it is. */
export const creates = (r: string) => `${planned(r)} AND NOT ${r}.existing`;
const unchanged = (r: string) =>
  `${planned(r)} AND ${r}.existing AND ${r}.same_values AND ${r}.supersedes_id IS NOT DISTINCT FROM ${r}.existing_supersedes
   AND ${r}.part_of_id IS NOT DISTINCT FROM ${r}.existing_part_of`;
export const updates = (r: string) => `${planned(r)} AND ${r}.existing AND NOT (${unchanged(r)})`;
/** The staged rows as the writer takes them. */
export const STAGED_IMPORT: StagedRecords = { table: 'import_rows', planned, creates, updates };
/**
 * Whether the staged row `r` still took part when the supersession rules began: the rules read a page at a time,
 * and a row they fail on one page stays a target and a record of the file for the next.
 */
const inSupersession = (r: string) => `(${planned(r)} OR ${r}.failed_phase = ${PHASE.supersession})`;
/**
 * The UPDATE that resolves the staged rows' `cell` (a key or id naming a record) into `lineColumn` (the first row of
 * the file with that key) and `idColumn` (that row's record, or else the live record with that key or id).
 */
function resolvingReferences(cell: 'supersedes' | 'part_of', lineColumn: string, idColumn: string): string {
  return `UPDATE import_rows r SET ${lineColumn} = s.target_line, ${idColumn} = s.target_id
    FROM (
      SELECT r.line, f.line AS target_line, coalesce(f.id, by_key.id, by_id.id) AS target_id
      FROM import_rows r
      LEFT JOIN LATERAL (SELECT t.line, t.id FROM import_rows t WHERE t.key = r.${cell} ORDER BY t.line LIMIT 1) AS f ON true
      LEFT JOIN commitments by_key ON f.line IS NULL AND by_key.external_key = r.${cell} AND by_key.deleted_at IS NULL
      LEFT JOIN commitments by_id ON f.line IS NULL AND by_key.id IS NULL AND by_id.deleted_at IS NULL
        AND by_id.id = CASE WHEN r.${cell} ~* '${UUID_PATTERN}' THEN r.${cell}::uuid END
      WHERE ${planned('r')} AND r.${cell} IS NOT NULL
    ) AS s
    WHERE r.line = s.line`;
}

/** Whether the staged row `r` still took part when the whole and part rules began (see inSupersession). */
const inPartOf = (r: string) => `(${planned(r)} OR ${r}.failed_phase = ${PHASE.partOf})`;
/** The problem of a staged row `r` whose `supersedes` cell names a row of the file that has errors. */
const namesFailedRow = (r: string) => `'the row with key ' || ${r}.supersedes || ' (line ' || ${r}.target_line || ') has errors'`;
/** The same for its `part_of` cell. */
const namesFailedWhole = (r: string) => `'the row with key ' || ${r}.part_of || ' (line ' || ${r}.part_target_line || ') has errors'`;

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export interface StagedOutcome {
  /** Rows failed by the checks across rows (those failed by their own checks are the checker's count). */
  failedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** The first MAX_LISTED_ERRORS problems found across rows, by line, and how many there are. */
  errors: FoundError[];
  errorCount: number;
}

/**
 * The rows of an import staged in the database as they stream in, and the checks across rows run there in SQL:
 * repeated keys, rows naming the same record, deleted records, supersession and wholes (references to a row earlier
 * or later in the file or to a stored record, and the rules over the records as they will be). Memory in the server does not grow
 * with the file: rows go to the table a batch at a time, and what comes back is counts and capped lists.
 */
export class ImportStage {
  /** The staged rows whose `part_of` cell names a whole: with none, there is nothing to resolve. */
  private namingWholes = 0;

  private constructor(
    private readonly manager: EntityManager,
    private readonly hasSupersedes: boolean,
    private readonly hasPartOf: boolean,
  ) {}

  /** Creates the staging tables in the caller's transaction; `columns` says which reference columns the file has. */
  static async open(manager: EntityManager, columns: { supersedes: boolean; partOf: boolean }): Promise<ImportStage> {
    await manager.query(CREATE_TABLES);
    return new ImportStage(manager, columns.supersedes, columns.partOf);
  }

  async add(rows: StagedRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.namingWholes += rows.filter((row) => row.partOf).length;
    const batch = rows.map((row) => {
      const values = row.values;
      const violations = [row.violations.kind, row.violations.window, row.violations.bounds ?? null].filter(
        (violation) => violation !== null,
      );
      // Only the columns with a value: json_to_recordset reads a missing key as null, and most cells of a row are empty.
      const staged: Record<string, unknown> = {};
      const put = (column: string, value: unknown) => {
        if (value !== null && value !== undefined) staged[column] = value;
      };
      put('line', row.line);
      put('key', row.key);
      put('failed_phase', row.failed ? 0 : null);
      put('id', row.id);
      put('existing', row.existing !== null);
      put('existing_version', row.existing?.version);
      put('existing_supersedes', row.existing?.supersedesId);
      put('existing_part_of', row.existing?.partOfId);
      put('id_from_key', row.idFromKey);
      put('supersedes', row.supersedes);
      put('part_of', row.partOf);
      put('same_values', row.sameValues);
      put('violations', violations.length > 0 ? violations : null);
      put('sources', values?.sources);
      const record = (values ?? {}) as Partial<Record<CommitmentField, unknown>>;
      for (const { field, column } of FIELD_COLUMNS) put(column, record[field]);
      put(COMMITMENT_FIELDS.key.column, row.recordKey);
      put(COMMITMENT_FIELDS.windowFirstQuarter.column, row.window?.first);
      put(COMMITMENT_FIELDS.windowLastQuarter.column, row.window?.last);
      // A file without the column leaves each record's supersession as it is; with it, the cell decides (resolve).
      put(COMMITMENT_FIELDS.supersedesId.column, this.hasSupersedes ? null : row.existing?.supersedesId);
      put(COMMITMENT_FIELDS.partOfId.column, this.hasPartOf ? null : row.existing?.partOfId);
      return staged;
    });
    await this.manager.query(STAGE_ROWS, [JSON.stringify(batch)]);
  }

  /** Runs the checks across rows, in the order the problems are reported, and counts the outcomes. */
  async resolve(): Promise<StagedOutcome> {
    const query = this.manager.query.bind(this.manager);
    await query('CREATE INDEX ON import_rows (key, line)');
    await query('CREATE INDEX ON import_rows (id)');
    // The planner knows nothing of a temporary table's contents until it is analysed (autovacuum never does).
    await query('ANALYZE import_rows (line, key, id, supersedes, supersedes_id, failed_phase)');

    await this.fail(
      PHASE.ownChecks,
      `SELECT r.line, 0, 'key', 'the key repeats line ' || k.first_line, r.key
       FROM (SELECT key, min(line) AS first_line FROM import_rows WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) AS k
       JOIN import_rows r ON r.key = k.key AND r.line <> k.first_line`,
    );
    await this.fail(
      PHASE.sameRecord,
      `SELECT line, 0, 'key', 'names the same record as line ' || first_line, key
       FROM (
         SELECT line, key, min(line) OVER (PARTITION BY id) AS first_line FROM import_rows
         -- A new record's id is new: only rows matched to a stored record, or naming an id, can name the same one.
         WHERE ${planned('import_rows')} AND (existing OR id_from_key)
       ) AS records
       WHERE line <> first_line`,
    );
    // A row that names the same record as another is checked here still (it was matched to that record).
    await this.fail(
      PHASE.deleted,
      `SELECT r.line, 0, 'key', 'commitment ' || r.key || ' was deleted', r.key FROM import_rows r
       WHERE (${planned('r')} OR r.failed_phase = ${PHASE.sameRecord}) AND r.id_from_key
         AND EXISTS (SELECT 1 FROM commitments c WHERE c.id = r.id AND c.deleted_at IS NOT NULL)`,
    );
    await this.fail(
      PHASE.rules,
      `SELECT r.line, v.step, v.field, v.message, v.value
       FROM import_rows r
       CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(r.violations) AS (field text, message text, value text))
         WITH ORDINALITY AS v(field, message, value, step)
       WHERE ${planned('r')} AND r.violations IS NOT NULL`,
    );
    if (this.hasSupersedes) await this.resolveReferences();
    await this.markCycles();
    await this.applySupersessionRules();
    if (this.hasPartOf && this.namingWholes > 0) await this.resolveWholes();
    if (await this.hasPartOfCandidates()) await this.applyPartOfRules();
    return this.outcome();
  }

  /**
   * The `supersedes` cells: the first row of the file with that key, or else the live record with that key or id. A
   * row whose reference is a row that failed (before it, in the order of the file, if that row failed here too) fails.
   */
  private async resolveReferences(): Promise<void> {
    await this.manager.query(resolvingReferences('supersedes', 'target_line', 'supersedes_id'));
    const query = this.manager.query.bind(this.manager);
    await query('CREATE INDEX ON import_rows (target_line)');
    await query('ANALYZE import_rows (target_line)');
    // Rows are checked in the order of the file: a row that fails here fails the rows after it that name it. The
    // failures start from the rows failing on their own (no target, or a target failed in an earlier phase) and follow
    // the references to later lines, each row reached once (it has one target). The rows naming a failed row are
    // looked up by its line through the index (OFFSET 0 keeps the lookup a subquery): a hash join instead is rebuilt
    // at every step once the table outgrows work_mem, one pass over the table per link of the chain.
    await this.fail(
      PHASE.references,
      `WITH RECURSIVE failing(line) AS (
         SELECT r.line FROM import_rows r LEFT JOIN import_rows t ON t.line = r.target_line
         WHERE ${planned('r')} AND r.supersedes IS NOT NULL
           AND CASE WHEN r.target_line IS NULL THEN r.supersedes_id IS NULL ELSE t.failed_phase < ${PHASE.references} END
         UNION ALL
         SELECT naming.line FROM failing f CROSS JOIN LATERAL (
           SELECT r.line FROM import_rows r
           WHERE r.target_line = f.line AND r.line > f.line AND ${planned('r')} AND r.supersedes IS NOT NULL
           OFFSET 0
         ) AS naming
       )
       SELECT r.line, 0, 'supersedes',
         CASE WHEN r.target_line IS NULL THEN 'no row of the file and no record has the key or id ' || r.supersedes
           ELSE ${namesFailedRow('r')} END,
         r.supersedes
       FROM failing f JOIN import_rows r ON r.line = f.line`,
    );
  }

  /**
   * Marks the superseding rows that lie on a supersession cycle of the records as they will be: a planned row links
   * to its new target, any other record as the database links it. The links (one per superseding record: the planned
   * rows', then the stored chains they reach) are read once and searched by `supersessionCycles`, the one cycle
   * finder the writer uses too.
   */
  private async markCycles(): Promise<void> {
    const query = this.manager.query.bind(this.manager);
    await query(
      `INSERT INTO import_jumps SELECT id, supersedes_id FROM import_rows WHERE ${planned('import_rows')} AND supersedes_id IS NOT NULL`,
    );
    await query(
      `INSERT INTO import_jumps
       WITH RECURSIVE older(id, supersedes_id) AS (
         SELECT c.id, c.supersedes_id FROM commitments c
         WHERE c.id IN (SELECT supersedes_id FROM import_rows WHERE ${planned('import_rows')} AND supersedes_id IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM import_rows p WHERE p.id = c.id AND ${planned('p')})
         UNION
         SELECT c.id, c.supersedes_id FROM older o JOIN commitments c ON c.id = o.supersedes_id
         WHERE NOT EXISTS (SELECT 1 FROM import_rows p WHERE p.id = c.id AND ${planned('p')})
       ) SELECT id, supersedes_id FROM older WHERE supersedes_id IS NOT NULL`,
    );
    const links: { id: string; jump: string }[] = await query('SELECT id, jump FROM import_jumps');
    const next = new Map(links.map((link) => [link.id, link.jump]));
    const onCycle = supersessionCycles(next.keys(), (id) => next.get(id));
    if (onCycle.size > 0) {
      await query(
        `UPDATE import_rows SET on_cycle = true
         WHERE ${planned('import_rows')} AND supersedes_id IS NOT NULL AND id = ANY($1::uuid[])`,
        [[...onCycle]],
      );
    }
  }

  /**
   * The supersession rules (the API's, `supersessionViolation`) over each superseding row, in the order of the file:
   * the target exists and is of the same company, no other record supersedes it (a record the file does not plan, or
   * an earlier row that passed), and no cycle forms. Read a page at a time, by target and line.
   */
  private async applySupersessionRules(): Promise<void> {
    let after: { target: string; line: number } = { target: '00000000-0000-0000-0000-000000000000', line: 0 };
    let heldBy: { target: string; label: string } | null = null;
    for (;;) {
      const page: {
        line: number;
        id: string;
        companyId: string;
        targetId: string;
        reference: string;
        targetCompanyId: string | null;
        rival: string | null;
        onCycle: boolean;
        failedTarget: string | null;
      }[] = await this.manager.query(
        `SELECT r.line, r.id, r.company_id AS "companyId", r.supersedes_id AS "targetId",
           coalesce(r.supersedes, r.supersedes_id::text) AS reference, coalesce(t.company_id, c.company_id) AS "targetCompanyId",
           rival.label AS rival, r.on_cycle AS "onCycle",
           CASE WHEN r.target_line IS NOT NULL AND t.line IS NULL THEN ${namesFailedRow('r')} END AS "failedTarget"
         FROM import_rows r
         LEFT JOIN import_rows t ON t.id = r.supersedes_id AND ${inSupersession('t')}
         LEFT JOIN commitments c ON t.line IS NULL AND c.id = r.supersedes_id AND c.deleted_at IS NULL
         LEFT JOIN LATERAL (
           SELECT coalesce(x.external_key, x.id::text) AS label FROM commitments x
           WHERE x.supersedes_id = r.supersedes_id AND x.deleted_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM import_rows p WHERE p.id = x.id AND ${inSupersession('p')})
           LIMIT 1
         ) AS rival ON true
         WHERE ${planned('r')} AND r.supersedes_id IS NOT NULL AND (r.supersedes_id, r.line) > ($1::uuid, $2::integer)
         ORDER BY r.supersedes_id, r.line
         LIMIT ${RULE_PAGE_ROWS}`,
        [after.target, after.line],
      );
      if (page.length === 0) return;
      const errors: FoundError[] = [];
      for (const row of page) {
        const problem = (field: string, message: string) =>
          errors.push({ phase: PHASE.supersession, line: row.line, step: 0, field, message, value: row.reference });
        // The row named is later in the file and failed its own reference (a row failed earlier fails this one there).
        if (row.failedTarget !== null) {
          problem('supersedes', row.failedTarget);
          continue;
        }
        const taken = heldBy?.target === row.targetId ? heldBy.label : null;
        const violation = supersessionViolation({
          record: { id: row.id, companyId: row.companyId },
          targetId: row.targetId,
          target: row.targetCompanyId === null ? null : { companyId: row.targetCompanyId },
          rivalId: row.rival ?? taken,
          formsCycle: row.onCycle,
        });
        if (violation) {
          problem(COLUMN_OF_FIELD[violation.field] ?? violation.field, violation.message.replace(row.targetId, row.reference));
        } else heldBy = { target: row.targetId, label: `the row on line ${row.line}` };
      }
      if (errors.length > 0) {
        await this.fail(PHASE.supersession, `SELECT * FROM unnest($1::integer[], $2::integer[], $3::text[], $4::text[], $5::text[])`, [
          errors.map((error) => error.line),
          errors.map(() => 0),
          errors.map((error) => error.field),
          errors.map((error) => error.message),
          errors.map((error) => error.value),
        ]);
      }
      const last = page[page.length - 1];
      after = { target: last.targetId, line: last.line };
    }
  }

  /**
   * The `part_of` cells, as `supersedes` (resolveReferences): the first row of the file with that key, or else the
   * live record with that key or id. An empty cell leaves the record without a whole. A row whose whole is a row that
   * failed before fails; wholes are one level deep, so no chain of rows follows.
   */
  private async resolveWholes(): Promise<void> {
    const query = this.manager.query.bind(this.manager);
    await query(resolvingReferences('part_of', 'part_target_line', 'part_of_id'));
    await query('CREATE INDEX ON import_rows (part_of_id)');
    await query('ANALYZE import_rows (part_of_id, part_target_line)');
    await this.fail(
      PHASE.wholes,
      `SELECT r.line, 0, 'part_of',
         CASE WHEN r.part_target_line IS NOT NULL THEN ${namesFailedWhole('r')}
           WHEN EXISTS (
             SELECT 1 FROM commitments d WHERE d.deleted_at IS NOT NULL AND (d.external_key = r.part_of
               OR d.id = CASE WHEN r.part_of ~* '${UUID_PATTERN}' THEN r.part_of::uuid END)
           ) THEN 'commitment ' || r.part_of || ' was deleted'
           ELSE 'no row of the file and no record has the key or id ' || r.part_of END,
         r.part_of
       FROM import_rows r LEFT JOIN import_rows t ON t.line = r.part_target_line
       WHERE ${planned('r')} AND r.part_of IS NOT NULL
         AND CASE WHEN r.part_target_line IS NULL THEN r.part_of_id IS NULL ELSE t.failed_phase IS NOT NULL OR r.part_of_id IS NULL END`,
    );
  }

  /** Whether any planned row is to be a part, or is cancelled (and may have parts): the rows the rules below read. */
  private async hasPartOfCandidates(): Promise<boolean> {
    const [{ found }]: { found: boolean }[] = await this.manager.query(
      `SELECT EXISTS (
         SELECT 1 FROM import_rows r WHERE ${planned('r')} AND (r.part_of_id IS NOT NULL OR r.status = 'cancelled')
       ) AS found`,
    );
    return found;
  }

  /**
   * The rules of wholes and parts (the API's, `partOfViolation` and `cancelledWholeViolation`) over the records as
   * they will be, rows of the file included: each part's whole exists, is not cancelled, is not itself a part and is
   * not the part itself, and no record that will have parts is a part or cancelled. Read a page at a time, by line:
   * the parts, and the cancelled rows that will have parts.
   */
  private async applyPartOfRules(): Promise<void> {
    // The live records that will name `id` as their whole: the rows of the file, and stored records the file leaves.
    const hasParts = (id: string) => `(
      EXISTS (SELECT 1 FROM import_rows p WHERE p.part_of_id = ${id} AND ${inPartOf('p')})
      OR EXISTS (
        SELECT 1 FROM commitments x WHERE x.part_of_id = ${id} AND x.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM import_rows p WHERE p.id = x.id AND ${inPartOf('p')})
      ))`;
    for (let after = 0; ;) {
      const page: {
        line: number;
        id: string;
        status: string;
        targetId: string | null;
        reference: string | null;
        wholeFound: boolean;
        wholeStatus: string | null;
        wholePartOf: string | null;
        hasParts: boolean;
        failedTarget: string | null;
      }[] = await this.manager.query(
        `SELECT r.line, r.id, r.status, r.part_of_id AS "targetId", coalesce(r.part_of, r.part_of_id::text) AS reference,
           (t.line IS NOT NULL OR c.id IS NOT NULL) AS "wholeFound", coalesce(t.status, c.status)::text AS "wholeStatus",
           CASE WHEN t.line IS NOT NULL THEN t.part_of_id ELSE c.part_of_id END AS "wholePartOf",
           ${hasParts('r.id')} AS "hasParts",
           CASE WHEN r.part_target_line IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM import_rows f WHERE f.line = r.part_target_line AND ${inPartOf('f')}
           ) THEN ${namesFailedWhole('r')} END AS "failedTarget"
         FROM import_rows r
         LEFT JOIN import_rows t ON t.id = r.part_of_id AND ${inPartOf('t')}
         LEFT JOIN commitments c ON t.line IS NULL AND c.id = r.part_of_id AND c.deleted_at IS NULL
         WHERE ${planned('r')} AND r.line > $1
           AND (r.part_of_id IS NOT NULL OR (r.status = 'cancelled' AND ${hasParts('r.id')}))
         ORDER BY r.line
         LIMIT ${RULE_PAGE_ROWS}`,
        [after],
      );
      if (page.length === 0) return;
      const errors: FoundError[] = [];
      for (const row of page) {
        const problem = (field: string, message: string, value: string | null) =>
          errors.push({ phase: PHASE.partOf, line: row.line, step: 0, field, message, value: value ?? '' });
        if (row.failedTarget !== null) {
          problem('part_of', row.failedTarget, row.reference);
          continue;
        }
        const targetId = row.targetId;
        const violation = targetId
          ? partOfViolation({
              record: { id: row.id },
              targetId,
              target: row.wholeFound ? { partOfId: row.wholePartOf, status: row.wholeStatus ?? '' } : null,
              recordHasParts: row.hasParts,
            })
          : null;
        if (violation) problem('part_of', violation.message.replace(targetId!, row.reference ?? targetId!), row.reference);
        const cancelled = cancelledWholeViolation(row.status, row.hasParts ? 1 : 0);
        if (cancelled) problem(COLUMN_OF_FIELD[cancelled.field] ?? cancelled.field, cancelled.message, row.status);
      }
      if (errors.length > 0) {
        await this.fail(PHASE.partOf, `SELECT * FROM unnest($1::integer[], $2::integer[], $3::text[], $4::text[], $5::text[])`, [
          errors.map((error) => error.line),
          errors.map((_, index) => index),
          errors.map((error) => error.field),
          errors.map((error) => error.message),
          errors.map((error) => error.value ?? ''),
        ]);
      }
      after = page[page.length - 1].line;
    }
  }

  private async outcome(): Promise<StagedOutcome> {
    const [counts]: Omit<StagedOutcome, 'errors'>[] = await this.manager.query(
      `SELECT count(*) FILTER (WHERE failed_phase > 0)::integer AS "failedRows",
         count(*) FILTER (WHERE ${creates('import_rows')})::integer AS created,
         count(*) FILTER (WHERE ${updates('import_rows')})::integer AS updated,
         count(*) FILTER (WHERE ${unchanged('import_rows')})::integer AS unchanged,
         (SELECT count(*)::integer FROM import_errors) AS "errorCount"
       FROM import_rows`,
    );
    const listed: (FoundError & { value: string | null })[] = await this.manager.query(
      `SELECT phase, line, step, field, message, value FROM import_errors ORDER BY line, phase, step LIMIT ${MAX_LISTED_ERRORS}`,
    );
    const errors = listed.map(({ value, ...error }) => ({ ...error, ...(value ? { value } : {}) }));
    return { ...counts, errors };
  }

  /**
   * Records the problems `select` finds (columns line, step, field, message, value) in `phase`, and fails their rows
   * that have not failed yet; returns the number of rows failed.
   */
  private async fail(phase: number, select: string, parameters: unknown[] = []): Promise<number> {
    const [{ failed }]: { failed: number }[] = await this.manager.query(
      `WITH found AS (
         INSERT INTO import_errors (phase, line, step, field, message, value) SELECT ${phase}, * FROM (${select}) AS problems
         RETURNING line
       ), failed AS (
         UPDATE import_rows r SET failed_phase = ${phase} FROM (SELECT DISTINCT line FROM found) AS f
         WHERE r.line = f.line AND r.failed_phase IS NULL RETURNING 1
       ) SELECT count(*)::integer AS failed FROM failed`,
      parameters,
    );
    return failed;
  }
}
