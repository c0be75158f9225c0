import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { refreshCapacityRollup, refreshCompanyRollups, rollupGroupsOf } from '../capacity/capacity-rollup.js';
import type { CommitmentChange, CommitmentsService } from '../commitments/commitments.service.js';
import type { SourceDto } from '../commitments/dto/commitment.dto.js';
import type { CommitmentValues, NewCompany } from './import-plan.js';
import { creates, planned, updates } from './import-staging.js';

/** Rows per statement for the new companies. */
const BATCH_ROWS = 5_000;
/** Changed records per call of updateManyWith: a few statements each, whose JSON stays a megabyte or so. */
const UPDATE_ROWS = 1_000;
/** New records per statement: each statement's pending checks (foreign keys) stay a few megabytes at most. */
const CREATE_ROWS = 20_000;

/**
 * A batch of the new records ($1 < line <= $2) with their sources, as the rows `input`. A record may revise a new
 * record further on in the file: its link is set once all are in, as the foreign key asks.
 */
const CREATED_ROWS = `input AS (
    SELECT i.*, t.line IS NOT NULL AS link_later FROM import_rows i
    LEFT JOIN import_rows t ON t.id = i.supersedes_id AND ${creates('t')} AND t.line > i.line
    WHERE ${creates('i')} AND i.line > $1 AND i.line <= $2
  ),
  written AS (
    INSERT INTO commitments (id, external_key, company_id, accelerator_id, accelerator_kind, quantity, quantity_qualifier,
      stated_h100e, stated_power_mw, announced_on, delivery_from, delivery_by, window_first_quarter, window_last_quarter,
      status, certainty, supersedes_id, notes, version, created_by, updated_by)
    SELECT id, record_key, company_id, accelerator_id, accelerator_kind, quantity, quantity_qualifier, stated_h100e, stated_power_mw,
      announced_on, delivery_from, delivery_by, window_first_quarter, window_last_quarter, status, certainty,
      CASE WHEN link_later THEN NULL ELSE supersedes_id END, notes, 1, $3::uuid, $3::uuid
    FROM input
  ),
  sources_written AS (
    INSERT INTO commitment_sources (commitment_id, position, url, title, publisher, published_on, language, quote)
    SELECT id, 0, url, title, publisher, published_on, language, quote FROM input
  )`;

/**
 * The trail of those rows ($3 the actor), built by the database from the values it writes: each row's `import` entry
 * (the record as the file set it, with its source and its line) and, when it revises a record, that record's
 * `supersede`, in the order of the file.
 */
const CREATION_ENTRIES = `
  SELECT $3::uuid, e.action, 'commitment', e.entity_id, e.before, e.after
  FROM input i
  CROSS JOIN LATERAL (SELECT i.url, i.title, i.publisher, i.published_on AS "publishedOn", i.language, i.quote) AS source
  CROSS JOIN LATERAL (
    SELECT i.id, i.record_key AS key, i.company_id AS "companyId", i.accelerator_id AS "acceleratorId",
      i.accelerator_kind AS "acceleratorKind", i.quantity, i.quantity_qualifier AS "quantityQualifier",
      i.stated_h100e AS "statedH100e", i.stated_power_mw AS "statedPowerMw", i.announced_on AS "announcedOn",
      i.delivery_from AS "deliveryFrom", i.delivery_by AS "deliveryBy", i.status, i.certainty,
      i.supersedes_id AS "supersedesId", i.notes, jsonb_build_array(to_jsonb(source)) AS sources, i.line
  ) AS record
  CROSS JOIN LATERAL (VALUES
    (1, 'import', i.id, NULL::jsonb, to_jsonb(record)),
    (2, 'supersede', i.supersedes_id, '{"supersededById": null}'::jsonb, jsonb_build_object('supersededById', i.id))
  ) AS e(step, action, entity_id, before, after)
  WHERE e.entity_id IS NOT NULL
  ORDER BY i.line, e.step`;

/** A changed record's row: its values and the version the import read. */
const CHANGED_ROWS = `
  SELECT line, id, existing_version AS version, company_id AS "companyId", accelerator_id AS "acceleratorId",
    accelerator_kind AS "acceleratorKind", quantity, quantity_qualifier AS "quantityQualifier", stated_h100e AS "statedH100e",
    stated_power_mw AS "statedPowerMw", announced_on AS "announcedOn", delivery_from AS "deliveryFrom", delivery_by AS "deliveryBy",
    status, certainty, supersedes_id AS "supersedesId", notes,
    url, title, publisher, published_on AS "publishedOn", language, quote
  FROM import_rows`;

type ChangedRow = Omit<CommitmentValues, 'source'> & { line: number; id: string; version: number } & CommitmentValues['source'];

/**
 * Writes a checked import from its staged rows, inside the caller's transaction: new companies and commitments in
 * INSERT … SELECT statements from the staging table, changed records a batch at a time through
 * CommitmentsService.updateManyWith, the one place every update of a commitment goes through.
 */
export async function writeImport(
  manager: EntityManager,
  services: { commitments: CommitmentsService; audit: AuditService },
  plan: { companies: NewCompany[]; actorId: string | null },
): Promise<void> {
  const { commitments, audit } = services;
  const companies = await usedCompanies(manager, plan.companies);
  await insertCompanies(manager, companies);
  await audit.recordMany(
    manager,
    companies.map((company) => ({
      actorId: plan.actorId,
      action: 'import',
      entityType: 'company',
      entityId: company.id,
      before: null,
      after: company,
    })),
  );

  // A record is superseded once at most, at every step: records that let go of the one they superseded change
  // first, and a record that moves to another target lets go of its old one before another record takes it.
  await updateRecords(manager, commitments, 'supersedes_id IS NULL', plan.actorId);
  await manager.query(
    `UPDATE commitments SET supersedes_id = NULL
     WHERE id IN (
       SELECT r.id FROM import_rows r
       WHERE ${updates('r')} AND r.supersedes_id IS NOT NULL AND r.existing_supersedes IS NOT NULL AND r.existing_supersedes <> r.supersedes_id
         AND EXISTS (SELECT 1 FROM import_rows t WHERE ${planned('t')} AND t.supersedes_id = r.existing_supersedes)
     )`,
  );
  const created = await insertCreated(manager, audit, plan.actorId);
  await refreshRollup(manager, created);
  await updateRecords(manager, commitments, 'supersedes_id IS NOT NULL', plan.actorId);
}

/** The new companies that rows to write use, in the order the file names them. */
async function usedCompanies(manager: EntityManager, companies: NewCompany[]): Promise<NewCompany[]> {
  if (companies.length === 0) return [];
  const used: { companyId: string }[] = await manager.query(
    `SELECT DISTINCT company_id AS "companyId" FROM import_rows WHERE ${planned('import_rows')} AND company_id = ANY($1::uuid[])`,
    [companies.map((company) => company.id)],
  );
  const ids = new Set(used.map((row) => row.companyId));
  return companies.filter((company) => ids.has(company.id));
}

/**
 * The new records, and the ones they supersede (of the same company), leave or enter the capacity rollup in the same
 * transaction. A large import recomputes its companies' rows whole, at the cost of their records; a small one only
 * the rows its records fall in, as every other write does.
 */
async function refreshRollup(manager: EntityManager, created: number): Promise<void> {
  if (created >= BATCH_ROWS) {
    const companies: { id: string }[] = await manager.query(
      `SELECT DISTINCT company_id AS id FROM import_rows WHERE ${creates('import_rows')}`,
    );
    await refreshCompanyRollups(
      manager,
      companies.map((company) => company.id),
    );
    return;
  }
  const ids: { id: string }[] = await manager.query(`SELECT id FROM import_rows WHERE ${creates('import_rows')}`);
  await refreshCapacityRollup(
    manager,
    await rollupGroupsOf(
      manager,
      ids.map((row) => row.id),
    ),
  );
}

async function insertCompanies(manager: EntityManager, companies: NewCompany[]): Promise<void> {
  for (let start = 0; start < companies.length; start += BATCH_ROWS) {
    const batch = companies.slice(start, start + BATCH_ROWS);
    await manager.query(
      `INSERT INTO companies (id, name, aliases, country, kind, version)
       SELECT u.id, u.name, '{}', u.country, u.kind, 1 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::company_kind[]) AS u(id, name, country, kind)`,
      [batch.map((c) => c.id), batch.map((c) => c.name), batch.map((c) => c.country), batch.map((c) => c.kind)],
    );
  }
}

/**
 * The new records with their sources and audit entries, CREATE_ROWS rows per statement, in the order of the file;
 * then the links to records created further on. Returns the number of records created.
 */
async function insertCreated(manager: EntityManager, audit: AuditService, actorId: string | null): Promise<number> {
  // The last line of each batch.
  const bounds: { line: number }[] = await manager.query(
    `SELECT line FROM (SELECT line, row_number() OVER (ORDER BY line) AS n, count(*) OVER () AS total FROM import_rows WHERE ${creates('import_rows')}) AS c
     WHERE n % ${CREATE_ROWS} = 0 OR n = total ORDER BY line`,
  );
  let after = 0;
  for (const { line } of bounds) {
    await audit.recordSelected(manager, CREATION_ENTRIES, [after, line, actorId], CREATED_ROWS);
    after = line;
  }
  await manager.query(
    `UPDATE commitments c SET supersedes_id = r.supersedes_id
     FROM import_rows r JOIN import_rows t ON t.id = r.supersedes_id AND ${creates('t')} AND t.line > r.line
     WHERE ${creates('r')} AND c.id = r.id`,
  );
  const [{ created }]: { created: number }[] = await manager.query(
    `SELECT count(*)::integer AS created FROM import_rows WHERE ${creates('import_rows')}`,
  );
  return created;
}

/**
 * Changes the records of the changed rows that match `condition`, in the order of the file, UPDATE_ROWS at a time
 * through CommitmentsService.updateManyWith. The row's source replaces a record's first source; the others stay.
 */
async function updateRecords(manager: EntityManager, commitments: CommitmentsService, condition: string, actorId: string | null) {
  for (let after = 0; ;) {
    const page: ChangedRow[] = await manager.query(
      `${CHANGED_ROWS} WHERE ${updates('import_rows')} AND ${condition} AND line > $1 ORDER BY line LIMIT ${UPDATE_ROWS}`,
      [after],
    );
    if (page.length === 0) return;
    const others: (SourceDto & { commitmentId: string })[] = await manager.query(
      `SELECT commitment_id AS "commitmentId", url, title, publisher, published_on AS "publishedOn", language, quote
       FROM commitment_sources WHERE commitment_id = ANY($1::uuid[]) AND position > 0 ORDER BY commitment_id, position`,
      [page.map((row) => row.id)],
    );
    const othersOf = new Map<string, SourceDto[]>();
    for (const { commitmentId, ...source } of others) othersOf.set(commitmentId, [...(othersOf.get(commitmentId) ?? []), source]);
    const changes = page.map((row): CommitmentChange => {
      const { line: _line, id, version, url, title, publisher, publishedOn, language, quote, ...values } = row;
      const kept = othersOf.get(id) ?? [];
      return {
        id,
        dto: { ...values, sources: [{ url, title, publisher, publishedOn, language, quote }, ...kept] },
        expectedVersion: version,
      };
    });
    await commitments.updateManyWith(manager, changes, actorId, 'import');
    after = page[page.length - 1].line;
  }
}
