import {
  ACCELERATOR_KINDS,
  type AcceleratorKind,
  type Basis,
  COMMITMENT_SORTS,
  COMMITMENT_STATUSES,
  type CommitmentStatus,
} from './api-types';
import { type CommitmentListQuery, toSearch } from './api';
import { filtersOf } from './dashboard-state';

/**
 * The commitments list as its URL holds it, every parameter named as the API names it, so that
 * `/commitments?companyId=…&vendor=…&q=…` reads like the request it makes.
 */
export interface ListState {
  companyId: readonly string[];
  vendor: readonly string[];
  kind: readonly AcceleratorKind[];
  status: readonly CommitmentStatus[];
  from: string;
  to: string;
  basis: Basis;
  q: string;
  sort: string;
  page: number;
}

export const DEFAULT_SORT = '-announcedOn';
export const LIST_DEFAULTS: ListState = {
  companyId: [],
  vendor: [],
  kind: [],
  status: [],
  from: '',
  to: '',
  basis: 'delivery',
  q: '',
  sort: DEFAULT_SORT,
  page: 1,
};

const QUARTER = /^\d{4}-Q[1-4]$/;
const SORTS = COMMITMENT_SORTS.flatMap((field) => [field, `-${field}`]);

function list(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
}

const among = <Value extends string>(values: string[], allowed: readonly Value[]) =>
  values.filter((value): value is Value => (allowed as readonly string[]).includes(value));

export function readListState(params: URLSearchParams): ListState {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const sort = params.get('sort') ?? DEFAULT_SORT;
  return {
    companyId: list(params, 'companyId'),
    vendor: list(params, 'vendor'),
    kind: among(list(params, 'kind'), ACCELERATOR_KINDS),
    status: among(list(params, 'status'), COMMITMENT_STATUSES),
    from: QUARTER.test(from) ? from : '',
    to: QUARTER.test(to) ? to : '',
    basis: params.get('basis') === 'announced' ? 'announced' : 'delivery',
    q: params.get('q') ?? '',
    sort: SORTS.includes(sort) ? sort : DEFAULT_SORT,
    page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1),
  };
}

/** The request for the state: defaults left out. */
export function listQuery(state: ListState): CommitmentListQuery {
  return {
    ...filtersOf(state),
    basis: (state.from || state.to) && state.basis !== 'delivery' ? state.basis : undefined,
    q: state.q || undefined,
    sort: state.sort === DEFAULT_SORT ? undefined : state.sort,
    page: state.page > 1 ? state.page : undefined,
  };
}

/** The URL form: the request's parameters. */
export function writeListState(state: ListState): URLSearchParams {
  return new URLSearchParams(toSearch({ ...listQuery(state) }));
}

/** The list's address for some filters: the dashboard's "all commitments of this view" and any other link in. */
export function commitmentsListPath(filters: Partial<ListState>): string {
  const search = writeListState({ ...LIST_DEFAULTS, ...filters }).toString();
  return search ? `/commitments?${search}` : '/commitments';
}

/** How many filters narrow the list (the search, the order and the page aside). */
export function listFilterCount(state: ListState): number {
  return [state.companyId.length, state.vendor.length, state.kind.length, state.status.length, state.from, state.to].filter(Boolean).length;
}
