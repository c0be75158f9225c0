import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSessionsAndApiTokens1796193549222 implements MigrationInterface {
  name = 'AddSessionsAndApiTokens1796193549222';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- Bumped in the transaction of every change that can end or narrow access, by the triggers below, so that every
      -- instance's cache of who holds which credential knows when it is stale. A sequence: it never repeats.
      CREATE SEQUENCE auth_version_seq;
      CREATE TABLE auth_version (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        version bigint NOT NULL
      );
      INSERT INTO auth_version (id, version) VALUES (true, nextval('auth_version_seq'));
      CREATE FUNCTION bump_auth_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO auth_version (id, version) VALUES (true, nextval('auth_version_seq'))
          ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
        RETURN NULL;
      END;
      $$;

      -- A sign-in: its access tokens name it (sid), and the refresh cookie holds its id and a secret whose SHA-256 is
      -- kept here, rotated on every use; the previous one is accepted for a few seconds, for tabs refreshing at once.
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        refresh_hash bytea NOT NULL,
        previous_refresh_hash bytea,
        rotated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
      CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);
      -- Removing a session that had already expired changes nothing anyone can do.
      CREATE TRIGGER auth_sessions_ended AFTER DELETE ON auth_sessions
        FOR EACH ROW WHEN (OLD.expires_at > now()) EXECUTE FUNCTION bump_auth_version();

      -- Tokens for scripts and BI tools: only the SHA-256 of the token is kept; the role is at most the owner's.
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        role user_role NOT NULL,
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
      CREATE TRIGGER api_tokens_deleted AFTER DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION bump_auth_version();

      -- Failed sign-ins per account (the email as typed, in lower case, known or not) in the current window, shared by
      -- every instance whatever the client's address.
      CREATE TABLE login_failures (
        account text PRIMARY KEY,
        window_started_at timestamptz NOT NULL,
        failures integer NOT NULL CHECK (failures > 0)
      );
      CREATE INDEX login_failures_window ON login_failures (window_started_at);

      -- Generated passwords (first admin, demo accounts) must be changed at the first sign-in.
      ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;
      -- Sessions now end by being deleted, which the token version stood for.
      ALTER TABLE users DROP COLUMN token_version;

      -- A new password, or an account disabled, ends every session of the account.
      CREATE FUNCTION users_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM auth_sessions WHERE user_id = NEW.id;
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER users_credentials_changed AFTER UPDATE ON users FOR EACH ROW
        WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash OR (NEW.disabled AND NOT OLD.disabled))
        EXECUTE FUNCTION users_end_sessions();
      CREATE TRIGGER users_access_changed AFTER UPDATE ON users FOR EACH ROW
        WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.disabled IS DISTINCT FROM NEW.disabled
          OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
          OR OLD.password_change_required IS DISTINCT FROM NEW.password_change_required)
        EXECUTE FUNCTION bump_auth_version();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER users_access_changed ON users;
      DROP TRIGGER users_credentials_changed ON users;
      DROP FUNCTION users_end_sessions();
      ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 1;
      ALTER TABLE users DROP COLUMN password_change_required;
      DROP TABLE login_failures;
      DROP TABLE api_tokens;
      DROP TABLE auth_sessions;
      DROP FUNCTION bump_auth_version();
      DROP TABLE auth_version;
      DROP SEQUENCE auth_version_seq;
    `);
  }
}
