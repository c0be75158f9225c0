import type { EntityManager } from 'typeorm';
import { DriftHistory, type LinkSpan, type RecordChange } from '../domain/drift-history.js';
import { endOfDay } from '../domain/moments.js';

const DAY = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

/**
 * The versions that began or ended after the end of `first` and by the end of `last`, and the links (supersedes,
 * part of) of every version that stood at some moment between those ends, in two reads of `commitment_versions`.
 */
export async function readDriftHistory(manager: EntityManager, first: string, last: string): Promise<DriftHistory> {
  const bounds = [endOfDay(first).at, endOfDay(last).at];
  const changes: RecordChange[] = await manager.query(
    `SELECT DISTINCT id, ${DAY('t')} AS day
     FROM (SELECT commitment_id AS id, valid_from AS t FROM commitment_versions
           UNION ALL SELECT commitment_id, valid_to FROM commitment_versions WHERE valid_to IS NOT NULL) moments
     WHERE t > $1::timestamptz AND t <= $2::timestamptz`,
    bounds,
  );
  const links: LinkSpan[] = await manager.query(
    `SELECT v.commitment_id AS id, linked.id AS linked, ${DAY('v.valid_from')} AS "fromDay", ${DAY('v.valid_to')} AS "toDay"
     FROM commitment_versions v
       CROSS JOIN LATERAL (VALUES (v.record->>'supersedes_id'), (v.record->>'part_of_id')) AS linked(id)
     WHERE linked.id IS NOT NULL AND v.valid_from <= $2::timestamptz AND (v.valid_to IS NULL OR v.valid_to > $1::timestamptz)`,
    bounds,
  );
  return new DriftHistory(changes, links);
}
