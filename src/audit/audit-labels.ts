import type { EntityManager } from 'typeorm';
import { type CommitmentLabelFacts, commitmentLabel } from '../domain/record-label.js';
import type { AuditedEntity, AuditEntryView } from '../contracts/audit.js';

/** A page of the trail with a name for every record it mentions, by id. */
export type { AuditEntriesPage } from '../contracts/audit.js';

/** The fields of a recorded value that name another record, and the kind of record they name. */
const REFERENCES: Record<string, AuditedEntity> = {
  companyId: 'company',
  hostCompanyId: 'company',
  acceleratorId: 'accelerator',
  supersedesId: 'commitment',
  supersededById: 'commitment',
  partOfId: 'commitment',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids to name: each entry's record and the records its values refer to, by kind. */
function referencedIds(entries: readonly AuditEntryView[]): Record<AuditedEntity, string[]> {
  const wanted: Record<AuditedEntity, Set<string>> = {
    commitment: new Set(),
    company: new Set(),
    accelerator: new Set(),
    user: new Set(),
  };
  for (const entry of entries) {
    wanted[entry.entityType].add(entry.entityId);
    for (const value of [entry.before, entry.after] as (Record<string, unknown> | null)[]) {
      for (const [field, kind] of Object.entries(REFERENCES)) {
        const id = value?.[field];
        if (typeof id === 'string' && UUID.test(id)) wanted[kind].add(id);
      }
    }
  }
  return {
    commitment: [...wanted.commitment],
    company: [...wanted.company],
    accelerator: [...wanted.accelerator],
    user: [...wanted.user],
  };
}

type CommitmentLabelRow = CommitmentLabelFacts & { id: string };

/**
 * Names for the records a set of entries mentions, as they are now (deleted commitments included, since the trail
 * outlives them). Four small reads by primary key, whatever the number of entries.
 */
export async function auditLabels(manager: EntityManager, entries: readonly AuditEntryView[]): Promise<Record<string, string>> {
  const ids = referencedIds(entries);
  const labels: Record<string, string> = {};
  const named = async (sql: string, list: string[]) =>
    list.length === 0 ? [] : ((await manager.query(sql, [list])) as { id: string; label: string }[]);
  const [commitments, companies, chips, users] = await Promise.all([
    ids.commitment.length === 0
      ? ([] as CommitmentLabelRow[])
      : (manager.query(
          `SELECT c.id, co.name AS company, a.name AS chip, c.accelerator_kind AS "acceleratorKind", c.quantity,
             c.stated_h100e AS "statedH100e", c.stated_power_mw AS "statedPowerMw"
           FROM commitments c JOIN companies co ON co.id = c.company_id LEFT JOIN accelerators a ON a.id = c.accelerator_id
           WHERE c.id = ANY($1::uuid[])`,
          [ids.commitment],
        ) as Promise<CommitmentLabelRow[]>),
    named('SELECT id, name AS label FROM companies WHERE id = ANY($1::uuid[])', ids.company),
    named('SELECT id, name AS label FROM accelerators WHERE id = ANY($1::uuid[])', ids.accelerator),
    named('SELECT id, email AS label FROM users WHERE id = ANY($1::uuid[])', ids.user),
  ]);
  for (const row of commitments) labels[row.id] = commitmentLabel(row);
  for (const row of [...companies, ...chips, ...users]) labels[row.id] = row.label;
  return labels;
}
