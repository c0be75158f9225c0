import type { EntityManager } from 'typeorm';

/**
 * The capacity rollup (table `capacity_rollup`): the commitments that can count — live and not superseded —
 * folded into one row per group of records that the capacity arithmetic cannot tell apart (same company, chip,
 * kind, status, announcement quarter, effective window, and the same amounts present), with the amounts summed
 * and the records counted. Supersession only links records of one company, so recomputing a company's rows from
 * the base table keeps it exact whatever a write did.
 *
 * Every write that can change a capacity answer calls one of these inside its own transaction, so the rollup and
 * the ledger version commit or roll back with it. The version row is locked first: writers that touch the rollup
 * take their turn there, and each recompute sees what the previous one committed.
 */

const SELECT_ROLLUP_ROWS = `
  SELECT c.company_id, c.accelerator_id, c.accelerator_kind, c.status,
    extract(year FROM c.announced_on)::integer * 4 + extract(quarter FROM c.announced_on)::integer - 1,
    c.window_first_quarter, c.window_last_quarter, count(*), sum(c.quantity), sum(c.stated_h100e), sum(c.stated_power_mw),
    max(c.announced_on)
  FROM commitments c
  WHERE c.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = c.id AND newer.deleted_at IS NULL)
    %COMPANIES%
  GROUP BY c.company_id, c.accelerator_id, c.accelerator_kind, c.status, 5, c.window_first_quarter, c.window_last_quarter,
    c.quantity IS NULL, c.stated_h100e IS NULL, c.stated_power_mw IS NULL`;

const INSERT_ROLLUP = `
  INSERT INTO capacity_rollup (company_id, accelerator_id, accelerator_kind, status, announced_quarter, window_first_quarter,
    window_last_quarter, records, quantity, stated_h100e, stated_power_mw, latest_announced_on)`;

/**
 * The companies whose rollup rows a write to these commitments can change: their own, and those of the records
 * they revise. For an update or a delete, call it before the write too (the record may move to another company).
 */
export async function rollupCompaniesOf(manager: EntityManager, commitmentIds: readonly string[]): Promise<string[]> {
  if (commitmentIds.length === 0) return [];
  const rows: { company_id: string }[] = await manager.query(
    `SELECT DISTINCT company_id FROM commitments
     WHERE id = ANY($1::uuid[]) OR id IN (SELECT supersedes_id FROM commitments WHERE id = ANY($1::uuid[]))`,
    [commitmentIds],
  );
  return rows.map((row) => row.company_id);
}

/**
 * Recomputes the rollup rows of these companies from the base table and bumps the ledger version. One statement
 * pair whatever the number of records, so a bulk import calls it once after its batch.
 */
export async function refreshCapacityRollup(manager: EntityManager, companyIds: Iterable<string>): Promise<void> {
  const companies = [...new Set(companyIds)];
  await bumpLedgerVersion(manager);
  if (companies.length === 0) return;
  await manager.query('DELETE FROM capacity_rollup WHERE company_id = ANY($1::uuid[])', [companies]);
  await manager.query(`${INSERT_ROLLUP} ${SELECT_ROLLUP_ROWS.replace('%COMPANIES%', 'AND c.company_id = ANY($1::uuid[])')}`, [companies]);
}

/** Recomputes the whole rollup from the base table (`npm run rollup:rebuild`); returns the number of rows. */
export async function rebuildCapacityRollup(manager: EntityManager): Promise<number> {
  await bumpLedgerVersion(manager);
  await manager.query('DELETE FROM capacity_rollup');
  await manager.query(`${INSERT_ROLLUP} ${SELECT_ROLLUP_ROWS.replace('%COMPANIES%', '')}`);
  const [{ rows }]: { rows: number }[] = await manager.query('SELECT count(*)::integer AS rows FROM capacity_rollup');
  return rows;
}

/**
 * Marks every cached capacity answer stale once the transaction commits: for writes that change an answer
 * without touching the rollup (chip specs, company names).
 */
export async function bumpLedgerVersion(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO ledger_version (id, version) VALUES (true, nextval('ledger_version_seq'))
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version`,
  );
}

/** The current ledger version (0 while none was ever recorded). */
export async function readLedgerVersion(manager: EntityManager): Promise<number> {
  const rows: { version: number }[] = await manager.query('SELECT version FROM ledger_version');
  return rows[0]?.version ?? 0;
}
