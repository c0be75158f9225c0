/** The closed vocabularies of the domain, shared by the database schema, the API and the client. */
export const COMPANY_KINDS = ['hyperscaler', 'ai_lab', 'neocloud', 'sovereign', 'enterprise', 'other'] as const;
export type CompanyKind = (typeof COMPANY_KINDS)[number];

export const ACCELERATOR_KINDS = ['gpu', 'custom'] as const;
export type AcceleratorKind = (typeof ACCELERATOR_KINDS)[number];

export const QUANTITY_QUALIFIERS = ['exact', 'approximate', 'at_least', 'up_to'] as const;
export type QuantityQualifier = (typeof QUANTITY_QUALIFIERS)[number];

export const COMMITMENT_STATUSES = ['rumored', 'announced', 'confirmed', 'delivered', 'cancelled'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

/** Statuses counted in totals unless a filter asks for others. */
export const DEFAULT_COUNTED_STATUSES: readonly CommitmentStatus[] = ['announced', 'confirmed', 'delivered'];

export const CERTAINTIES = ['confirmed', 'likely', 'speculative'] as const;
export type Certainty = (typeof CERTAINTIES)[number];

/** bf16: dense BF16 ÷ the H100's; fp8: dense FP8 ÷ the H100's; max: the highest dense rate ÷ the H100's FP8 (Epoch AI). */
export const PRECISIONS = ['bf16', 'fp8', 'max'] as const;
export type Precision = (typeof PRECISIONS)[number];

export const METRICS = ['units', 'h100e', 'power_mw'] as const;
export type Metric = (typeof METRICS)[number];

/** Where an amount falls in time: spread over its delivery window, or all in the quarter it was announced. */
export const BASES = ['delivery', 'announced'] as const;
export type Basis = (typeof BASES)[number];

export const GROUP_BYS = ['company', 'vendor', 'accelerator', 'kind', 'country', 'companyKind'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Why a counted record has no amount in a metric. */
export const EXCLUSION_REASONS = ['quantity_undisclosed', 'chip_unknown', 'chip_spec_missing'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** The fields the commitments list sorts by; a leading `-` sorts descending. */
export const COMMITMENT_SORTS = ['announcedOn', 'company', 'accelerator', 'quantity', 'status', 'createdAt', 'updatedAt'] as const;

/** Where an item of the analysts' inbox stands: waiting for review, reviewed either way, or nothing proposed. */
export const INBOX_STATUSES = ['new', 'accepted', 'dismissed', 'no_candidates'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];
