import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable background work shared by every instance: `jobs` holds one row per piece of work (a webhook delivery, a
 * feed poll …), claimed with FOR UPDATE SKIP LOCKED under a lease; `job_schedules` holds recurring work, whose next
 * run one instance claims per period. See src/jobs/jobs.service.ts.
 */
export class CreateJobs1796189017242 implements MigrationInterface {
  name = 'CreateJobs1796189017242';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TYPE job_state AS ENUM ('pending', 'done', 'failed');
      CREATE TABLE jobs (
        id bigserial PRIMARY KEY,
        queue text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        -- At most one pending job per queue and key (a feed is polled once at a time, whatever asks for it).
        singleton_key text,
        state job_state NOT NULL DEFAULT 'pending',
        run_at timestamptz NOT NULL DEFAULT now(),
        -- Retries stop after this moment; null: after the first failure.
        retry_until timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        locked_by text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'pending';
      CREATE UNIQUE INDEX jobs_singleton ON jobs (queue, singleton_key) WHERE state = 'pending' AND singleton_key IS NOT NULL;
      CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state <> 'pending';
      CREATE TABLE job_schedules (
        name text PRIMARY KEY,
        queue text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        every_seconds integer NOT NULL CHECK (every_seconds > 0),
        next_run_at timestamptz NOT NULL
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE job_schedules; DROP TABLE jobs; DROP TYPE job_state;');
  }
}
