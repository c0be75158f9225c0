import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The range of each rollup row's amounts (see src/database/capacity-rollup.ts and docs/decisions/ranges.md): by
 * source, the sums of the low and high without the approximate margin, the amounts the margin widens, and the
 * commitments with no upper bound starting and ending in the quarter. The rollup is rebuilt, as its rows now hold
 * what they did not before.
 */
const PREFIXES = ['units', 'h100e_stated', 'h100e_from_quantity', 'power_stated', 'power_from_quantity'];

export class CapacityRollupRanges1796201100000 implements MigrationInterface {
  name = 'CapacityRollupRanges1796201100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const columns = PREFIXES.flatMap((prefix) => [
      `ADD COLUMN ${prefix}_low numeric`,
      `ADD COLUMN ${prefix}_low_margin numeric`,
      `ADD COLUMN ${prefix}_high numeric`,
      `ADD COLUMN ${prefix}_high_margin numeric`,
      `ADD COLUMN ${prefix}_open_starting integer NOT NULL DEFAULT 0`,
      `ADD COLUMN ${prefix}_open_ending integer NOT NULL DEFAULT 0`,
    ]);
    await queryRunner.query(`ALTER TABLE capacity_rollup ${columns.join(', ')}`);
    await queryRunner.query('DELETE FROM capacity_rollup');
    await queryRunner.query(REBUILD_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const columns = PREFIXES.flatMap((prefix) =>
      ['low', 'low_margin', 'high', 'high_margin', 'open_starting', 'open_ending'].map((suffix) => `DROP COLUMN ${prefix}_${suffix}`),
    );
    await queryRunner.query(`ALTER TABLE capacity_rollup ${columns.join(', ')}`);
  }
}

// The rollup statement of src/database/capacity-rollup.ts as it stands with this migration, frozen here (migrations
// must not change with the code).
const SOURCES: [prefix: string, commitments: string, amount: string][] = [
  ['units', 'quantity IS NOT NULL', 'quantity::numeric / quarters'],
  ['h100e_stated', 'stated_h100e IS NOT NULL', 'stated_h100e::numeric / quarters'],
  ['h100e_from_quantity', 'stated_h100e IS NULL AND quantity IS NOT NULL', 'quantity::numeric / quarters'],
  ['power_stated', 'stated_power_mw IS NOT NULL', 'stated_power_mw::numeric / quarters'],
  ['power_from_quantity', 'stated_power_mw IS NULL AND quantity IS NOT NULL', 'quantity::numeric / quarters'],
];
const amounts = SOURCES.map(
  ([prefix, commitments, amount]) => `
    sum(${amount}) FILTER (WHERE ${commitments}) AS ${prefix},
    count(*) FILTER (WHERE ${commitments} AND starts) AS ${prefix}_starting,
    count(*) FILTER (WHERE ${commitments} AND ends) AS ${prefix}_ending,
    max(announced_on) FILTER (WHERE ${commitments}) AS ${prefix}_latest`,
).join(',');
const ranges = SOURCES.map(
  ([prefix, commitments, amount]) => `
    sum((${amount}) * low_ratio) FILTER (WHERE ${commitments}) AS ${prefix}_low,
    sum((${amount}) * low_margin_ratio) FILTER (WHERE ${commitments}) AS ${prefix}_low_margin,
    sum((${amount}) * high_ratio) FILTER (WHERE ${commitments}) AS ${prefix}_high,
    sum((${amount}) * high_margin_ratio) FILTER (WHERE ${commitments}) AS ${prefix}_high_margin,
    count(*) FILTER (WHERE ${commitments} AND open_above AND starts) AS ${prefix}_open_starting,
    count(*) FILTER (WHERE ${commitments} AND open_above AND ends) AS ${prefix}_open_ending`,
).join(',');
const COLUMNS = [
  'basis, company_id, accelerator_id, accelerator_kind, status, quarter, commitments_starting, commitments_ending, commitments_latest',
  ...SOURCES.map(([prefix]) => `${prefix}, ${prefix}_starting, ${prefix}_ending, ${prefix}_latest`),
  ...SOURCES.map(([prefix]) =>
    ['low', 'low_margin', 'high', 'high_margin', 'open_starting', 'open_ending'].map((suffix) => `${prefix}_${suffix}`).join(', '),
  ),
].join(', ');
const PRIMARY = 'COALESCE(c.quantity::numeric, c.stated_h100e::numeric, c.stated_power_mw::numeric)';
const REBUILD_SQL = `
  INSERT INTO capacity_rollup (${COLUMNS})
  WITH live AS (
    SELECT c.company_id, c.accelerator_id, c.accelerator_kind, c.status, c.quantity, c.stated_h100e, c.stated_power_mw,
      c.announced_on, c.window_first_quarter, c.window_last_quarter,
      CASE WHEN c.certainty = 'speculative' OR (c.amount_low IS NULL AND c.quantity_qualifier = 'up_to') THEN 0
        WHEN c.amount_low IS NULL THEN 1 ELSE c.amount_low::numeric / ${PRIMARY} END AS low_ratio,
      CASE WHEN c.certainty <> 'speculative' AND c.amount_low IS NULL AND c.quantity_qualifier = 'approximate' THEN 1 ELSE 0 END
        AS low_margin_ratio,
      CASE WHEN c.amount_high IS NULL THEN 1 ELSE c.amount_high::numeric / ${PRIMARY} END AS high_ratio,
      CASE WHEN c.amount_high IS NULL AND c.quantity_qualifier = 'approximate' THEN 1 ELSE 0 END AS high_margin_ratio,
      c.quantity_qualifier IS NOT DISTINCT FROM 'at_least' AND c.amount_high IS NULL AS open_above
    FROM commitments c
    WHERE c.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = c.id AND newer.deleted_at IS NULL)
  )
  SELECT basis, company_id, accelerator_id, accelerator_kind, status, quarter,
    count(*) FILTER (WHERE starts) AS commitments_starting, count(*) FILTER (WHERE ends) AS commitments_ending,
    max(announced_on) AS commitments_latest,${amounts},${ranges}
  FROM (
    SELECT 'delivery' AS basis, quarter, quarter = c.window_first_quarter AS starts, quarter = c.window_last_quarter AS ends,
      c.window_last_quarter - c.window_first_quarter + 1 AS quarters, c.*
    FROM live c, generate_series(c.window_first_quarter, c.window_last_quarter) AS quarter
    UNION ALL
    SELECT 'announced', extract(year FROM c.announced_on)::integer * 4 + extract(quarter FROM c.announced_on)::integer - 1,
      true, true, 1, c.*
    FROM live c
  ) spread
  GROUP BY basis, company_id, accelerator_id, accelerator_kind, status, quarter`;
