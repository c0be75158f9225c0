import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Record versions, for answers "as of" a past moment: one row per state a commitment held, with the moment it
 * began (`valid_from`, the writing transaction's time) and the moment it ended (`valid_to`, null while current; a
 * deletion ends the last one). `record` is the commitment's row as JSON, `sources` its sources in order; reads
 * rebuild both tables from them (see src/database/as-of.ts). The writer keeps them in every write's transaction
 * (src/database/record-versions.ts). Existing records are backfilled with their present state, valid from their
 * creation (and, for deleted ones, until their deletion): edits made before this migration are not reconstructed.
 */
export class CreateCommitmentVersions1796230000000 implements MigrationInterface {
  name = 'CreateCommitmentVersions1796230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE commitment_versions (
        id bigserial PRIMARY KEY,
        commitment_id uuid NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        record jsonb NOT NULL,
        sources jsonb NOT NULL DEFAULT '[]',
        CONSTRAINT commitment_versions_period CHECK (valid_to IS NULL OR valid_to >= valid_from)
      );
      CREATE UNIQUE INDEX commitment_versions_current ON commitment_versions (commitment_id) WHERE valid_to IS NULL;
      CREATE INDEX commitment_versions_by_record ON commitment_versions (commitment_id, valid_from);
      CREATE INDEX commitment_versions_by_time ON commitment_versions (valid_from, valid_to);
      INSERT INTO commitment_versions (commitment_id, valid_from, valid_to, record, sources)
      SELECT c.id, c.created_at, CASE WHEN c.deleted_at IS NOT NULL THEN greatest(c.deleted_at, c.created_at) END, to_jsonb(c),
        COALESCE((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.position) FROM commitment_sources s WHERE s.commitment_id = c.id), '[]')
      FROM commitments c;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE commitment_versions');
  }
}
