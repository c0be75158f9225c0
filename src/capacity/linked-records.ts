import type { EntityManager } from 'typeorm';
import { type CompanyFacts, type LinkedFacts, type LinkedRead, attributedRecords } from '../domain/attributed-records.js';
import type { CapacityChip, CapacityRecord } from '../domain/capacity.js';
import { LINKED_IDS, WHOLES } from '../database/capacity-rollup.js';

export type { CompanyFacts, LinkedRead } from '../domain/attributed-records.js';

/**
 * The records the rollup leaves out (`isLinked`: a host, a site country, a whole, or a whole's chain), read from the
 * base table with their bounds, counted for one request as capacity records by `attributedRecords` (whole and part
 * against each other under the attribution, each piece with its range).
 */
export async function linkedCapacityRecords(
  manager: EntityManager,
  read: LinkedRead,
  chips: ReadonlyMap<string, CapacityChip>,
  companies: ReadonlyMap<string, CompanyFacts>,
  margin: number,
): Promise<CapacityRecord[]> {
  const rows: LinkedFacts[] = await manager.query(
    `SELECT c.id, c.company_id AS "companyId", c.host_company_id AS "hostCompanyId", c.part_of_id AS "partOfId",
       c.site_country AS "siteCountry", c.accelerator_id AS "acceleratorId", c.accelerator_kind AS "acceleratorKind", c.status,
       c.quantity, c.stated_h100e AS "statedH100e", c.stated_power_mw AS "statedPowerMw",
       c.quantity_qualifier AS "quantityQualifier", c.certainty, c.amount_low AS "amountLow", c.amount_high AS "amountHigh",
       to_char(c.announced_on, 'YYYY-MM-DD') AS "announcedOn", c.delivery_from AS "deliveryFrom", c.delivery_by AS "deliveryBy"
     FROM commitments c
     WHERE c.deleted_at IS NULL AND c.status = ANY($1::commitment_status[])
       AND NOT EXISTS (SELECT 1 FROM commitments newer WHERE newer.supersedes_id = c.id AND newer.deleted_at IS NULL)
       AND c.id IN (${LINKED_IDS})`,
    [read.statuses],
  );
  if (rows.length === 0) return [];
  const links: { id: string; supersedesId: string | null }[] = await manager.query(
    `SELECT id, supersedes_id AS "supersedesId" FROM commitments WHERE id IN (${WHOLES}) AND deleted_at IS NULL`,
  );
  return attributedRecords(rows, links, read, chips, companies, margin);
}
