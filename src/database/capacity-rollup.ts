import type { EntityManager } from 'typeorm';

/**
 * The capacity rollup (table `capacity_rollup`): what the commitments that can count — live and not superseded —
 * hold in each quarter, on each basis, by company, chip, kind and status. A commitment falls in every quarter of its
 * window (`delivery`) or in the quarter it was announced (`announced`) with its amounts divided evenly among those
 * quarters, so a dashboard reads as many rows as there are companies, chips and quarters, however many commitments
 * there are. Beside the amounts, each row counts the commitments whose window starts and ends in its quarter and
 * keeps their latest announcement, by the source of each metric's amount: a stated figure, or the quantity (to be
 * converted with the chip's specs when read, so a spec change rewrites nothing). Amounts are numeric: their sums are
 * exact and do not depend on the order rows are added in.
 *
 * A write recomputes, from the base table, the rows of the company, chip, kind and status of its records before and
 * after it and of the records they revise: nothing else can change, so the rollup stays exact. Every write that can
 * change a capacity answer calls one of these inside its own transaction, so the rollup and the ledger version
 * commit or roll back with it. The version row is locked first: writers that touch the rollup take their turn
 * there, and each recompute sees what the previous one committed.
 */

/** A metric's amounts by where they come from: the `stated` columns, and those `fromQuantity` (the quantity shares). */
export const ROLLUP_METRIC_COLUMNS = {
  units: { stated: null, fromQuantity: 'units' },
  h100e: { stated: 'h100e_stated', fromQuantity: 'h100e_from_quantity' },
  power_mw: { stated: 'power_stated', fromQuantity: 'power_from_quantity' },
} as const;

/**
 * The rollup's groups of amount columns, in the table's order: the name, which commitments they are about, and the
 * amount of each of those that falls in a quarter (`quarters`: how many quarters it falls in).
 */
const AMOUNT_COLUMNS: [prefix: string, commitments: string, amount: string][] = [
  ['units', 'quantity IS NOT NULL', 'quantity::numeric / quarters'],
  ['h100e_stated', 'stated_h100e IS NOT NULL', 'stated_h100e::numeric / quarters'],
  ['h100e_from_quantity', 'stated_h100e IS NULL AND quantity IS NOT NULL', 'quantity::numeric / quarters'],
  ['power_stated', 'stated_power_mw IS NOT NULL', 'stated_power_mw::numeric / quarters'],
  ['power_from_quantity', 'stated_power_mw IS NULL AND quantity IS NOT NULL', 'quantity::numeric / quarters'],
];

// Each group, per band (see SELECT_ROLLUP_ROWS): the amount's sum, the commitments and their latest announcement.
const bandAmounts = AMOUNT_COLUMNS.map(
  ([prefix, commitments, amount]) => `
    sum(${amount}) FILTER (WHERE ${commitments}) AS ${prefix},
    count(*) FILTER (WHERE ${commitments}) AS ${prefix}_count,
    max(announced_on) FILTER (WHERE ${commitments}) AS ${prefix}_latest`,
).join(',');
// Each group, per quarter: the bands' sums, the commitments of the bands starting and ending in it, the latest.
const amountSelect = AMOUNT_COLUMNS.map(
  ([prefix]) => `
    sum(${prefix}) AS ${prefix},
    ${startingAndEnding(`${prefix}_count`, prefix)},
    max(${prefix}_latest) AS ${prefix}_latest`,
).join(',');

/** The sums of the bands' counts `column` over those starting and over those ending in the quarter, as `name`_…. */
function startingAndEnding(column: string, name: string): string {
  return `coalesce(sum(${column}) FILTER (WHERE quarter = first_quarter), 0) AS ${name}_starting,
    coalesce(sum(${column}) FILTER (WHERE quarter = last_quarter), 0) AS ${name}_ending`;
}

/**
 * The range of each group's amount (`src/domain/ranges.ts`, `rangeTerms`), as four sums in the amount's own unit:
 * the low and high without the approximate margin, and the amounts the margin widens below and above, so that
 * low = `_low` − m × `_low_margin` and high = `_high` + m × `_high_margin` with the margin m of the deployment, applied
 * when read. Each commitment's share is multiplied by the ratio of its bound to its primary amount (numeric products
 * are exact, and a ratio of 1 keeps the share as it is); `_open_starting` and `_open_ending` count the commitments with
 * no upper bound (`at_least` without an amountHigh).
 */
export const RANGE_SUFFIXES = ['low', 'low_margin', 'high', 'high_margin', 'open_starting', 'open_ending'] as const;
const bandRanges = AMOUNT_COLUMNS.map(
  ([prefix, commitments, amount]) => `
    sum((${amount}) * low_ratio) FILTER (WHERE ${commitments}) AS ${prefix}_low,
    sum((${amount}) * low_margin_ratio) FILTER (WHERE ${commitments}) AS ${prefix}_low_margin,
    sum((${amount}) * high_ratio) FILTER (WHERE ${commitments}) AS ${prefix}_high,
    sum((${amount}) * high_margin_ratio) FILTER (WHERE ${commitments}) AS ${prefix}_high_margin,
    count(*) FILTER (WHERE ${commitments} AND open_above) AS ${prefix}_open`,
).join(',');
const rangeSelect = AMOUNT_COLUMNS.map(
  ([prefix]) => `
    sum(${prefix}_low) AS ${prefix}_low, sum(${prefix}_low_margin) AS ${prefix}_low_margin,
    sum(${prefix}_high) AS ${prefix}_high, sum(${prefix}_high_margin) AS ${prefix}_high_margin,
    ${startingAndEnding(`${prefix}_open`, `${prefix}_open`)}`,
).join(',');

/** The rollup's columns, in the order its statement selects them. */
const ROLLUP_COLUMNS = [
  'basis',
  'company_id',
  'accelerator_id',
  'accelerator_kind',
  'status',
  'quarter',
  'commitments_starting',
  'commitments_ending',
  'commitments_latest',
  ...AMOUNT_COLUMNS.flatMap(([prefix]) => [prefix, `${prefix}_starting`, `${prefix}_ending`, `${prefix}_latest`]),
  ...AMOUNT_COLUMNS.flatMap(([prefix]) => RANGE_SUFFIXES.map((suffix) => `${prefix}_${suffix}`)),
];

/** A commitment's primary amount, the one its bounds are in. */
const PRIMARY = 'COALESCE(c.quantity::numeric, c.stated_h100e::numeric, c.stated_power_mw::numeric)';

/**
 * Each commitment's range as ratios to its primary amount, by the rules of `rangeTerms`: a bound given, else the
 * qualifier's default; speculative → low 0.
 */
const RANGE_RATIOS = `
      CASE WHEN c.certainty = 'speculative' OR (c.amount_low IS NULL AND c.quantity_qualifier = 'up_to') THEN 0
        WHEN c.amount_low IS NULL THEN 1 ELSE c.amount_low::numeric / ${PRIMARY} END AS low_ratio,
      CASE WHEN c.certainty <> 'speculative' AND c.amount_low IS NULL AND c.quantity_qualifier = 'approximate' THEN 1 ELSE 0 END
        AS low_margin_ratio,
      CASE WHEN c.amount_high IS NULL THEN 1 ELSE c.amount_high::numeric / ${PRIMARY} END AS high_ratio,
      CASE WHEN c.amount_high IS NULL AND c.quantity_qualifier = 'approximate' THEN 1 ELSE 0 END AS high_margin_ratio,
      c.quantity_qualifier IS NOT DISTINCT FROM 'at_least' AND c.amount_high IS NULL AS open_above`;

/**
 * The rollup rows of the commitments in `live`, in two steps. First the commitments are summed by band: those of one
 * group whose shares fall in the same quarters on a basis (the same window, or announced in the same quarter) have a
 * share in each of those quarters and none elsewhere. Then each band is spread over its quarters, and the bands are
 * summed by quarter. Each commitment's share is computed as it is in each of its quarters and numeric sums are exact,
 * so the rows are those of summing every commitment's share quarter by quarter, at the cost of one pass over the
 * commitments rather than one over all their quarters.
 */
const SELECT_ROLLUP_ROWS = `
  , bands AS (
    SELECT basis, company_id, accelerator_id, accelerator_kind, status, first_quarter, last_quarter,
      count(*) AS commitments, max(announced_on) AS latest,${bandAmounts},${bandRanges}
    FROM (
      SELECT 'delivery' AS basis, c.window_first_quarter AS first_quarter, c.window_last_quarter AS last_quarter,
        c.window_last_quarter - c.window_first_quarter + 1 AS quarters, c.*
      FROM live c
      UNION ALL
      SELECT 'announced', a.quarter, a.quarter, 1, c.*
      FROM live c
      CROSS JOIN LATERAL (SELECT extract(year FROM c.announced_on)::integer * 4 + extract(quarter FROM c.announced_on)::integer - 1) AS a(quarter)
    ) shares
    GROUP BY basis, company_id, accelerator_id, accelerator_kind, status, first_quarter, last_quarter
  )
  SELECT basis, company_id, accelerator_id, accelerator_kind, status, quarter,
    ${startingAndEnding('commitments', 'commitments')}, max(latest) AS commitments_latest,${amountSelect},${rangeSelect}
  FROM bands, generate_series(first_quarter, last_quarter) AS quarter
  GROUP BY basis, company_id, accelerator_id, accelerator_kind, status, quarter`;

/**
 * The records counted per request rather than in the rollup (docs/decisions/counting.md): those with a host, a site
 * country or a whole (`part_of_id`), and the wholes — every record on the supersession chain above a record a live
 * part names. Attribution and the whole-and-part rule change what they count, so the capacity service reads them from
 * the base table and counts them with `domain/attribution.ts`; every other record counts the same in every
 * attribution and grouping, under its company.
 */
export const WHOLES = `
  WITH RECURSIVE named(id) AS (
    SELECT DISTINCT part_of_id FROM commitments WHERE part_of_id IS NOT NULL AND deleted_at IS NULL
  ), chain(id) AS (
    SELECT id FROM named
    UNION SELECT newer.id FROM commitments newer JOIN chain ON newer.supersedes_id = chain.id AND newer.deleted_at IS NULL
  ) SELECT id FROM chain`;
/** The ids of the linked records (see isLinked), each kind found through its own partial index. */
export const LINKED_IDS = `
  SELECT id FROM commitments WHERE part_of_id IS NOT NULL AND deleted_at IS NULL
  UNION SELECT id FROM commitments WHERE host_company_id IS NOT NULL AND deleted_at IS NULL
  UNION SELECT id FROM commitments WHERE site_country IS NOT NULL AND deleted_at IS NULL
  UNION (${WHOLES})`;
export const isLinked = (c: string) =>
  `(${c}.part_of_id IS NOT NULL OR ${c}.host_company_id IS NOT NULL OR ${c}.site_country IS NOT NULL OR ${c}.id IN (${WHOLES}))`;

/** The rollup rows of the live, not superseded, not linked commitments that `condition` (on `c`) picks. */
const rollupRowsOf = (condition: string) => `
  INSERT INTO capacity_rollup (${ROLLUP_COLUMNS.join(', ')})
  WITH live AS (
    SELECT c.company_id, c.accelerator_id, c.accelerator_kind, c.status, c.quantity, c.stated_h100e, c.stated_power_mw,
      c.announced_on, c.window_first_quarter, c.window_last_quarter,${RANGE_RATIOS}
    FROM commitments c
    WHERE c.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = c.id AND newer.deleted_at IS NULL)
      AND NOT ${isLinked('c')}
      ${condition}
  )
  ${SELECT_ROLLUP_ROWS}`;

/** The commitments of one company, chip, kind and status: the rollup rows a write can change. */
export interface RollupGroup {
  company_id: string;
  accelerator_id: string | null;
  accelerator_kind: string;
  status: string;
}

const GROUP_COLUMNS = 'company_id uuid, accelerator_id uuid, accelerator_kind accelerator_kind, status commitment_status';

/** Whether the row or commitment `alias` is in the group `g`. */
const inGroup = (alias: string) => `${alias}.company_id = g.company_id AND ${alias}.accelerator_id IS NOT DISTINCT FROM g.accelerator_id
  AND ${alias}.accelerator_kind = g.accelerator_kind AND ${alias}.status = g.status`;

/**
 * The rollup groups that a write to these commitments can change: the ones they fall in, the ones of the
 * records they revise (those leave or rejoin the rollup), and those of the chain of the whole each one is a part of
 * (a whole leaves the rollup with its first part and rejoins it with its last gone). For an update or a delete, call
 * it before the write too, and pass both lists to `refreshCapacityRollup`.
 */
export async function rollupGroupsOf(manager: EntityManager, commitmentIds: readonly string[]): Promise<RollupGroup[]> {
  if (commitmentIds.length === 0) return [];
  return manager.query(
    `WITH RECURSIVE chain(id) AS (
       SELECT part_of_id FROM commitments WHERE id = ANY($1::uuid[]) AND part_of_id IS NOT NULL
       UNION SELECT newer.id FROM commitments newer JOIN chain ON newer.supersedes_id = chain.id
     )
     SELECT DISTINCT company_id, accelerator_id, accelerator_kind, status
     FROM commitments
     -- One list of ids, so the primary key finds them: an OR with a subquery would read the whole table.
     WHERE id = ANY($1::uuid[] || ARRAY(SELECT supersedes_id FROM commitments WHERE id = ANY($1::uuid[]) AND supersedes_id IS NOT NULL)
       || ARRAY(SELECT id FROM chain))`,
    [commitmentIds],
  );
}

/**
 * Recomputes the rollup rows of these groups from the base table and bumps the ledger version. Two statements
 * whatever the number of groups, so a bulk write calls it once with the groups of every row it wrote.
 */
export async function refreshCapacityRollup(manager: EntityManager, groups: readonly RollupGroup[]): Promise<void> {
  await bumpLedgerVersion(manager);
  if (groups.length === 0) return;
  const keys = JSON.stringify(groups);
  // The companies as a plain list too, so that both statements reach the rows through the company indexes.
  const companies = [...new Set(groups.map((group) => group.company_id))];
  await withoutJit(manager);
  await manager.query(
    `DELETE FROM capacity_rollup r USING jsonb_to_recordset($1::jsonb) AS g(${GROUP_COLUMNS})
     WHERE r.company_id = ANY($2::uuid[]) AND ${inGroup('r')}`,
    [keys, companies],
  );
  await manager.query(
    rollupRowsOf(`AND c.company_id = ANY($2::uuid[])
      AND EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS g(${GROUP_COLUMNS}) WHERE ${inGroup('c')})`),
    [keys, companies],
  );
}

/**
 * Recomputes every rollup row of these companies from the base table and bumps the ledger version, for a bulk write
 * (a large import) whose records, and the ones they revise, all belong to these companies: two statements whose
 * cost is that of the companies' records, with no list of groups to send however many rows the write has.
 */
export async function refreshCompanyRollups(manager: EntityManager, companyIds: readonly string[]): Promise<void> {
  await bumpLedgerVersion(manager);
  if (companyIds.length === 0) return;
  await withoutJit(manager);
  await manager.query('DELETE FROM capacity_rollup WHERE company_id = ANY($1::uuid[])', [companyIds]);
  await manager.query(rollupRowsOf('AND c.company_id = ANY($1::uuid[])'), [companyIds]);
}

/** Recomputes the whole rollup from the base table (`npm run rollup:rebuild`); returns the number of rows. */
export async function rebuildCapacityRollup(manager: EntityManager): Promise<number> {
  await bumpLedgerVersion(manager);
  await withoutJit(manager);
  await manager.query('DELETE FROM capacity_rollup');
  await manager.query(rollupRowsOf(''));
  const [{ rows }]: { rows: number }[] = await manager.query('SELECT count(*)::integer AS rows FROM capacity_rollup');
  return rows;
}

/**
 * Turns PostgreSQL's JIT compilation off for the rest of the transaction: the planner counts 1,000 quarters for each
 * band's spread (generate_series), so the recompute's estimate passes the JIT thresholds, and compiling it takes
 * longer than running it (0.4 s against tens of milliseconds for one company).
 */
async function withoutJit(manager: EntityManager): Promise<void> {
  await manager.query('SET LOCAL jit = off');
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
