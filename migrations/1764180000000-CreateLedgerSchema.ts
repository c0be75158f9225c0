import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLedgerSchema1764180000000 implements MigrationInterface {
  name = 'CreateLedgerSchema1764180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TYPE company_kind AS ENUM ('hyperscaler', 'ai_lab', 'neocloud', 'sovereign', 'enterprise', 'other');
      CREATE TYPE accelerator_kind AS ENUM ('gpu', 'custom');
      CREATE TYPE quantity_qualifier AS ENUM ('exact', 'approximate', 'at_least', 'up_to');
      CREATE TYPE commitment_status AS ENUM ('rumored', 'announced', 'confirmed', 'delivered', 'cancelled');
      CREATE TYPE certainty AS ENUM ('confirmed', 'likely', 'speculative');

      CREATE TABLE companies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        aliases text[] NOT NULL DEFAULT '{}',
        country char(2) CHECK (country ~ '^[A-Z]{2}$'),
        kind company_kind NOT NULL DEFAULT 'other',
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX companies_name_unique ON companies (lower(name));

      CREATE TABLE accelerators (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        vendor text NOT NULL CHECK (length(btrim(vendor)) > 0),
        kind accelerator_kind NOT NULL,
        aliases text[] NOT NULL DEFAULT '{}',
        dense_bf16_tflops double precision CHECK (dense_bf16_tflops > 0),
        dense_fp8_tflops double precision CHECK (dense_fp8_tflops > 0),
        memory_gb double precision CHECK (memory_gb > 0),
        tdp_watts double precision CHECK (tdp_watts > 0),
        release_year integer CHECK (release_year BETWEEN 1990 AND 2100),
        note text,
        spec_source text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX accelerators_name_unique ON accelerators (lower(name));
      CREATE INDEX accelerators_vendor ON accelerators (lower(vendor));

      CREATE TABLE commitments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        external_key text,
        company_id uuid NOT NULL REFERENCES companies (id),
        accelerator_id uuid REFERENCES accelerators (id),
        accelerator_kind accelerator_kind NOT NULL,
        quantity integer CHECK (quantity > 0),
        quantity_qualifier quantity_qualifier,
        stated_h100e double precision CHECK (stated_h100e > 0),
        stated_power_mw double precision CHECK (stated_power_mw > 0),
        announced_on date NOT NULL,
        delivery_from text CHECK (delivery_from ~ '^[0-9]{4}-Q[1-4]$'),
        delivery_by text CHECK (delivery_by ~ '^[0-9]{4}-Q[1-4]$'),
        -- the effective window with its defaults applied, as quarter indexes (year * 4 + quarter - 1)
        window_first_quarter integer NOT NULL,
        window_last_quarter integer NOT NULL,
        status commitment_status NOT NULL,
        certainty certainty NOT NULL,
        supersedes_id uuid REFERENCES commitments (id),
        notes text,
        version integer NOT NULL,
        created_by uuid,
        updated_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT commitments_window_ordered CHECK (delivery_from IS NULL OR delivery_by IS NULL OR delivery_from <= delivery_by),
        CONSTRAINT commitments_effective_window_ordered CHECK (window_first_quarter <= window_last_quarter),
        CONSTRAINT commitments_qualifier_needs_quantity CHECK (quantity_qualifier IS NULL OR quantity IS NOT NULL),
        CONSTRAINT commitments_not_self_superseding CHECK (supersedes_id IS NULL OR supersedes_id <> id)
      );
      CREATE UNIQUE INDEX commitments_external_key_unique ON commitments (external_key) WHERE deleted_at IS NULL;
      CREATE UNIQUE INDEX commitments_superseded_once ON commitments (supersedes_id) WHERE deleted_at IS NULL;
      CREATE INDEX commitments_company ON commitments (company_id) WHERE deleted_at IS NULL;
      CREATE INDEX commitments_accelerator ON commitments (accelerator_id) WHERE deleted_at IS NULL;
      CREATE INDEX commitments_status ON commitments (status) WHERE deleted_at IS NULL;
      CREATE INDEX commitments_announced_on ON commitments (announced_on DESC, id) WHERE deleted_at IS NULL;
      CREATE INDEX commitments_window ON commitments (window_first_quarter, window_last_quarter) WHERE deleted_at IS NULL;

      CREATE TABLE commitment_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        commitment_id uuid NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
        position integer NOT NULL,
        url text,
        title text,
        publisher text,
        published_on date,
        language text,
        quote text,
        CONSTRAINT commitment_sources_url_or_title CHECK (url IS NOT NULL OR title IS NOT NULL)
      );
      CREATE INDEX commitment_sources_commitment ON commitment_sources (commitment_id, position);

      CREATE TABLE app_state (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE app_state;
      DROP TABLE commitment_sources;
      DROP TABLE commitments;
      DROP TABLE accelerators;
      DROP TABLE companies;
      DROP TYPE certainty;
      DROP TYPE commitment_status;
      DROP TYPE quantity_qualifier;
      DROP TYPE accelerator_kind;
      DROP TYPE company_kind;
    `);
  }
}
