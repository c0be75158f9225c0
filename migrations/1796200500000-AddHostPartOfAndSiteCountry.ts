import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counting owners and users, wholes and parts (docs/decisions/counting.md): a commitment's host company (who owns and
 * runs the chips its company uses), the record it is a part of, and the country its chips are deployed in.
 */
export class AddHostPartOfAndSiteCountry1796200500000 implements MigrationInterface {
  name = 'AddHostPartOfAndSiteCountry1796200500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE commitments
        ADD COLUMN host_company_id uuid REFERENCES companies (id),
        ADD COLUMN part_of_id uuid REFERENCES commitments (id),
        ADD COLUMN site_country text,
        ADD CONSTRAINT commitments_host_not_company CHECK (host_company_id IS NULL OR host_company_id <> company_id),
        ADD CONSTRAINT commitments_not_own_part CHECK (part_of_id IS NULL OR part_of_id <> id),
        ADD CONSTRAINT commitments_site_country_code CHECK (site_country IS NULL OR site_country ~ '^[A-Z]{2}$');
      CREATE INDEX commitments_part_of ON commitments (part_of_id) WHERE deleted_at IS NULL AND part_of_id IS NOT NULL;
      CREATE INDEX commitments_host_company ON commitments (host_company_id) WHERE deleted_at IS NULL AND host_company_id IS NOT NULL;
      CREATE INDEX commitments_site_country ON commitments (site_country) WHERE deleted_at IS NULL AND site_country IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX commitments_site_country;
      DROP INDEX commitments_host_company;
      DROP INDEX commitments_part_of;
      ALTER TABLE commitments
        DROP CONSTRAINT commitments_site_country_code,
        DROP CONSTRAINT commitments_not_own_part,
        DROP CONSTRAINT commitments_host_not_company,
        DROP COLUMN site_country,
        DROP COLUMN part_of_id,
        DROP COLUMN host_company_id`);
  }
}
