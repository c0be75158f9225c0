import type {
  Accelerator,
  AcceleratorKind,
  Basis,
  CapacityResponse,
  CapacitySummaryResponse,
  GroupBy,
  Commitment,
  CommitmentPage,
  CommitmentStatus,
  CompanySummary,
  Metric,
  Precision,
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

let bearerToken: string | null = null;

/** Where a signed-in session's token is kept; every request sends it. */
export function setBearerToken(token: string | null): void {
  bearerToken = token;
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
  if (!response.ok) {
    const errorBody = body as ErrorBody | null;
    throw new ApiError(response.status, errorMessage(response.status, errorBody, response.headers.get('retry-after')), errorBody?.details);
  }
  return body as T;
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
  /** The change history, or null where the server does not keep one (404). */
  commitmentHistory: async (id: string) => {
    try {
      return await request<HistoryEntry[]>(`/commitments/${encodeURIComponent(id)}/history`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  companies: () => request<CompanySummary[]>('/companies'),
  accelerators: () => request<Accelerator[]>('/accelerators'),
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
