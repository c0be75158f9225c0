import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The capacity rollup by quarter: one row per basis, company, chip, kind, status and quarter with the amounts that
 * fall in that quarter, in place of one row per group of alike commitments (which, on a large ledger, was nearly one
 * row per commitment). See src/database/capacity-rollup.ts.
 */
export class QuarterlyCapacityRollup1764192000000 implements MigrationInterface {
  name = 'QuarterlyCapacityRollup1764192000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const amountColumns = (prefix: string) => `
        ${prefix} numeric,
        ${prefix}_starting integer NOT NULL,
        ${prefix}_ending integer NOT NULL,
        ${prefix}_latest date,`;
    await queryRunner.query(`
      DROP TABLE capacity_rollup;
      -- Amounts are the commitments' amounts divided evenly among the quarters they fall in, summed; *_starting and
      -- *_ending count the commitments whose window starts and ends in the quarter; *_latest is their latest
      -- announcement. By source: units (quantity), a stated H100e or power figure, or the quantity of the
      -- commitments without one. The columns are in the order the rollup's statement selects them.
      CREATE TABLE capacity_rollup (
        basis text NOT NULL CHECK (basis IN ('delivery', 'announced')),
        company_id uuid NOT NULL REFERENCES companies (id),
        accelerator_id uuid REFERENCES accelerators (id),
        accelerator_kind accelerator_kind NOT NULL,
        status commitment_status NOT NULL,
        quarter integer NOT NULL,
        commitments_starting integer NOT NULL,
        commitments_ending integer NOT NULL,
        commitments_latest date NOT NULL,${amountColumns('units')}${amountColumns('h100e_stated')}${amountColumns('h100e_from_quantity')}${amountColumns(
          'power_stated',
        )}${amountColumns('power_from_quantity').replace(/,$/, '')}
      );
      CREATE INDEX capacity_rollup_company ON capacity_rollup (company_id);
    `);
    await queryRunner.query(REBUILD_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE capacity_rollup;
      CREATE TABLE capacity_rollup (
        company_id uuid NOT NULL REFERENCES companies (id),
        accelerator_id uuid REFERENCES accelerators (id),
        accelerator_kind accelerator_kind NOT NULL,
        status commitment_status NOT NULL,
        announced_quarter integer NOT NULL,
        window_first_quarter integer NOT NULL,
        window_last_quarter integer NOT NULL,
        records integer NOT NULL CHECK (records > 0),
        quantity bigint,
        stated_h100e double precision,
        stated_power_mw double precision,
        latest_announced_on date NOT NULL
      );
      CREATE INDEX capacity_rollup_company ON capacity_rollup (company_id);
      INSERT INTO capacity_rollup (company_id, accelerator_id, accelerator_kind, status, announced_quarter, window_first_quarter,
        window_last_quarter, records, quantity, stated_h100e, stated_power_mw, latest_announced_on)
      SELECT c.company_id, c.accelerator_id, c.accelerator_kind, c.status,
        extract(year FROM c.announced_on)::integer * 4 + extract(quarter FROM c.announced_on)::integer - 1,
        c.window_first_quarter, c.window_last_quarter, count(*), sum(c.quantity), sum(c.stated_h100e), sum(c.stated_power_mw),
        max(c.announced_on)
      FROM commitments c
      WHERE c.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = c.id AND newer.deleted_at IS NULL)
      GROUP BY c.company_id, c.accelerator_id, c.accelerator_kind, c.status, 5, c.window_first_quarter, c.window_last_quarter,
        c.quantity IS NULL, c.stated_h100e IS NULL, c.stated_power_mw IS NULL;
    `);
  }
}

// The rollup of the commitments already present (the statement of src/database/capacity-rollup.ts, frozen here as
// migrations must not change with the code).
const amountSelect = (commitments: string, amount: string) => `
    sum(${amount}) FILTER (WHERE ${commitments}), count(*) FILTER (WHERE ${commitments} AND starts),
    count(*) FILTER (WHERE ${commitments} AND ends), max(announced_on) FILTER (WHERE ${commitments})`;

const REBUILD_SQL = `
  INSERT INTO capacity_rollup
  WITH live AS (
    SELECT c.company_id, c.accelerator_id, c.accelerator_kind, c.status, c.quantity, c.stated_h100e, c.stated_power_mw,
      c.announced_on, c.window_first_quarter, c.window_last_quarter
    FROM commitments c
    WHERE c.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = c.id AND newer.deleted_at IS NULL)
  )
  SELECT basis, company_id, accelerator_id, accelerator_kind, status, quarter,
    count(*) FILTER (WHERE starts), count(*) FILTER (WHERE ends), max(announced_on),
    ${amountSelect('quantity IS NOT NULL', 'quantity::numeric / quarters')},
    ${amountSelect('stated_h100e IS NOT NULL', 'stated_h100e::numeric / quarters')},
    ${amountSelect('stated_h100e IS NULL AND quantity IS NOT NULL', 'quantity::numeric / quarters')},
    ${amountSelect('stated_power_mw IS NOT NULL', 'stated_power_mw::numeric / quarters')},
    ${amountSelect('stated_power_mw IS NULL AND quantity IS NOT NULL', 'quantity::numeric / quarters')}
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
