import type {
  AcceptedCandidateDto,
  ApiToken,
  AuditEntry,
  AuditPage,
  AcceleratorKind,
  Attribution,
  Basis,
  CapacityExcludedResponse,
  CapacityResponse,
  CapacitySummaryResponse,
  GroupBy,
  Commitment,
  CommitmentPage,
  CommitmentStatus,
  AcceleratorRecord,
  CompanyRecord,
  CreateAcceleratorDto,
  CreateApiTokenDto,
  CreatedApiToken,
  CreateCommitmentDto,
  CreateCompanyDto,
  EpochClustersRun,
  EpochClustersSyncStatus,
  ExtractionResult,
  Feed,
  FieldError,
  ImportReport,
  InboxItem,
  InboxStatus,
  Metric,
  PollResult,
  Precision,
  Role,
  Session,
  UpdateAcceleratorDto,
  UpdateCommitmentDto,
  UpdateCompanyDto,
  User,
  WrittenCommitment,
} from './api-types';
import { labelledMessage, plainMessage } from './field-labels';
import { PASSWORD_CHANGE_REQUIRED } from './api-types';

/** An HTTP failure with a message written for the person using the page. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * The server's message for each field it refused (400 details[]), in the page's words, keyed by the field's path
   * (`sources[0].url`).
   */
  get fieldErrors(): Record<string, string> {
    return fieldMessages(this.details);
  }

  /** The record as it is now, which a 409 carries so that the editor can compare it with their own values. */
  get currentRecord(): unknown {
    return this.status === 409 && hasCurrent(this.details) ? this.details.current : null;
  }
}

interface ErrorBody {
  statusCode?: number;
  message?: string | string[];
  details?: unknown;
  code?: string;
}

function fieldMessages(details: unknown): Record<string, string> {
  if (!Array.isArray(details)) return {};
  return Object.fromEntries(
    (details as FieldError[]).map((detail) => [
      detail.field,
      detail.messages.map((message) => plainMessage(detail.field, message)).join('; '),
    ]),
  );
}

/** The one place that turns HTTP errors into messages people understand. */
export function errorMessage(status: number, body: ErrorBody | null, retryAfter: string | null): string {
  const serverMessage = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
  const fields = Object.entries(fieldMessages(body?.details));
  switch (true) {
    case status === 400 && fields.length > 0:
      // Forms show each message at its field; elsewhere this sentence names them all.
      return `The request was not accepted: ${fields.map(([field, message]) => labelledMessage(field, message)).join('; ')}.`;
    case status === 400 || status === 422:
      return `The request was not accepted: ${serverMessage ?? 'check the filters and try again'}.`;
    case status === 408:
      return 'The server stopped waiting for the upload. Check your connection and try again.';
    case status === 413:
      return 'This is more than the server takes in one request. Split the file and try again.';
    case status === 401:
      return 'Please sign in to see this page.';
    case status === 403:
      return 'Your account is not allowed to do this. Ask an administrator for access.';
    case status === 404:
      return serverMessage ? `Not found: ${serverMessage}.` : 'This record does not exist (it may have been deleted).';
    case status === 409 && hasCurrent(body?.details):
      return 'Someone else changed this record in the meantime: compare their values with yours before saving again.';
    case status === 409:
      return serverMessage ? `This cannot be done: ${serverMessage}.` : 'This conflicts with the current state; reload and try again.';
    case status === 429:
      return `Too many requests. Please wait ${retryAfter ? `${retryAfter} seconds` : 'a moment'} and try again.`;
    case status === 503:
      return 'The service is temporarily unavailable (the database cannot be reached). Try again shortly.';
    case status >= 500:
      return 'The server ran into an error. Try again; if it keeps happening, tell the team.';
    default:
      return serverMessage ?? `The request failed (HTTP ${status}).`;
  }
}

/** A 409 for a stale version carries the record as it is now in `details.current`. */
export function hasCurrent(details: unknown): details is { current: Record<string, unknown> } {
  return typeof details === 'object' && details !== null && typeof (details as { current?: unknown }).current === 'object';
}

let bearerToken: string | null = null;

/** What the session (session.ts) does when the server says the token or the role no longer fits. */
export interface SessionHandlers {
  /**
   * Asks for a new access token from the refresh cookie (another tab may have signed in again); true when the
   * request should be sent again with it.
   */
  renew(): Promise<boolean>;
  /**
   * A 401 to anything but the login itself: `expired` when the token sent was refused (expired, revoked, account
   * disabled) and could not be renewed, `required` when a visitor asked for something that needs a sign-in.
   */
  unauthorized(reason: 'expired' | 'required'): void;
  /** A 403 saying that a generated password must be changed first. */
  passwordChangeRequired(): void;
  /** Any other 403: the role may have changed since the page learnt it. */
  forbidden(): void;
}

let handlers: SessionHandlers = {
  renew: async () => false,
  unauthorized: () => undefined,
  passwordChangeRequired: () => undefined,
  forbidden: () => undefined,
};

export function setSessionHandlers(next: SessionHandlers): void {
  handlers = next;
}

/** Where a signed-in session's token is kept, in this tab's memory only; every request sends it. */
export function setBearerToken(token: string | null): void {
  bearerToken = token;
}

/** Whether a session's token is held: pages leave out what only signed-in people may read. */
export function isSignedIn(): boolean {
  return bearerToken !== null;
}

function failure(status: number, body: unknown, retryAfter: string | null): ApiError {
  const errorBody = body as ErrorBody | null;
  return new ApiError(status, errorMessage(status, errorBody, retryAfter), errorBody?.details);
}

export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

export function toSearch(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(name, value.join(','));
    } else search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

const LOGIN_PATH = '/auth/login';

export function jsonBody(method: string, value: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export async function request<T>(path: string, init: RequestInit = {}, renewed = false): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  const sentToken = bearerToken;
  if (sentToken) headers.set('authorization', `Bearer ${sentToken}`);
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { ...init, headers });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) {
    const errorBody = body as ErrorBody | null;
    if (response.status === 401 && path === LOGIN_PATH) {
      throw new ApiError(401, typeof errorBody?.message === 'string' ? `${errorBody.message}.` : 'Sign-in failed.');
    }
    // A refusal of a token already replaced (signed out or in again meanwhile) says nothing about the session now.
    if (response.status === 401 && sentToken !== null && sentToken === bearerToken && !renewed && (await handlers.renew())) {
      return request<T>(path, init, true);
    }
    if (response.status === 401 && sentToken === bearerToken) handlers.unauthorized(sentToken ? 'expired' : 'required');
    if (response.status === 403 && errorBody?.code === PASSWORD_CHANGE_REQUIRED) handlers.passwordChangeRequired();
    else if (response.status === 403 && sentToken !== null) handlers.forbidden();
    throw failure(response.status, errorBody, response.headers.get('retry-after'));
  }
  return body as T;
}

/**
 * The session this browser keeps in its refresh cookie (HttpOnly: no script reads it): a new access token and the
 * user as they are now, `null` when nobody is signed in here, `ended` when the sign-in is over.
 */
async function refreshSession(): Promise<Session | null | 'ended'> {
  let response: Response;
  try {
    response = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return null;
  }
  if (response.status === 204) return null;
  if (response.status === 401) return 'ended';
  if (!response.ok) return null;
  return (await response.json()) as Session;
}

export interface CommitmentFilters {
  companyId?: readonly string[];
  vendor?: readonly string[];
  kind?: readonly AcceleratorKind[];
  status?: readonly CommitmentStatus[];
  from?: string;
  to?: string;
}

export interface CapacityFilters extends CommitmentFilters {
  metric: Metric;
  precision: Precision;
  basis: Basis;
  /** Left out: `user`, the server's default. */
  attribution?: Attribution;
}

export interface CapacityQuery extends CapacityFilters {
  groupBy: GroupBy;
  cumulative?: boolean;
  top?: number;
}

export interface CommitmentListQuery extends CommitmentFilters {
  /** How `from`/`to` select records: by delivery window (the default) or by announcement date. */
  basis?: Basis;
  q?: string;
  sort?: string;
  page?: number;
  limit?: number;
  superseded?: boolean;
  /** Only records that run on one of these companies' chips. */
  hostCompanyId?: readonly string[];
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
  page?: number;
  limit?: number;
}

export interface UserChange {
  role?: Role;
  password?: string;
  disabled?: boolean;
}

export interface ImportOutcome {
  /** False when the file has errors (422): nothing was written, and the report lists them. */
  accepted: boolean;
  report: ImportReport;
}

export interface ImportProgress {
  /** Bytes sent so far and in all; once they are equal, the server is reading the file. */
  loaded: number;
  total: number;
}

/**
 * Sends a CSV file to an import route with XMLHttpRequest, the one browser API that reports upload progress.
 * A 422 is an answer, not a failure: its body is the report of every problem.
 */
function uploadCsv(
  path: string,
  file: Blob,
  dryRun: boolean,
  onProgress: (progress: ImportProgress) => void,
  query: Record<string, string> = {},
): Promise<ImportOutcome> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}${toSearch({ dryRun, ...query })}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.setRequestHeader('accept', 'application/json');
    if (bearerToken) xhr.setRequestHeader('authorization', `Bearer ${bearerToken}`);
    xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    xhr.onerror = () => reject(new ApiError(0, 'The server cannot be reached. Check your connection and try again.'));
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status === 200 || xhr.status === 422) resolve({ accepted: xhr.status === 200, report: body as ImportReport });
      else reject(failure(xhr.status, body, xhr.getResponseHeader('retry-after')));
    };
    xhr.send(file);
  });
}

/** A CSV file from the API, fetched with the session's token, for the browser to save. */
async function fetchFile(url: string): Promise<Blob> {
  const headers = new Headers({ accept: 'text/csv' });
  if (bearerToken) headers.set('authorization', `Bearer ${bearerToken}`);
  const response = await fetch(url, { headers }).catch(() => {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  });
  if (!response.ok) throw failure(response.status, parseJson(await response.text()), response.headers.get('retry-after'));
  return response.blob();
}

/** The export of the filtered list as a file. */
function exportCommitments(query: Omit<CommitmentListQuery, 'page' | 'limit' | 'sort'>): Promise<Blob> {
  return fetchFile(`/api/commitments/export${toSearch({ ...query, format: 'csv' })}`);
}

/** The audit trail's export for the same filters, fetched with the session's token as a file to save. */
function exportAudit(query: Omit<AuditQuery, 'page' | 'limit'>): Promise<Blob> {
  return fetchFile(`/api/audit/export${toSearch({ ...query, format: 'csv' })}`);
}

export const api = {
  login: (email: string, password: string) => request<Session>(LOGIN_PATH, jsonBody('POST', { email, password })),
  refreshSession,
  /** Ends this sign-in at once, on every instance, with the browser's refresh cookie. */
  logout: () => request<null>('/auth/logout', { method: 'POST' }),
  me: () => request<Session['user']>('/auth/me'),
  apiTokens: () => request<ApiToken[]>('/auth/tokens'),
  /** The token is in this answer only. */
  createApiToken: (dto: CreateApiTokenDto) => request<CreatedApiToken>('/auth/tokens', jsonBody('POST', dto)),
  deleteApiToken: (id: string) => request<null>(`/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  /** Answers with a new session: tokens issued before stop working. */
  changePassword: (currentPassword: string, newPassword: string) =>
    request<Session>('/auth/password', jsonBody('POST', { currentPassword, newPassword })),
  users: () => request<User[]>('/users'),
  createUser: (user: { email: string; password: string; role: Role }) => request<User>('/users', jsonBody('POST', user)),
  updateUser: (id: string, change: UserChange) => request<User>(`/users/${encodeURIComponent(id)}`, jsonBody('PATCH', change)),
  audit: (query: AuditQuery) => request<AuditPage>(`/audit${toSearch({ ...query })}`),
  capacity: (query: CapacityQuery) => request<CapacityResponse>(`/capacity${toSearch({ ...query })}`),
  capacitySummary: (query: CapacityFilters) => request<CapacitySummaryResponse>(`/capacity/summary${toSearch({ ...query })}`),
  /** The records behind `excluded`, with their reasons, a page at a time. */
  capacityExcluded: (query: CapacityFilters & { page?: number; limit?: number }) =>
    request<CapacityExcludedResponse>(`/capacity/excluded${toSearch({ ...query })}`),
  commitments: (query: CommitmentListQuery) => request<CommitmentPage>(`/commitments${toSearch({ ...query })}`),
  commitment: (id: string) => request<Commitment>(`/commitments/${encodeURIComponent(id)}`),
  /** Needs a sign-in (viewer and up). */
  commitmentHistory: (id: string) => request<AuditEntry[]>(`/commitments/${encodeURIComponent(id)}/history`),
  /** The answer names the stored records the new one may repeat (`possibleDuplicates`). */
  createCommitment: (dto: CreateCommitmentDto) => request<WrittenCommitment>('/commitments', jsonBody('POST', dto)),
  /** Several records in one transaction: all are created, or none (400 naming `items[i].field`). */
  createCommitments: (items: CreateCommitmentDto[]) => request<WrittenCommitment[]>('/commitments/batch', jsonBody('POST', { items })),
  updateCommitment: (id: string, dto: UpdateCommitmentDto) =>
    request<WrittenCommitment>(`/commitments/${encodeURIComponent(id)}`, jsonBody('PATCH', dto)),
  /** Soft delete: the record stops counting; the audit trail keeps it. A stale `version` is a 409. */
  deleteCommitment: (id: string, version: number) =>
    request<null>(`/commitments/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { 'if-match': `"${version}"` } }),
  exportCommitments,
  exportAudit,
  companies: () => request<CompanyRecord[]>('/companies'),
  createCompany: (dto: CreateCompanyDto) => request<CompanyRecord>('/companies', jsonBody('POST', dto)),
  updateCompany: (id: string, dto: UpdateCompanyDto) =>
    request<CompanyRecord>(`/companies/${encodeURIComponent(id)}`, jsonBody('PATCH', dto)),
  accelerators: () => request<AcceleratorRecord[]>('/accelerators'),
  createAccelerator: (dto: CreateAcceleratorDto) => request<AcceleratorRecord>('/accelerators', jsonBody('POST', dto)),
  updateAccelerator: (id: string, dto: UpdateAcceleratorDto) =>
    request<AcceleratorRecord>(`/accelerators/${encodeURIComponent(id)}`, jsonBody('PATCH', dto)),
  feeds: () => request<Feed[]>('/feeds'),
  createFeed: (dto: { url: string; name: string }) => request<Feed>('/feeds', jsonBody('POST', dto)),
  deleteFeed: (id: string) => request<null>(`/feeds/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  pollFeed: (id: string) => request<PollResult>(`/feeds/${encodeURIComponent(id)}/poll`, { method: 'POST' }),
  inbox: (query: { status?: InboxStatus; page?: number; limit?: number }) =>
    request<{ items: InboxItem[]; total: number; page: number; limit: number }>(`/inbox${toSearch({ ...query })}`),
  acceptInboxItem: (id: string, candidates: AcceptedCandidateDto[]) =>
    request<{ item: InboxItem; commitments: Commitment[] }>(`/inbox/${encodeURIComponent(id)}/accept`, jsonBody('POST', { candidates })),
  dismissInboxItem: (id: string) => request<InboxItem>(`/inbox/${encodeURIComponent(id)}/dismiss`, { method: 'POST' }),
  extract: (input: { text: string; publishedOn: string; language?: string }) =>
    request<ExtractionResult>('/extract', jsonBody('POST', input)),
  importCsv: (file: Blob, dryRun: boolean, onProgress: (progress: ImportProgress) => void) =>
    uploadCsv('/imports', file, dryRun, onProgress),
  /** Epoch AI's ml_hardware.csv into the chip catalog. */
  importEpochHardware: (file: Blob, dryRun: boolean) => uploadCsv('/accelerators/import/epoch', file, dryRun, () => undefined),
  /** Epoch AI's GPU Clusters CSV as commitments; `publishedOn` dates the rows that give no date. */
  importEpochClusters: (file: Blob, dryRun: boolean, publishedOn: string, onProgress: (progress: ImportProgress) => void) =>
    uploadCsv('/imports/epoch-clusters', file, dryRun, onProgress, publishedOn ? { publishedOn } : {}),
  /** The scheduled import of EPOCH_CLUSTERS_URL: its setting and last run. */
  epochClustersSync: () => request<EpochClustersSyncStatus>('/imports/epoch-clusters/sync'),
  runEpochClustersSync: () => request<EpochClustersRun>('/imports/epoch-clusters/sync', { method: 'POST' }),
};
