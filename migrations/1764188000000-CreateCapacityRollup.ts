import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCapacityRollup1764188000000 implements MigrationInterface {
  name = 'CreateCapacityRollup1764188000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- Counted-candidate commitments (live, not superseded) folded together where they are alike for the capacity
      -- arithmetic: same company, chip, kind, status, announcement quarter, effective window and the same amounts
      -- present. Amounts are sums; records counts the commitments of the row. Kept by the writes that change them.
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

      -- Bumped in the transaction of every write that can change a capacity answer, so cached answers know when
      -- they are stale. Its value comes from a sequence, so it never repeats, even after the table is emptied.
      CREATE SEQUENCE ledger_version_seq;
      CREATE TABLE ledger_version (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        version bigint NOT NULL
      );
      INSERT INTO ledger_version (id, version) VALUES (true, nextval('ledger_version_seq'));
    `);
    await queryRunner.query(REBUILD_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE ledger_version;
      DROP SEQUENCE ledger_version_seq;
      DROP TABLE capacity_rollup;
    `);
  }
}

// The rollup of the commitments already present (the same statement as src/database/capacity-rollup.ts, frozen here
// as migrations must not change with the code).
const REBUILD_SQL = `
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
    c.quantity IS NULL, c.stated_h100e IS NULL, c.stated_power_mw IS NULL`;
