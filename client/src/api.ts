import type {
  AcceleratorKind,
  AcceleratorRecord,
  Basis,
  CapacityResponse,
  CapacitySummaryResponse,
  GroupBy,
  Commitment,
  CommitmentPage,
  CommitmentStatus,
  CompanyRecord,
  CreateAcceleratorDto,
  CreateCommitmentDto,
  CreateCompanyDto,
  ExtractionResult,
  FieldError,
  ImportReport,
  Metric,
  Precision,
  UpdateAcceleratorDto,
  UpdateCommitmentDto,
  UpdateCompanyDto,
} from './api-types';

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

  /** The server's message for each field it refused (400 details[]), keyed by the field's path (`sources[0].url`). */
  get fieldErrors(): Record<string, string> {
    if (!Array.isArray(this.details)) return {};
    return Object.fromEntries((this.details as FieldError[]).map((detail) => [detail.field, detail.messages.join('; ')]));
  }

  /** The record as it is now, which a 409 carries so that the editor can compare it with their own values. */
  get currentRecord(): unknown {
    const details = this.details as { current?: unknown } | undefined;
    return this.status === 409 && details && !Array.isArray(details) ? (details.current ?? null) : null;
  }
}

interface ErrorBody {
  statusCode?: number;
  message?: string | string[];
  details?: unknown;
}

/** The one place that turns HTTP errors into messages people understand. */
export function errorMessage(status: number, body: ErrorBody | null, retryAfter: string | null): string {
  const serverMessage = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
  switch (true) {
    case status === 400 || status === 422:
      return `The request was not accepted: ${serverMessage ?? 'check the filters and try again'}.`;
    case status === 401:
      return 'Please sign in to see this page.';
    case status === 403:
      return 'Your account is not allowed to do this. Ask an administrator for access.';
    case status === 404:
      return serverMessage ? `Not found: ${serverMessage}.` : 'This record does not exist (it may have been deleted).';
    case status === 409:
      return 'Someone else changed this record in the meantime. Reload it and apply your change again.';
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

const TOKEN_STORAGE_KEY = 'computeLedger.accessToken';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let bearerToken: string | null = storage()?.getItem(TOKEN_STORAGE_KEY) ?? null;

/** Where a signed-in session's token is kept (and remembered across reloads); every request sends it. */
export function setBearerToken(token: string | null): void {
  bearerToken = token;
  if (token) storage()?.setItem(TOKEN_STORAGE_KEY, token);
  else storage()?.removeItem(TOKEN_STORAGE_KEY);
}

/** Whether a session's token is held: pages leave out what only signed-in people may read. */
export function isSignedIn(): boolean {
  return bearerToken !== null;
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

function failure(status: number, body: unknown, retryAfter: string | null): ApiError {
  const errorBody = body as ErrorBody | null;
  return new ApiError(status, errorMessage(status, errorBody, retryAfter), errorBody?.details);
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  if (bearerToken) headers.set('authorization', `Bearer ${bearerToken}`);
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { ...init, headers });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) throw failure(response.status, body, response.headers.get('retry-after'));
  return body as T;
}

function send<T>(method: 'POST' | 'PATCH', path: string, json: unknown): Promise<T> {
  return request<T>(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
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
 * Sends a CSV file to the import with XMLHttpRequest, the one browser API that reports upload progress.
 * A 422 is an answer, not a failure: its body is the report of every problem.
 */
function uploadImport(file: Blob, dryRun: boolean, onProgress: (progress: ImportProgress) => void): Promise<ImportOutcome> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports${toSearch({ dryRun })}`);
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

/** The export of the filtered list as a file, fetched with the session's token and handed to the browser to save. */
async function exportCommitments(query: Omit<CommitmentListQuery, 'page' | 'limit' | 'sort'>): Promise<Blob> {
  const headers = new Headers({ accept: 'text/csv' });
  if (bearerToken) headers.set('authorization', `Bearer ${bearerToken}`);
  const response = await fetch(`/api/commitments/export${toSearch({ ...query, format: 'csv' })}`, { headers }).catch(() => {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  });
  if (!response.ok) throw failure(response.status, parseJson(await response.text()), response.headers.get('retry-after'));
  return response.blob();
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
}

export interface CapacityQuery extends CapacityFilters {
  groupBy: GroupBy;
  cumulative?: boolean;
  top?: number;
}

export interface CommitmentListQuery extends CommitmentFilters {
  q?: string;
  sort?: string;
  page?: number;
  limit?: number;
  superseded?: boolean;
}

export const api = {
  capacity: (query: CapacityQuery) => request<CapacityResponse>(`/capacity${toSearch({ ...query })}`),
  capacitySummary: (query: CapacityFilters) => request<CapacitySummaryResponse>(`/capacity/summary${toSearch({ ...query })}`),
  commitments: (query: CommitmentListQuery) => request<CommitmentPage>(`/commitments${toSearch({ ...query })}`),
  commitment: (id: string) => request<Commitment>(`/commitments/${encodeURIComponent(id)}`),
  /** The change history, or null where the server does not keep one (404) or does not show it to this caller. */
  commitmentHistory: async (id: string) => {
    try {
      return await request<HistoryEntry[]>(`/commitments/${encodeURIComponent(id)}/history`);
    } catch (error) {
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) return null;
      throw error;
    }
  },
  createCommitment: (dto: CreateCommitmentDto) => send<Commitment>('POST', '/commitments', dto),
  /** Several records in one transaction: all are created, or none (400 naming `items[i].field`). */
  createCommitments: (items: CreateCommitmentDto[]) => send<Commitment[]>('POST', '/commitments/batch', { items }),
  updateCommitment: (id: string, dto: UpdateCommitmentDto) => send<Commitment>('PATCH', `/commitments/${encodeURIComponent(id)}`, dto),
  exportCommitments,
  companies: () => request<CompanyRecord[]>('/companies'),
  createCompany: (dto: CreateCompanyDto) => send<CompanyRecord>('POST', '/companies', dto),
  updateCompany: (id: string, dto: UpdateCompanyDto) => send<CompanyRecord>('PATCH', `/companies/${encodeURIComponent(id)}`, dto),
  accelerators: () => request<AcceleratorRecord[]>('/accelerators'),
  createAccelerator: (dto: CreateAcceleratorDto) => send<AcceleratorRecord>('POST', '/accelerators', dto),
  updateAccelerator: (id: string, dto: UpdateAcceleratorDto) =>
    send<AcceleratorRecord>('PATCH', `/accelerators/${encodeURIComponent(id)}`, dto),
  extract: (input: { text: string; publishedOn: string; language?: string }) => send<ExtractionResult>('POST', '/extract', input),
  importCsv: uploadImport,
};

/** One audit entry as the history endpoint returns it; fields beyond these are shown as changes. */
export interface HistoryEntry {
  id?: string;
  action?: string;
  actorId?: string | null;
  actor?: { email?: string } | null;
  at?: string;
  createdAt?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}
