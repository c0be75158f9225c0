import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { refreshCapacityRollup, refreshCompanyRollups, rollupGroupsOf } from '../capacity/capacity-rollup.js';
import type { CommitmentsService } from '../commitments/commitments.service.js';
import type { SourceDto, UpdateCommitmentDto } from '../commitments/dto/commitment.dto.js';
import type { ExistingCommitment, NewCompany, PlannedRow } from './import-plan.js';

/** Rows per multi-row statement: few round trips, while each statement stays a few megabytes at most. */
const BATCH_ROWS = 5_000;

/** A batch of created rows, one array per column ($1…$26, in the order of the file), as the rows `input`. */
const CREATED_ROWS = `input AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::accelerator_kind[], $6::integer[],
      $7::quantity_qualifier[], $8::double precision[], $9::double precision[], $10::date[], $11::text[], $12::text[],
      $13::integer[], $14::integer[], $15::commitment_status[], $16::certainty[], $17::uuid[], $18::boolean[], $19::text[],
      $20::text[], $21::text[], $22::text[], $23::date[], $24::text[], $25::text[], $26::integer[])
    WITH ORDINALITY AS u(id, key, company_id, accelerator_id, accelerator_kind, quantity, quantity_qualifier, stated_h100e,
      stated_power_mw, announced_on, delivery_from, delivery_by, window_first_quarter, window_last_quarter, status, certainty,
      supersedes_id, link_later, notes, url, title, publisher, published_on, language, quote, line, position)
  ),
  written AS (
    INSERT INTO commitments (id, external_key, company_id, accelerator_id, accelerator_kind, quantity, quantity_qualifier,
      stated_h100e, stated_power_mw, announced_on, delivery_from, delivery_by, window_first_quarter, window_last_quarter,
      status, certainty, supersedes_id, notes, version, created_by, updated_by)
    SELECT id, key, company_id, accelerator_id, accelerator_kind, quantity, quantity_qualifier, stated_h100e, stated_power_mw,
      announced_on, delivery_from, delivery_by, window_first_quarter, window_last_quarter, status, certainty,
      CASE WHEN link_later THEN NULL ELSE supersedes_id END, notes, 1, $27::uuid, $27::uuid
    FROM input
  ),
  sources_written AS (
    INSERT INTO commitment_sources (commitment_id, position, url, title, publisher, published_on, language, quote)
    SELECT id, 0, url, title, publisher, published_on, language, quote FROM input
  )`;

/**
 * The trail of those rows ($27 the actor), built by the database from the values it writes rather than sent to it as
 * a JSON document per row: each row's `import` entry (the record as the file set it, with its source and its line)
 * and, when it revises a record, that record's `supersede`, in the order of the file.
 */
const CREATION_ENTRIES = `
  SELECT $27::uuid, e.action, 'commitment', e.entity_id, e.before, e.after
  FROM input i
  CROSS JOIN LATERAL (SELECT i.url, i.title, i.publisher, i.published_on AS "publishedOn", i.language, i.quote) AS source
  CROSS JOIN LATERAL (
    SELECT i.id, i.key, i.company_id AS "companyId", i.accelerator_id AS "acceleratorId", i.accelerator_kind AS "acceleratorKind",
      i.quantity, i.quantity_qualifier AS "quantityQualifier", i.stated_h100e AS "statedH100e", i.stated_power_mw AS "statedPowerMw",
      i.announced_on AS "announcedOn", i.delivery_from AS "deliveryFrom", i.delivery_by AS "deliveryBy", i.status, i.certainty,
      i.supersedes_id AS "supersedesId", i.notes, jsonb_build_array(to_jsonb(source)) AS sources, i.line
  ) AS record
  CROSS JOIN LATERAL (VALUES
    (1, 'import', i.id, NULL::jsonb, to_jsonb(record)),
    (2, 'supersede', i.supersedes_id, '{"supersededById": null}'::jsonb, jsonb_build_object('supersededById', i.id))
  ) AS e(step, action, entity_id, before, after)
  WHERE e.entity_id IS NOT NULL
  ORDER BY i.position, e.step`;

/**
 * Writes a checked import inside the caller's transaction: new companies and commitments in multi-row INSERTs
 * (parameterised, one array per column), changed records one by one through CommitmentsService.updateWith, the one
 * place every update of a commitment goes through.
 */
export async function writeImport(
  manager: EntityManager,
  services: { commitments: CommitmentsService; audit: AuditService },
  plan: { rows: PlannedRow[]; companies: NewCompany[]; actorId: string | null },
): Promise<void> {
  const { commitments, audit } = services;
  await insertCompanies(manager, plan.companies);
  await audit.recordMany(
    manager,
    plan.companies.map((company) => ({
      actorId: plan.actorId,
      action: 'import',
      entityType: 'company',
      entityId: company.id,
      before: null,
      after: company,
    })),
  );
  const updates = plan.rows.filter((row) => row.outcome === 'update');
  const creates = plan.rows.filter((row) => row.outcome === 'create');

  // A record is superseded once at most, at every step: records that let go of the one they superseded change
  // first, and a record that moves to another target lets go of its old one before another record takes it.
  const releasing = updates.filter((row) => row.values.supersedesId === null);
  const moving = updates.filter((row) => row.values.supersedesId !== null);
  for (const row of releasing) await updateRecord(manager, commitments, row, plan.actorId);
  const taken = new Set(plan.rows.map((row) => row.values.supersedesId));
  const handedOver = moving.filter((row) => {
    const old = (row.existing as ExistingCommitment).supersedesId;
    return old !== null && old !== row.values.supersedesId && taken.has(old);
  });
  if (handedOver.length > 0) {
    await manager.query('UPDATE commitments SET supersedes_id = NULL WHERE id = ANY($1::uuid[])', [handedOver.map((row) => row.id)]);
  }
  await insertCreated(manager, audit, creates, plan.actorId);
  await refreshRollup(manager, creates);
  for (const row of moving) await updateRecord(manager, commitments, row, plan.actorId);
}

/**
 * The new records, and the ones they supersede (of the same company), leave or enter the capacity rollup in the same
 * transaction. A large import recomputes its companies' rows whole, at the cost of their records; a small one only
 * the rows its records fall in, as every other write does.
 */
async function refreshRollup(manager: EntityManager, creates: PlannedRow[]): Promise<void> {
  if (creates.length >= BATCH_ROWS) {
    await refreshCompanyRollups(manager, [...new Set(creates.map((row) => row.values.companyId))]);
    return;
  }
  const ids = creates.map((row) => row.id);
  await refreshCapacityRollup(manager, await rollupGroupsOf(manager, ids));
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
 * The new records with their sources and audit entries, a batch of rows per statement, in the order of the file. A row
 * may revise a new record further on in the file: its link is set once that record's batch is in, as the foreign key
 * asks (a link within the batch is checked only when the statement ends).
 */
async function insertCreated(manager: EntityManager, audit: AuditService, rows: PlannedRow[], actorId: string | null): Promise<void> {
  const positions = new Map(rows.map((row, index) => [row.id, index]));
  const laterLinks: PlannedRow[] = [];
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    const end = start + batch.length;
    const linkLater = (row: PlannedRow) => (positions.get(row.values.supersedesId as string) ?? -1) >= end;
    laterLinks.push(...batch.filter(linkLater));
    const column = <T>(pick: (row: PlannedRow) => T) => batch.map(pick);
    await audit.recordSelected(
      manager,
      CREATION_ENTRIES,
      [
        column((row) => row.id),
        column((row) => row.key),
        column((row) => row.values.companyId),
        column((row) => row.values.acceleratorId),
        column((row) => row.values.acceleratorKind),
        column((row) => row.values.quantity),
        column((row) => row.values.quantityQualifier),
        column((row) => row.values.statedH100e),
        column((row) => row.values.statedPowerMw),
        column((row) => row.values.announcedOn),
        column((row) => row.values.deliveryFrom),
        column((row) => row.values.deliveryBy),
        column((row) => row.window.first),
        column((row) => row.window.last),
        column((row) => row.values.status),
        column((row) => row.values.certainty),
        column((row) => row.values.supersedesId),
        column(linkLater),
        column((row) => row.values.notes),
        column((row) => row.values.source.url),
        column((row) => row.values.source.title),
        column((row) => row.values.source.publisher),
        column((row) => row.values.source.publishedOn),
        column((row) => row.values.source.language),
        column((row) => row.values.source.quote),
        column((row) => row.line),
        actorId,
      ],
      CREATED_ROWS,
    );
  }
  if (laterLinks.length > 0) {
    await manager.query(
      'UPDATE commitments c SET supersedes_id = u.target FROM unnest($1::uuid[], $2::uuid[]) AS u(id, target) WHERE c.id = u.id',
      [laterLinks.map((row) => row.id), laterLinks.map((row) => row.values.supersedesId)],
    );
  }
}

/** Changes one existing record to the row's values; the row's source replaces the first source, the others stay. */
async function updateRecord(manager: EntityManager, commitments: CommitmentsService, row: PlannedRow, actorId: string | null) {
  const { source, ...values } = row.values;
  const others: SourceDto[] = await manager.query(
    `SELECT url, title, publisher, published_on AS "publishedOn", language, quote
     FROM commitment_sources WHERE commitment_id = $1 AND position > 0 ORDER BY position`,
    [row.id],
  );
  const dto: UpdateCommitmentDto = { ...values, sources: [source, ...others] };
  await commitments.updateWith(manager, row.id, dto, (row.existing as ExistingCommitment).version, actorId, 'import');
}
