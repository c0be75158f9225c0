import type { EntityManager } from 'typeorm';
import type { AuditTrail } from '../contracts/audit.js';
import type { CommitmentWriter } from '../commitments/commitment-writer.js';
import type { NewCompany } from './import-plan.js';
import { planned, STAGED_IMPORT } from './import-staging.js';

/** Rows per statement for the new companies. */
const BATCH_ROWS = 5_000;

/**
 * Writes a checked import from its staged rows, inside the caller's transaction: the new companies the rows to write
 * use, in INSERT … SELECT statements, then the records through CommitmentWriter, the one writer of commitments.
 */
export async function writeImport(
  manager: EntityManager,
  services: { writer: CommitmentWriter; audit: AuditTrail },
  plan: { companies: NewCompany[]; actorId: string | null },
): Promise<void> {
  const { writer, audit } = services;
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
  await writer.writeStaged(manager, STAGED_IMPORT, plan.actorId);
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
