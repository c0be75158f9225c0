import type { EntityManager } from 'typeorm';

/** A commitment's sources as a version keeps them: the rows in order, as JSON. */
const SOURCES_OF = (record: string) =>
  `COALESCE((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.position) FROM commitment_sources s WHERE s.commitment_id = ${record}), '[]')`;

/**
 * A WITH item writing the first versions of the records that the same statement inserts: `records` and `sources`
 * name the statement's WITH items inserting them (`RETURNING *`). The versions are those recordVersions writes for
 * new records; a record changed later in the same transaction has its version replaced when recordVersions is
 * called for it. For bulk inserts (an import's): their versions are written without reading the records back.
 */
export const firstVersionsOf = (records: string, sources: string) => `
  INSERT INTO commitment_versions (commitment_id, valid_from, record, sources)
  SELECT c.id, now(), to_jsonb(c), COALESCE(listed.sources, '[]')
  FROM ${records} c
  LEFT JOIN (
    SELECT s.commitment_id, jsonb_agg(to_jsonb(s) ORDER BY s.position) AS sources FROM ${sources} s GROUP BY s.commitment_id
  ) AS listed ON listed.commitment_id = c.id`;

/**
 * Brings the versions of these commitments up to date with their rows, in the writing transaction: where a
 * record's row or sources differ from its current version, that version ends now and a new one begins now; a
 * deleted record's current version ends now. Every version carries the transaction's time (`now()`), so all the
 * changes of one write begin at one moment, and a record changed twice in one transaction keeps only its last state
 * (the version begun earlier in the same transaction is replaced). Called by CommitmentWriter after each write.
 */
export async function recordVersions(manager: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const unique = [...new Set(ids)];
  // A version begun by this very transaction is replaced rather than ended, so none lasts no time at all.
  await manager.query(
    `DELETE FROM commitment_versions v USING commitments c
     WHERE v.commitment_id = ANY($1::uuid[]) AND c.id = v.commitment_id AND v.valid_to IS NULL AND v.valid_from = now()
       AND (c.deleted_at IS NOT NULL OR v.record <> to_jsonb(c) OR v.sources <> ${SOURCES_OF('c.id')})`,
    [unique],
  );
  await manager.query(
    `UPDATE commitment_versions v SET valid_to = greatest(now(), v.valid_from)
     FROM commitments c
     WHERE v.commitment_id = ANY($1::uuid[]) AND c.id = v.commitment_id AND v.valid_to IS NULL
       AND (c.deleted_at IS NOT NULL OR v.record <> to_jsonb(c) OR v.sources <> ${SOURCES_OF('c.id')})`,
    [unique],
  );
  // The newest ends and the sources of all the records in one read each, not in a subquery per record.
  await manager.query(
    `INSERT INTO commitment_versions (commitment_id, valid_from, record, sources)
     SELECT c.id, greatest(now(), ended.valid_to), to_jsonb(c), COALESCE(listed.sources, '[]')
     FROM commitments c
     LEFT JOIN (
       SELECT commitment_id, max(valid_to) AS valid_to, bool_or(valid_to IS NULL) AS current
       FROM commitment_versions WHERE commitment_id = ANY($1::uuid[]) GROUP BY commitment_id
     ) AS ended ON ended.commitment_id = c.id
     LEFT JOIN (
       SELECT s.commitment_id, jsonb_agg(to_jsonb(s) ORDER BY s.position) AS sources
       FROM commitment_sources s WHERE s.commitment_id = ANY($1::uuid[]) GROUP BY s.commitment_id
     ) AS listed ON listed.commitment_id = c.id
     WHERE c.id = ANY($1::uuid[]) AND c.deleted_at IS NULL AND ended.current IS NOT TRUE`,
    [unique],
  );
}
