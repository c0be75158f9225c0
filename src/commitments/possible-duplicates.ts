import type { EntityManager } from 'typeorm';
import { mayDuplicate, recordFacts } from '../domain/inbox/duplicates.js';
import type { AcceleratorKind } from '../domain/vocabulary.js';

interface DuplicateRow {
  id: string;
  companyId: string;
  acceleratorId: string | null;
  acceleratorKind: AcceleratorKind;
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
  announcedOn: string;
  deliveryFrom: string | null;
  deliveryBy: string | null;
}

const FIELDS = `c.id, c.company_id AS "companyId", c.accelerator_id AS "acceleratorId", c.accelerator_kind AS "acceleratorKind",
  c.quantity, c.stated_h100e AS "statedH100e", c.stated_power_mw AS "statedPowerMw", to_char(c.announced_on, 'YYYY-MM-DD') AS "announcedOn",
  c.delivery_from AS "deliveryFrom", c.delivery_by AS "deliveryBy"`;

/**
 * For each of these records, the live records it may repeat (DESIGN "Other read routes"): not deleted and not
 * superseded, of the same company or host (either record's company or host names the other's), of the same chip (or
 * both without one and of the same kind), with overlapping delivery windows and primary amounts within 10 % of each
 * other or both undisclosed (`mayDuplicate`), and not linked to it by supersession or `partOfId`. A warning, never a
 * refusal: one statement finds the candidates, the domain rule decides.
 */
export async function possibleDuplicates(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return found;
  const rows: (DuplicateRow & { of: string; record: DuplicateRow })[] = await manager.query(
    `SELECT r.id AS of, to_jsonb(rf) AS record, ${FIELDS}
     FROM commitments r
     CROSS JOIN LATERAL (SELECT ${FIELDS.replaceAll('c.', 'r.')}) rf
     JOIN commitments c ON c.id <> r.id AND c.deleted_at IS NULL
       AND (c.company_id IN (r.company_id, r.host_company_id) OR c.host_company_id IN (r.company_id, r.host_company_id))
       AND c.accelerator_id IS NOT DISTINCT FROM r.accelerator_id
       AND (c.accelerator_id IS NOT NULL OR c.accelerator_kind = r.accelerator_kind)
       AND c.window_first_quarter <= r.window_last_quarter AND r.window_first_quarter <= c.window_last_quarter
       AND c.supersedes_id IS DISTINCT FROM r.id AND r.supersedes_id IS DISTINCT FROM c.id
       AND c.part_of_id IS DISTINCT FROM r.id AND r.part_of_id IS DISTINCT FROM c.id
       AND NOT EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = c.id AND newer.deleted_at IS NULL)
     WHERE r.id = ANY($1::uuid[])
     ORDER BY r.id, c.announced_on, c.id`,
    [ids],
  );
  for (const row of rows) {
    // The company (or host) matched above; the rule compares the rest with one company on both sides.
    const a = { ...recordFacts(row.record), company: 'matched' };
    const b = { ...recordFacts(row), company: 'matched' };
    if (mayDuplicate(a, b)) found.get(row.of)?.push(row.id);
  }
  return found;
}
