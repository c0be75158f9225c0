import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: `webhooks` (an admin's targets, each secret encrypted with the app's key), `webhook_events` (the outbox:
 * one row per commitment change that some webhook follows, written in the change's transaction, holding the exact body
 * every delivery sends) and `webhook_deliveries` (one per webhook and event: its log; the job that sends it lives in
 * `jobs`). See src/webhooks/webhooks.service.ts.
 */
export class CreateWebhooks1796226000000 implements MigrationInterface {
  name = 'CreateWebhooks1796226000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        secret_ciphertext text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event text NOT NULL,
        commitment_id uuid NOT NULL,
        at timestamptz NOT NULL,
        body text NOT NULL
      );
      CREATE INDEX webhook_events_at ON webhook_events (at);
      CREATE TYPE webhook_delivery_state AS ENUM ('pending', 'delivered', 'failed');
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
        state webhook_delivery_state NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        last_status integer,
        last_error text,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        give_up_at timestamptz NOT NULL,
        CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id)
      );
      CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP TABLE webhook_deliveries; DROP TYPE webhook_delivery_state; DROP TABLE webhook_events; DROP TABLE webhooks;',
    );
  }
}
