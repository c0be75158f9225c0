import type { EntityManager } from 'typeorm';
import { basisWindow, evenShare, windowLength } from '../domain/allocation.js';
import { type Attribution, type CountedAmount, attribute, newestOfChains } from '../domain/attribution.js';
import { type CapacityChip, type CapacityRecord, recordAmount } from '../domain/capacity.js';
import { quarterFromIndex } from '../domain/quarter.js';
import type { AcceleratorKind, Basis, CommitmentStatus, CompanyKind, Metric, Precision } from '../domain/vocabulary.js';
import { LINKED_IDS, WHOLES } from '../database/capacity-rollup.js';

/** A company as the groupings need it. */
export interface CompanyFacts {
  id: string;
  name: string;
  country: string | null;
  kind: CompanyKind;
}

/** What a read of the linked records depends on: the record filters, statuses, basis, metric, precision, attribution. */
export interface LinkedRead {
  companyId?: string[];
  acceleratorId?: string[];
  /** In lower case. */
  vendor?: string[];
  kind?: AcceleratorKind[];
  statuses: readonly CommitmentStatus[];
  basis: Basis;
  metric: Metric;
  precision: Precision;
  attribution: Attribution;
}

interface LinkedRow {
  id: string;
  companyId: string;
  hostCompanyId: string | null;
  partOfId: string | null;
  siteCountry: string | null;
  acceleratorId: string | null;
  acceleratorKind: AcceleratorKind;
  status: CommitmentStatus;
  quantity: number | null;
  statedH100e: number | null;
  statedPowerMw: number | null;
  announcedOn: string;
  deliveryFrom: string | null;
  deliveryBy: string | null;
}

/**
 * The records the rollup leaves out (`isLinked`: a host, a site country, a whole, or a whole's chain), counted for
 * one request as capacity records: each counted one (status counted, live, not superseded, with an amount) as what it
 * counts under the attribution (`domain/attribution.ts`) — whole and part against each other over every record, the
 * record filters then choosing what is shown — and each one without an amount as it is, to be left out with its reason.
 * A contribution is a record whose stated figure of the metric is what it counts over its quarters.
 */
export async function linkedCapacityRecords(
  manager: EntityManager,
  read: LinkedRead,
  chips: ReadonlyMap<string, CapacityChip>,
  companies: ReadonlyMap<string, CompanyFacts>,
): Promise<CapacityRecord[]> {
  const rows: LinkedRow[] = await manager.query(
    `SELECT c.id, c.company_id AS "companyId", c.host_company_id AS "hostCompanyId", c.part_of_id AS "partOfId",
       c.site_country AS "siteCountry", c.accelerator_id AS "acceleratorId", c.accelerator_kind AS "acceleratorKind", c.status,
       c.quantity, c.stated_h100e AS "statedH100e", c.stated_power_mw AS "statedPowerMw",
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
  const newestOf = newestOfChains(links.map((link) => ({ ...link, deleted: false })));

  const shown = (row: LinkedRow) => {
    const chip = row.acceleratorId === null ? null : (chips.get(row.acceleratorId) ?? null);
    return (
      (!read.companyId?.length || read.companyId.includes(row.companyId)) &&
      (!read.acceleratorId?.length || (row.acceleratorId !== null && read.acceleratorId.includes(row.acceleratorId))) &&
      (!read.vendor?.length || (chip !== null && read.vendor.includes(chip.vendor.toLowerCase()))) &&
      (!read.kind?.length || read.kind.includes(row.acceleratorKind))
    );
  };
  const byId = new Map(rows.map((row) => [row.id, row]));
  const counted: CountedAmount[] = [];
  const records: CapacityRecord[] = [];
  for (const row of rows) {
    const chip = row.acceleratorId === null ? null : (chips.get(row.acceleratorId) ?? null);
    const window = basisWindow(row, read.basis);
    const { amount } = recordAmount(row, chip, read.metric, read.precision);
    if (amount === null) {
      if (shown(row)) records.push({ ...recordOf(row, row.companyId, companies), window });
      continue;
    }
    counted.push({ ...row, window, share: evenShare(amount, window) });
  }

  const { contributions } = attribute(counted, newestOf, read.attribution);
  // The pieces of one record: the first starts its commitment, the last ends it (records counted in a period).
  const firstPiece = new Map<string, number>();
  const lastPiece = new Map<string, number>();
  contributions.forEach((piece, index) => {
    const id = piece.record.id;
    if (!firstPiece.has(id) || piece.first < contributions[firstPiece.get(id)!].first) firstPiece.set(id, index);
    if (!lastPiece.has(id) || piece.last > contributions[lastPiece.get(id)!].last) lastPiece.set(id, index);
  });
  contributions.forEach((piece, index) => {
    const row = byId.get(piece.record.id)!;
    if (!shown(row)) return;
    const window = { first: piece.first, last: piece.last };
    const amount = piece.share * windowLength(window);
    records.push({
      ...recordOf(row, piece.companyId, companies),
      quantity: read.metric === 'units' ? amount : null,
      statedH100e: read.metric === 'h100e' ? amount : null,
      statedPowerMw: read.metric === 'power_mw' ? amount : null,
      deliveryFrom: quarterFromIndex(window.first),
      deliveryBy: quarterFromIndex(window.last),
      window,
      commitmentsStarting: firstPiece.get(row.id) === index ? 1 : 0,
      commitmentsEnding: lastPiece.get(row.id) === index ? 1 : 0,
    });
  });
  return records;
}

function recordOf(row: LinkedRow, companyId: string, companies: ReadonlyMap<string, CompanyFacts>): CapacityRecord {
  const company = companies.get(companyId);
  return {
    id: row.id,
    companyId,
    companyName: company?.name ?? companyId,
    companyCountry: company?.country ?? null,
    companyKind: company?.kind ?? 'other',
    siteCountry: row.siteCountry,
    acceleratorId: row.acceleratorId,
    acceleratorKind: row.acceleratorKind,
    status: row.status,
    quantity: row.quantity,
    statedH100e: row.statedH100e,
    statedPowerMw: row.statedPowerMw,
    announcedOn: row.announcedOn,
    deliveryFrom: row.deliveryFrom,
    deliveryBy: row.deliveryBy,
  };
}
