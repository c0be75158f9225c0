import type { EntityManager } from 'typeorm';

/**
 * The capacity rollup (table `capacity_rollup`): the commitments that can count — live and not superseded —
 * folded into one row per group of records that the capacity arithmetic cannot tell apart (same company, chip,
 * kind, status, announcement quarter, effective window, and the same amounts present), with the amounts summed
 * and the records counted. A write recomputes, from the base table, the rows that its records fall in before and
 * after it and those of the records they revise: nothing else can change, so the rollup stays exact.
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
    %GROUPS%
  GROUP BY c.company_id, c.accelerator_id, c.accelerator_kind, c.status, 5, c.window_first_quarter, c.window_last_quarter,
    c.quantity IS NULL, c.stated_h100e IS NULL, c.stated_power_mw IS NULL`;

const INSERT_ROLLUP = `
  INSERT INTO capacity_rollup (company_id, accelerator_id, accelerator_kind, status, announced_quarter, window_first_quarter,
    window_last_quarter, records, quantity, stated_h100e, stated_power_mw, latest_announced_on)`;

/** One row of the rollup, named by the columns that set it apart. */
export interface RollupGroup {
  company_id: string;
  accelerator_id: string | null;
  accelerator_kind: string;
  status: string;
  announced_quarter: number;
  window_first_quarter: number;
  window_last_quarter: number;
  no_quantity: boolean;
  no_stated_h100e: boolean;
  no_stated_power_mw: boolean;
}

const GROUP_COLUMNS = `company_id uuid, accelerator_id uuid, accelerator_kind accelerator_kind, status commitment_status,
  announced_quarter integer, window_first_quarter integer, window_last_quarter integer, no_quantity boolean,
  no_stated_h100e boolean, no_stated_power_mw boolean`;

/** Whether a commitment `c` falls in the group `g`. */
const IN_GROUP = `c.company_id = g.company_id AND c.accelerator_id IS NOT DISTINCT FROM g.accelerator_id
  AND c.accelerator_kind = g.accelerator_kind AND c.status = g.status
  AND extract(year FROM c.announced_on)::integer * 4 + extract(quarter FROM c.announced_on)::integer - 1 = g.announced_quarter
  AND c.window_first_quarter = g.window_first_quarter AND c.window_last_quarter = g.window_last_quarter
  AND (c.quantity IS NULL) = g.no_quantity AND (c.stated_h100e IS NULL) = g.no_stated_h100e
  AND (c.stated_power_mw IS NULL) = g.no_stated_power_mw`;

/**
 * The rollup rows that a write to these commitments can change: the ones they fall in, and the ones of the
 * records they revise (those leave or rejoin the rollup). For an update or a delete, call it before the write
 * too, and pass both lists to `refreshCapacityRollup`.
 */
export async function rollupGroupsOf(manager: EntityManager, commitmentIds: readonly string[]): Promise<RollupGroup[]> {
  if (commitmentIds.length === 0) return [];
  return manager.query(
    `SELECT DISTINCT company_id, accelerator_id, accelerator_kind, status,
       extract(year FROM announced_on)::integer * 4 + extract(quarter FROM announced_on)::integer - 1 AS announced_quarter,
       window_first_quarter, window_last_quarter, quantity IS NULL AS no_quantity, stated_h100e IS NULL AS no_stated_h100e,
       stated_power_mw IS NULL AS no_stated_power_mw
     FROM commitments
     -- One list of ids, so the primary key finds them: an OR with a subquery would read the whole table.
     WHERE id = ANY($1::uuid[] || ARRAY(SELECT supersedes_id FROM commitments WHERE id = ANY($1::uuid[]) AND supersedes_id IS NOT NULL))`,
    [commitmentIds],
  );
}

/**
 * Recomputes these rollup rows from the base table and bumps the ledger version. Two statements whatever the
 * number of groups, so a bulk import calls it once after its batch with the groups of every row it wrote.
 */
export async function refreshCapacityRollup(manager: EntityManager, groups: readonly RollupGroup[]): Promise<void> {
  await bumpLedgerVersion(manager);
  if (groups.length === 0) return;
  const keys = JSON.stringify(groups);
  // The companies as a plain list too, so that both statements reach the rows through the company indexes.
  const companies = [...new Set(groups.map((group) => group.company_id))];
  await manager.query(
    `DELETE FROM capacity_rollup r USING jsonb_to_recordset($1::jsonb) AS g(${GROUP_COLUMNS})
     WHERE r.company_id = ANY($2::uuid[]) AND r.company_id = g.company_id AND r.accelerator_id IS NOT DISTINCT FROM g.accelerator_id
       AND r.accelerator_kind = g.accelerator_kind AND r.status = g.status AND r.announced_quarter = g.announced_quarter
       AND r.window_first_quarter = g.window_first_quarter AND r.window_last_quarter = g.window_last_quarter
       AND (r.quantity IS NULL) = g.no_quantity AND (r.stated_h100e IS NULL) = g.no_stated_h100e
       AND (r.stated_power_mw IS NULL) = g.no_stated_power_mw`,
    [keys, companies],
  );
  const inGroups = `AND c.company_id = ANY($2::uuid[])
    AND EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS g(${GROUP_COLUMNS}) WHERE ${IN_GROUP})`;
  await manager.query(`${INSERT_ROLLUP} ${SELECT_ROLLUP_ROWS.replace('%GROUPS%', inGroups)}`, [keys, companies]);
}

/**
 * Recomputes every rollup row of these companies from the base table and bumps the ledger version, for a bulk write
 * (a large import) whose records, and the ones they revise, all belong to these companies: two statements whose
 * cost is that of the companies' records, with no list of groups to send however many rows the write has.
 */
export async function refreshCompanyRollups(manager: EntityManager, companyIds: readonly string[]): Promise<void> {
  await bumpLedgerVersion(manager);
  if (companyIds.length === 0) return;
  await manager.query('DELETE FROM capacity_rollup WHERE company_id = ANY($1::uuid[])', [companyIds]);
  await manager.query(`${INSERT_ROLLUP} ${SELECT_ROLLUP_ROWS.replace('%GROUPS%', 'AND c.company_id = ANY($1::uuid[])')}`, [companyIds]);
}

/** Recomputes the whole rollup from the base table (`npm run rollup:rebuild`); returns the number of rows. */
export async function rebuildCapacityRollup(manager: EntityManager): Promise<number> {
  await bumpLedgerVersion(manager);
  await manager.query('DELETE FROM capacity_rollup');
  await manager.query(`${INSERT_ROLLUP} ${SELECT_ROLLUP_ROWS.replace('%GROUPS%', '')}`);
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
