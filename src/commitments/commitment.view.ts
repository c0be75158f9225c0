import type { Accelerator } from '../accelerators/accelerator.entity.js';
import { type CommitmentMetrics, commitmentMetrics } from '../domain/metrics.js';
import { quarterFromIndex } from '../domain/quarter.js';
import type { CommitmentSource } from './commitment-source.entity.js';
import type { Commitment } from './commitment.entity.js';

export type SourceView = Pick<CommitmentSource, 'url' | 'title' | 'publisher' | 'publishedOn' | 'language' | 'quote'>;

export interface CommitmentView {
  id: string;
  key: string | null;
  companyId: string;
  company: { id: string; name: string };
  acceleratorId: string | null;
  accelerator: Pick<Accelerator, 'id' | 'name' | 'vendor' | 'kind'> | null;
  acceleratorKind: Commitment['acceleratorKind'];
  quantity: number | null;
  quantityQualifier: Commitment['quantityQualifier'];
  statedH100e: number | null;
  statedPowerMw: number | null;
  /** The range of the primary amount (quantity, else statedH100e, else statedPowerMw), in its unit; null: not given. */
  amountLow: number | null;
  amountHigh: number | null;
  announcedOn: string;
  deliveryFrom: string | null;
  deliveryBy: string | null;
  /** The delivery window with its defaults applied. */
  window: { from: string; to: string };
  status: Commitment['status'];
  certainty: Commitment['certainty'];
  supersedesId: string | null;
  supersededById: string | null;
  sources: SourceView[];
  notes: string | null;
  hostCompanyId: string | null;
  partOfId: string | null;
  siteCountry: string | null;
  version: number;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  metrics: CommitmentMetrics;
}

/** A commitment as the API shows it; `company`, `accelerator` and `sources` must be loaded. */
export function toCommitmentView(commitment: Commitment, supersededById: string | null): CommitmentView {
  const chip = commitment.accelerator;
  return {
    id: commitment.id,
    key: commitment.key,
    companyId: commitment.companyId,
    company: { id: commitment.company.id, name: commitment.company.name },
    acceleratorId: commitment.acceleratorId,
    accelerator: chip ? { id: chip.id, name: chip.name, vendor: chip.vendor, kind: chip.kind } : null,
    acceleratorKind: commitment.acceleratorKind,
    quantity: commitment.quantity,
    quantityQualifier: commitment.quantityQualifier,
    statedH100e: commitment.statedH100e,
    statedPowerMw: commitment.statedPowerMw,
    amountLow: commitment.amountLow,
    amountHigh: commitment.amountHigh,
    announcedOn: commitment.announcedOn,
    deliveryFrom: commitment.deliveryFrom,
    deliveryBy: commitment.deliveryBy,
    window: { from: quarterFromIndex(commitment.windowFirstQuarter), to: quarterFromIndex(commitment.windowLastQuarter) },
    status: commitment.status,
    certainty: commitment.certainty,
    supersedesId: commitment.supersedesId,
    supersededById,
    sources: [...(commitment.sources ?? [])]
      .sort((a, b) => a.position - b.position)
      .map(({ url, title, publisher, publishedOn, language, quote }) => ({ url, title, publisher, publishedOn, language, quote })),
    notes: commitment.notes,
    hostCompanyId: commitment.hostCompanyId,
    partOfId: commitment.partOfId,
    siteCountry: commitment.siteCountry,
    version: commitment.version,
    createdBy: commitment.createdBy,
    updatedBy: commitment.updatedBy,
    createdAt: commitment.createdAt,
    updatedAt: commitment.updatedAt,
    metrics: commitmentMetrics(commitment, chip, 'bf16'),
  };
}

/** A record as a write answers it: its view, and the stored records it may repeat (DESIGN: possibleDuplicates). */
export type WrittenCommitment = CommitmentView & { possibleDuplicates: string[] };
