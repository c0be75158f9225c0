import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analysts' inbox: `feeds` (RSS or Atom sources, with what their conditional GET and their failures need) and
 * `inbox_items` (one row per item seen, by guid else link, with the text read and the extraction's proposals). An
 * item that tells the same announcement as another item still waiting for review is kept `merged_into` it: the two
 * are one proposal with two sources. See docs/decisions/inbox.md.
 */
export class CreateFeedsAndInbox1796197000000 implements MigrationInterface {
  name = 'CreateFeedsAndInbox1796197000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE feeds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        name text NOT NULL,
        etag text,
        last_modified text,
        -- An instance polling the feed holds it until then; another instance leaves it alone meanwhile.
        polling_until timestamptz,
        last_polled_at timestamptz,
        last_success_at timestamptz,
        last_error text,
        -- Failed polls in a row: the backoff before the next try grows with it.
        failures integer NOT NULL DEFAULT 0,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX feeds_url_unique ON feeds (url);
      CREATE TYPE inbox_status AS ENUM ('new', 'accepted', 'dismissed', 'no_candidates');
      CREATE TABLE inbox_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        feed_id uuid NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        -- The item's guid (RSS) or id (Atom), else its link: an item is read once.
        item_key text NOT NULL,
        url text,
        title text,
        published_on date NOT NULL,
        language text NOT NULL,
        -- Where the text was read: the feed's content, or the linked page's main article.
        text_from text NOT NULL CHECK (text_from IN ('feed', 'page', 'summary')),
        text text NOT NULL,
        read_error text,
        notice text,
        status inbox_status NOT NULL,
        candidates jsonb NOT NULL DEFAULT '[]',
        possible_duplicates jsonb NOT NULL DEFAULT '[]',
        merged_into uuid REFERENCES inbox_items (id) ON DELETE CASCADE,
        accepted_ids jsonb NOT NULL DEFAULT '[]',
        reviewed_by uuid REFERENCES users (id) ON DELETE SET NULL,
        reviewed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX inbox_items_seen_once ON inbox_items (feed_id, item_key);
      CREATE INDEX inbox_items_by_status ON inbox_items (status, published_on DESC, created_at DESC) WHERE merged_into IS NULL;
      CREATE INDEX inbox_items_merged ON inbox_items (merged_into) WHERE merged_into IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE inbox_items; DROP TYPE inbox_status; DROP TABLE feeds;');
  }
}
