import { basisWindow, evenShare, windowLength } from './allocation.js';
import { type Attribution, type CountedAmount, attribute, newestOfChains } from './attribution.js';
import { type CapacityChip, type CapacityRecord, recordAmount } from './capacity.js';
import { quarterFromIndex } from './quarter.js';
import { DEFAULT_APPROXIMATE_MARGIN, isOpenAbove, recordRange } from './ranges.js';
import type {
  AcceleratorKind,
  Basis,
  Certainty,
  CommitmentStatus,
  CompanyKind,
  Metric,
  Precision,
  QuantityQualifier,
} from './vocabulary.js';

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

/** A linked record (counted status, live, not superseded) as it is stored, with its bounds. */
export interface LinkedFacts {
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
  quantityQualifier: QuantityQualifier | null;
  certainty: Certainty;
  amountLow: number | null;
  amountHigh: number | null;
  announcedOn: string;
  deliveryFrom: string | null;
  deliveryBy: string | null;
}

/**
 * The linked records (a host, a site country, a whole, or a whole's chain) as capacity records for one read: each
 * counted one as what it counts under the attribution (`attribute`) — whole and part against each other over every
 * record, the record filters then choosing what is shown — and each one without an amount as it is, to be left out
 * with its reason. A contribution becomes a record whose stated figure of the metric is what it counts over its
 * quarters, with its range as a summed range in that unit (`range`: low and high already taken with the margin) and
 * its lack of an upper bound as `openStarting`/`openEnding`, so the capacity arithmetic sums it like a rollup row.
 * `links`: the records of the wholes' supersession chains (`supersedesId`), for the newest record of each.
 */
export function attributedRecords(
  rows: readonly LinkedFacts[],
  links: readonly { id: string; supersedesId: string | null }[],
  read: LinkedRead,
  chips: ReadonlyMap<string, CapacityChip>,
  companies: ReadonlyMap<string, CompanyFacts>,
  margin: number = DEFAULT_APPROXIMATE_MARGIN,
): CapacityRecord[] {
  if (rows.length === 0) return [];
  const newestOf = newestOfChains(links.map((link) => ({ ...link, deleted: false })));
  const shown = (row: LinkedFacts) => {
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
    // The record's range in the metric (its bounds, qualifier and certainty), spread like its amount.
    const range = recordRange(row, amount, margin) ?? { low: amount, high: amount };
    counted.push({
      id: row.id,
      companyId: row.companyId,
      hostCompanyId: row.hostCompanyId,
      partOfId: row.partOfId,
      siteCountry: row.siteCountry,
      window,
      share: evenShare(amount, window),
      low: Math.min(evenShare(range.low, window), evenShare(amount, window)),
      high: Math.max(evenShare(range.high, window), evenShare(amount, window)),
      openAbove: isOpenAbove(row),
    });
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
    const quarters = windowLength(window);
    const amount = piece.share * quarters;
    const starting = firstPiece.get(row.id) === index ? 1 : 0;
    const ending = lastPiece.get(row.id) === index ? 1 : 0;
    records.push({
      ...recordOf(row, piece.companyId, companies),
      quantity: read.metric === 'units' ? amount : null,
      statedH100e: read.metric === 'h100e' ? amount : null,
      statedPowerMw: read.metric === 'power_mw' ? amount : null,
      deliveryFrom: quarterFromIndex(window.first),
      deliveryBy: quarterFromIndex(window.last),
      window,
      commitmentsStarting: starting,
      commitmentsEnding: ending,
      // In the unit of the amount, the margin already applied: low = lowBase, high = highBase.
      range: {
        lowBase: piece.low * quarters,
        lowMargin: 0,
        highBase: piece.high * quarters,
        highMargin: 0,
        openStarting: piece.openAbove ? starting : 0,
        openEnding: piece.openAbove ? ending : 0,
      },
    });
  });
  return records;
}

function recordOf(row: LinkedFacts, companyId: string, companies: ReadonlyMap<string, CompanyFacts>): CapacityRecord {
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
