import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The runs of the scheduled import of Epoch AI's GPU Clusters file (EPOCH_CLUSTERS_URL): when, from where, and the
 * import's report or the reason it failed. The import page shows the last one.
 */
export class CreateEpochClustersRuns1796200000000 implements MigrationInterface {
  name = 'CreateEpochClustersRuns1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE epoch_clusters_runs (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        url text NOT NULL,
        ok boolean NOT NULL,
        report jsonb,
        error text
      );
      CREATE INDEX epoch_clusters_runs_at ON epoch_clusters_runs (at DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE epoch_clusters_runs');
  }
}
