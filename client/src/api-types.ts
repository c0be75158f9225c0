/**
 * Response types of the API, imported from the server's own declarations so they are written once.
 * Type-only imports: nothing of the server reaches the bundle.
 */
import type { AcceleratorView } from '../../src/accelerators/accelerator.view.js';
import type { AuditEntryView } from '../../src/contracts/audit.js';
import type { AuditEntriesPage } from '../../src/contracts/audit.js';
import type { ApiTokenView, CreatedApiToken, Session as ServerSession } from '../../src/contracts/auth.js';
import type { CommitmentView, WrittenCommitment as ServerWrittenCommitment } from '../../src/commitments/commitment.view.js';
import type { Page } from '../../src/contracts/page.js';
import type { Company } from '../../src/companies/company.entity.js';
import type { UserView } from '../../src/contracts/users.js';
import type { CreateAcceleratorDto, UpdateAcceleratorDto } from '../../src/accelerators/dto/accelerator.dto.js';
import type { CreateCommitmentDto, SourceDto, UpdateCommitmentDto } from '../../src/commitments/dto/commitment.dto.js';
import type { CreateCompanyDto, UpdateCompanyDto } from '../../src/companies/dto/company.dto.js';
import type { FeedView, PollResult as FeedPollResult } from '../../src/contracts/inbox.js';
import type { InboxItemView } from '../../src/contracts/inbox.js';

export type {
  AcceleratorKind,
  Basis,
  Certainty,
  CommitmentStatus,
  CompanyKind,
  ExclusionReason,
  GroupBy,
  Metric,
  InboxStatus,
  Precision,
  QuantityQualifier,
} from '../../src/domain/vocabulary.js';
export {
  ACCELERATOR_KINDS,
  CERTAINTIES,
  COMMITMENT_SORTS,
  COMMITMENT_STATUSES,
  COMPANY_KINDS,
  DEFAULT_COUNTED_STATUSES,
  INBOX_STATUSES,
  PRECISIONS,
  QUANTITY_QUALIFIERS,
} from '../../src/domain/vocabulary.js';

/** What a server type looks like after JSON: dates become ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer Item)[]
    ? Json<Item>[]
    : T extends object
      ? { [Key in keyof T]: Json<T[Key]> }
      : T;

export type Commitment = Json<CommitmentView>;
/** A write's answer: the record, and the stored records it may repeat (a warning, never a refusal). */
export type WrittenCommitment = Json<ServerWrittenCommitment>;
export type Session = Json<ServerSession>;
export type ApiToken = Json<ApiTokenView>;
export type { CreatedApiToken };
export type { CreateApiTokenDto } from '../../src/auth/dto/api-token.dto.js';
export { PASSWORD_CHANGE_REQUIRED } from '../../src/contracts/auth.js';
export type User = Json<UserView>;
export type AuditEntry = Json<AuditEntryView>;
export type AuditPage = Json<AuditEntriesPage>;
export type { Role } from '../../src/domain/roles.js';
export { ROLES } from '../../src/domain/roles.js';
export { AUDIT_ACTIONS, AUDITED_ENTITIES } from '../../src/contracts/audit.js';
export type CommitmentPage = Json<Page<CommitmentView>>;
export type CompanySummary = Pick<Json<Company>, 'id' | 'name' | 'kind' | 'country'>;
export type Accelerator = Pick<Json<AcceleratorView>, 'id' | 'name' | 'vendor' | 'kind'>;
/** Catalog records as their own pages show them, with aliases, specs and the version to edit. */
export type CompanyRecord = Json<Company>;
export type AcceleratorRecord = Json<AcceleratorView>;

/** Request bodies: the server's DTO classes, read as plain shapes. */
export type {
  CreateAcceleratorDto,
  CreateCommitmentDto,
  CreateCompanyDto,
  SourceDto,
  UpdateAcceleratorDto,
  UpdateCommitmentDto,
  UpdateCompanyDto,
};

export type { FieldError } from '../../src/contracts/errors.js';
export { EPOCH_CLUSTERS_CREDIT, EPOCH_CLUSTERS_URL, EPOCH_HARDWARE_CREDIT } from '../../src/domain/epoch/credit.js';
export type { EpochClustersReport, EpochClustersRun, EpochClustersSyncStatus } from '../../src/contracts/epoch-clusters.js';
export type { Candidate, ExtractionResult } from '../../src/domain/extraction/types.js';
export type { ImportError, ImportReport } from '../../src/contracts/import-report.js';
export type Feed = Json<FeedView>;
export type PollResult = Json<FeedPollResult>;
export type InboxItem = Json<InboxItemView>;
export type { AcceptedCandidateDto } from '../../src/inbox/dto/inbox.dto.js';

export { ATTRIBUTIONS, type Attribution } from '../../src/domain/attribution.js';
export type {
  CapacityExcludedResponse,
  CapacityExclusions,
  ExcludedRecord,
  CapacityResponse,
  CapacitySeries,
  CapacitySummaryResponse,
  TopCompaniesResponse,
} from '../../src/contracts/capacity.js';
