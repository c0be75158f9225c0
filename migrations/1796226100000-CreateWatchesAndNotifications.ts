import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Watches and notifications: `watches` (a user's saved dashboard filter and the total it showed when last
 * evaluated), `watch_changes` (commitment changes written in each write's transaction while any watch exists, waiting
 * for the evaluation that follows the write), `watch_evaluator` (the one row whose lease makes evaluations run one at a
 * time across instances) and `notifications`. See src/watches/watches.service.ts.
 */
export class CreateWatchesAndNotifications1796226100000 implements MigrationInterface {
  name = 'CreateWatchesAndNotifications1796226100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE watches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        filter jsonb NOT NULL DEFAULT '{}',
        last_total double precision NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX watches_by_user ON watches (user_id, created_at);
      CREATE TABLE watch_changes (
        id bigserial PRIMARY KEY,
        commitment_id uuid NOT NULL,
        change text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE watch_evaluator (
        id integer PRIMARY KEY CHECK (id = 1),
        evaluating_until timestamptz
      );
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        watch_id uuid NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        commitment_id uuid NOT NULL,
        change text NOT NULL,
        changes integer NOT NULL DEFAULT 1,
        before double precision NOT NULL,
        after double precision NOT NULL,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notifications_by_user ON notifications (user_id, at DESC);
      CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notifications; DROP TABLE watch_evaluator; DROP TABLE watch_changes; DROP TABLE watches;');
  }
}
