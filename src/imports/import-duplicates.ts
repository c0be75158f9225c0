import type { EntityManager } from 'typeorm';
import { type DuplicateFacts, mayDuplicate } from '../domain/inbox/duplicates.js';
import type { AcceleratorKind } from '../domain/vocabulary.js';
import { MAX_LISTED_ERRORS } from './import-plan.js';
import { creates, updates } from './import-staging.js';

/** A stored record that a row of the file may repeat (`POST /api/imports?dryRun=true`). */
export interface ImportWarning {
  line: number;
  type: 'possible_duplicate';
  /** The stored record's id. */
  of: string;
}

/** Pairs of a staged row and a stored record read at most: the warnings listed are the first of them by line. */
const MAX_PAIRS = 50_000;

interface Side {
  accelerator_id: string | null;
  accelerator_kind: AcceleratorKind;
  first: number;
  last: number;
  quantity: number | null;
  stated_h100e: number | null;
  stated_power_mw: number | null;
}

/**
 * The stored records that the rows a dry run would create or change may repeat, as `possibleDuplicates` finds them
 * for the API's writes (`commitments/possible-duplicates.ts`): live, not superseded, sharing a company or host, of the
 * same chip (or both without one and of the same kind), overlapping windows, not linked by supersession or
 * `partOfId`, and amounts within 10 % (`mayDuplicate`). Rows of the file are not compared with each other.
 */
export async function stagedDuplicates(manager: EntityManager): Promise<ImportWarning[]> {
  const side = (alias: string, first: string, last: string) =>
    `jsonb_build_object('accelerator_id', ${alias}.accelerator_id, 'accelerator_kind', ${alias}.accelerator_kind, 'first', ${alias}.${first},
      'last', ${alias}.${last}, 'quantity', ${alias}.quantity, 'stated_h100e', ${alias}.stated_h100e, 'stated_power_mw', ${alias}.stated_power_mw)`;
  const pairs: { line: number; of: string; row: Side; stored: Side }[] = await manager.query(
    `SELECT r.line, c.id AS of, ${side('r', 'window_first_quarter', 'window_last_quarter')} AS row,
       ${side('c', 'window_first_quarter', 'window_last_quarter')} AS stored
     FROM import_rows r
     JOIN commitments c ON c.id <> r.id AND c.deleted_at IS NULL
       AND (c.company_id IN (r.company_id, r.host_company_id) OR c.host_company_id IN (r.company_id, r.host_company_id))
       AND c.accelerator_id IS NOT DISTINCT FROM r.accelerator_id
       AND (c.accelerator_id IS NOT NULL OR c.accelerator_kind = r.accelerator_kind)
       AND c.window_first_quarter <= r.window_last_quarter AND r.window_first_quarter <= c.window_last_quarter
       AND c.supersedes_id IS DISTINCT FROM r.id AND r.supersedes_id IS DISTINCT FROM c.id
       AND c.part_of_id IS DISTINCT FROM r.id AND r.part_of_id IS DISTINCT FROM c.id
       AND NOT EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = c.id AND newer.deleted_at IS NULL)
     WHERE (${creates('r')}) OR (${updates('r')})
     ORDER BY r.line, c.announced_on, c.id
     LIMIT ${MAX_PAIRS}`,
  );
  const warnings: ImportWarning[] = [];
  for (const { line, of, row, stored } of pairs) {
    if (!mayDuplicate(facts(row), facts(stored))) continue;
    warnings.push({ line, type: 'possible_duplicate', of });
    if (warnings.length === MAX_LISTED_ERRORS) break;
  }
  return warnings;
}

/** The facts the rule compares, the company (or host) matched already. */
function facts(side: Side): DuplicateFacts {
  const amount =
    side.quantity !== null
      ? { value: side.quantity, unit: 'units' as const }
      : side.stated_h100e !== null
        ? { value: side.stated_h100e, unit: 'h100e' as const }
        : side.stated_power_mw !== null
          ? { value: side.stated_power_mw, unit: 'mw' as const }
          : null;
  return {
    company: 'matched',
    chip: side.accelerator_id,
    kind: side.accelerator_kind,
    window: { first: side.first, last: side.last },
    amount,
  };
}
