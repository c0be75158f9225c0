import type { EntityManager } from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import { isLinked } from '../database/capacity-rollup.js';
import type { CapacityChip, CapacityLedger, CapacityRecord } from '../domain/capacity.js';
import type { Certainty, QuantityQualifier } from '../domain/vocabulary.js';
import { type CompanyFacts, type LinkedRead, linkedCapacityRecords } from './linked-records.js';

interface RecordRow {
  id: string;
  companyId: string;
  acceleratorId: string | null;
  acceleratorKind: CapacityRecord['acceleratorKind'];
  status: CapacityRecord['status'];
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
  quantityQualifier: QuantityQualifier | null;
  certainty: Certainty;
  amountLow: number | null;
  amountHigh: number | null;
  announcedOn: string;
  deliveryFrom: string | null;
  deliveryBy: string | null;
}

/** The chip catalog and the companies by id, read as they are now (they are not versioned). */
export interface AsOfCatalogs {
  chips: ReadonlyMap<string, CapacityChip>;
  companies: ReadonlyMap<string, CompanyFacts>;
}

export async function readCatalogs(manager: EntityManager): Promise<AsOfCatalogs> {
  const chips = await manager.find(Accelerator, { order: { id: 'ASC' } });
  const companies: CompanyFacts[] = await manager.query('SELECT id, name, country, kind FROM companies ORDER BY id');
  return { chips: new Map(chips.map((chip) => [chip.id, chip])), companies: new Map(companies.map((company) => [company.id, company])) };
}

/**
 * The capacity ledger of a read made inside `readAsOf` (the tables then hold a past moment's records): the records
 * the rollup would hold (live, not linked) passing the record filters, each as itself, with the supersessions
 * between live records for the domain to apply; and the linked records counted as the present ledger counts them
 * (linked-records.ts, over the same tables). The arithmetic is the domain's, as for the rollup's rows.
 */
export async function ledgerOfRecords(
  manager: EntityManager,
  read: LinkedRead,
  approximateMargin: number,
  catalogs?: AsOfCatalogs,
): Promise<CapacityLedger> {
  const { chips, companies } = catalogs ?? (await readCatalogs(manager));
  const conditions = ['c.deleted_at IS NULL', `NOT ${isLinked('c')}`];
  const parameters: unknown[] = [];
  const where = (condition: string, value: unknown) => {
    parameters.push(value);
    conditions.push(condition.replace('?', `$${parameters.length}`));
  };
  if (read.companyId?.length) where('c.company_id = ANY(?::uuid[])', read.companyId);
  if (read.acceleratorId?.length) where('c.accelerator_id = ANY(?::uuid[])', read.acceleratorId);
  if (read.vendor?.length) where('c.accelerator_id IN (SELECT id FROM accelerators WHERE lower(vendor) = ANY(?::text[]))', read.vendor);
  if (read.kind?.length) where('c.accelerator_kind = ANY(?::accelerator_kind[])', read.kind);
  const rows: RecordRow[] = await manager.query(
    `SELECT c.id, c.company_id AS "companyId", c.accelerator_id AS "acceleratorId", c.accelerator_kind AS "acceleratorKind",
       c.status, c.quantity, c.stated_h100e AS "statedH100e", c.stated_power_mw AS "statedPowerMw",
       c.quantity_qualifier AS "quantityQualifier", c.certainty, c.amount_low AS "amountLow", c.amount_high AS "amountHigh",
       to_char(c.announced_on, 'YYYY-MM-DD') AS "announcedOn", c.delivery_from AS "deliveryFrom", c.delivery_by AS "deliveryBy"
     FROM commitments c WHERE ${conditions.join(' AND ')}`,
    parameters,
  );
  const revisions: { id: string; supersedesId: string }[] = await manager.query(
    'SELECT id, supersedes_id AS "supersedesId" FROM commitments WHERE supersedes_id IS NOT NULL AND deleted_at IS NULL',
  );
  const records: CapacityRecord[] = rows.map((row) => {
    const company = companies.get(row.companyId);
    return {
      ...row,
      companyName: company?.name ?? row.companyId,
      companyCountry: company?.country ?? null,
      companyKind: company?.kind ?? 'other',
      siteCountry: null,
    };
  });
  records.push(...(await linkedCapacityRecords(manager, read, chips, companies, approximateMargin)));
  return { records, chips, revisions: revisions.map((revision) => ({ ...revision, deleted: false })) };
}
