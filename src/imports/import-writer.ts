import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { refreshCapacityRollup, refreshCompanyRollups, rollupGroupsOf } from '../capacity/capacity-rollup.js';
import type { CommitmentsService } from '../commitments/commitments.service.js';
import type { SourceDto, UpdateCommitmentDto } from '../commitments/dto/commitment.dto.js';
import type { ExistingCommitment, NewCompany, PlannedRow } from './import-plan.js';

/** Rows per multi-row statement: few round trips, while each statement stays a few megabytes at most. */
const BATCH_ROWS = 5_000;

/**
 * The trail of created rows, built by the database from the rows just written ($1 their ids, $2 their lines, $3 the
 * actor) rather than sent to it as a JSON document per row: each row's `import` entry (the record as the file set
 * it, with its source and its line) and, when it revises a record, that record's `supersede`, in the file's order.
 */
const CREATION_ENTRIES = `
  SELECT $3::uuid, e.action, 'commitment', e.entity_id, e.before, e.after
  FROM unnest($1::uuid[], $2::integer[]) WITH ORDINALITY AS u(id, line, position)
  JOIN commitments c ON c.id = u.id
  CROSS JOIN LATERAL (
    SELECT s.url, s.title, s.publisher, s.published_on AS "publishedOn", s.language, s.quote
    FROM commitment_sources s WHERE s.commitment_id = c.id AND s.position = 0
  ) AS source
  CROSS JOIN LATERAL (
    SELECT c.id, c.external_key AS key, c.company_id AS "companyId", c.accelerator_id AS "acceleratorId",
      c.accelerator_kind AS "acceleratorKind", c.quantity, c.quantity_qualifier AS "quantityQualifier",
      c.stated_h100e AS "statedH100e", c.stated_power_mw AS "statedPowerMw", c.announced_on AS "announcedOn",
      c.delivery_from AS "deliveryFrom", c.delivery_by AS "deliveryBy", c.status, c.certainty,
      c.supersedes_id AS "supersedesId", c.notes, jsonb_build_array(to_jsonb(source)) AS sources, u.line
  ) AS record
  CROSS JOIN LATERAL (VALUES
    (1, 'import', c.id, NULL::jsonb, to_jsonb(record)),
    (2, 'supersede', c.supersedes_id, '{"supersededById": null}'::jsonb, jsonb_build_object('supersededById', c.id))
  ) AS e(step, action, entity_id, before, after)
  WHERE e.entity_id IS NOT NULL
  ORDER BY u.position, e.step`;

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
  await insertCommitments(manager, supersededFirst(creates), plan.actorId);
  await refreshRollup(manager, creates);
  // One statement: the new rows lack statistics until the transaction ends, and a join per batch would read them all each time.
  if (creates.length > 0) {
    await audit.recordSelected(manager, CREATION_ENTRIES, [creates.map((row) => row.id), creates.map((row) => row.line), plan.actorId]);
  }
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

async function insertCommitments(manager: EntityManager, rows: PlannedRow[], actorId: string | null): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    const column = <T>(pick: (row: PlannedRow) => T) => batch.map(pick);
    await manager.query(
      `INSERT INTO commitments (id, external_key, company_id, accelerator_id, accelerator_kind, quantity, quantity_qualifier,
         stated_h100e, stated_power_mw, announced_on, delivery_from, delivery_by, window_first_quarter, window_last_quarter,
         status, certainty, supersedes_id, notes, version, created_by, updated_by)
       SELECT u.*, 1, $19::uuid, $19::uuid FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::accelerator_kind[], $6::integer[],
         $7::quantity_qualifier[], $8::double precision[], $9::double precision[], $10::date[], $11::text[], $12::text[], $13::integer[],
         $14::integer[], $15::commitment_status[], $16::certainty[], $17::uuid[], $18::text[]) AS u`,
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
        column((row) => row.values.notes),
        actorId,
      ],
    );
    await manager.query(
      `INSERT INTO commitment_sources (commitment_id, position, url, title, publisher, published_on, language, quote)
       SELECT u.id, 0, u.url, u.title, u.publisher, u.published_on, u.language, u.quote
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[])
         AS u(id, url, title, publisher, published_on, language, quote)`,
      [
        column((row) => row.id),
        column((row) => row.values.source.url),
        column((row) => row.values.source.title),
        column((row) => row.values.source.publisher),
        column((row) => row.values.source.publishedOn),
        column((row) => row.values.source.language),
        column((row) => row.values.source.quote),
      ],
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

/** The rows in an order where a row comes after the row it supersedes (when both are new). */
function supersededFirst(rows: PlannedRow[]): PlannedRow[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const placed = new Set<string>();
  const ordered: PlannedRow[] = [];
  for (const row of rows) {
    const chain: PlannedRow[] = [];
    for (let current: PlannedRow | undefined = row; current && !placed.has(current.id);) {
      placed.add(current.id);
      chain.push(current);
      current = current.values.supersedesId ? byId.get(current.values.supersedesId) : undefined;
    }
    ordered.push(...chain.reverse());
  }
  return ordered;
}
