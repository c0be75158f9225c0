import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsersAndAudit1764184000000 implements MigrationInterface {
  name = 'CreateUsersAndAudit1764184000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TYPE user_role AS ENUM ('viewer', 'analyst', 'admin');

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = btrim(email) AND email LIKE '_%@_%'),
        -- scrypt$N$r$p$salt$key (base64): the parameters travel with the hash
        password_hash text NOT NULL,
        role user_role NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        -- raised on every password change, reset or disabling: tokens carrying an older value stop working
        token_version integer NOT NULL DEFAULT 1,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz
      );
      CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

      ALTER TABLE commitments
        ADD CONSTRAINT commitments_created_by_fk FOREIGN KEY (created_by) REFERENCES users (id),
        ADD CONSTRAINT commitments_updated_by_fk FOREIGN KEY (updated_by) REFERENCES users (id);

      CREATE TABLE audit_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        -- null: the application itself (catalog and demo data on first start)
        actor_id uuid REFERENCES users (id),
        action text NOT NULL CHECK (length(action) > 0),
        entity_type text NOT NULL CHECK (length(entity_type) > 0),
        entity_id uuid NOT NULL,
        before jsonb,
        after jsonb
      );
      CREATE INDEX audit_entries_entity ON audit_entries (entity_type, entity_id, id);
      CREATE INDEX audit_entries_actor ON audit_entries (actor_id, id);
      CREATE INDEX audit_entries_at ON audit_entries (at, id);

      -- The trail is append-only: no statement may change or remove an entry.
      CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit entries cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE audit_entries;
      DROP FUNCTION audit_entries_append_only();
      ALTER TABLE commitments DROP CONSTRAINT commitments_updated_by_fk, DROP CONSTRAINT commitments_created_by_fk;
      DROP TABLE users;
      DROP TYPE user_role;
    `);
  }
}
