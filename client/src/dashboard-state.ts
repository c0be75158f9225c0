import {
  ACCELERATOR_KINDS,
  type AcceleratorKind,
  COMMITMENT_STATUSES,
  type CommitmentStatus,
  type Metric,
  PRECISIONS,
  type Precision,
} from './api-types';
import { ATTRIBUTIONS, type Attribution, type Basis } from './api-types';
import type { CapacityFilters, CapacityQuery, CommitmentFilters } from './api';

/** Everything the dashboard shows is decided by these, and all of them live in the URL. */
export interface DashboardState extends Required<Pick<CommitmentFilters, 'companyId' | 'vendor' | 'kind' | 'status'>> {
  metric: Metric;
  basis: Basis;
  precision: Precision;
  cumulative: boolean;
  from: string;
  to: string;
  /** Whose chips a tenant's share is: the user's (the tenant's) or the owner's (the host's). */
  attribution: Attribution;
  /** How the main charts group the capacity. */
  view: DashboardView;
}

/** The groupings the main charts offer; the others (vendor, chip kind) have charts of their own. */
export const DASHBOARD_VIEWS = ['company', 'country', 'companyKind'] as const;
export type DashboardView = (typeof DASHBOARD_VIEWS)[number];

export const DEFAULT_DASHBOARD: DashboardState = {
  metric: 'h100e',
  basis: 'delivery',
  precision: 'bf16',
  cumulative: false,
  from: '',
  to: '',
  attribution: 'user',
  view: 'company',
  companyId: [],
  vendor: [],
  kind: [],
  status: [],
};

const QUARTER = /^\d{4}-Q[1-4]$/;

function oneOf<Value extends string>(value: string | null, allowed: readonly Value[], fallback: Value): Value {
  return allowed.includes(value as Value) ? (value as Value) : fallback;
}

function list(params: URLSearchParams, name: string): string[] {
  return (params.get(name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function readDashboardState(params: URLSearchParams): DashboardState {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    metric: oneOf(params.get('metric'), ['h100e', 'units', 'power_mw'] as const, DEFAULT_DASHBOARD.metric),
    basis: oneOf(params.get('basis'), ['delivery', 'announced'] as const, DEFAULT_DASHBOARD.basis),
    precision: oneOf(params.get('precision'), PRECISIONS, DEFAULT_DASHBOARD.precision),
    cumulative: params.get('cumulative') === 'true',
    from: QUARTER.test(from) ? from : '',
    to: QUARTER.test(to) ? to : '',
    attribution: oneOf(params.get('attribution'), ATTRIBUTIONS, DEFAULT_DASHBOARD.attribution),
    view: oneOf(params.get('groupBy'), DASHBOARD_VIEWS, DEFAULT_DASHBOARD.view),
    companyId: list(params, 'company'),
    vendor: list(params, 'vendor'),
    kind: list(params, 'kind').filter((kind): kind is AcceleratorKind => (ACCELERATOR_KINDS as readonly string[]).includes(kind)),
    status: list(params, 'status').filter((status): status is CommitmentStatus =>
      (COMMITMENT_STATUSES as readonly string[]).includes(status),
    ),
  };
}

/** The URL form: defaults are left out, so the plain dashboard has a plain URL. */
export function writeDashboardState(state: DashboardState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.metric !== DEFAULT_DASHBOARD.metric) params.set('metric', state.metric);
  if (state.basis !== DEFAULT_DASHBOARD.basis) params.set('basis', state.basis);
  if (state.metric === 'h100e' && state.precision !== DEFAULT_DASHBOARD.precision) params.set('precision', state.precision);
  if (state.cumulative) params.set('cumulative', 'true');
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.attribution !== DEFAULT_DASHBOARD.attribution) params.set('attribution', state.attribution);
  if (state.view !== DEFAULT_DASHBOARD.view) params.set('groupBy', state.view);
  if (state.companyId.length) params.set('company', state.companyId.join(','));
  if (state.vendor.length) params.set('vendor', state.vendor.join(','));
  if (state.kind.length) params.set('kind', state.kind.join(','));
  if (state.status.length) params.set('status', state.status.join(','));
  return params;
}

/** The record filters and the period of a view (the dashboard's or the list's) as the API takes them. */
export function filtersOf(state: Pick<DashboardState, 'companyId' | 'vendor' | 'kind' | 'status' | 'from' | 'to'>): CommitmentFilters {
  return {
    companyId: state.companyId,
    vendor: state.vendor,
    kind: state.kind,
    status: state.status,
    from: state.from || undefined,
    to: state.to || undefined,
  };
}

/** The precision picks the H100-equivalent factor; for units and megawatts it is left at its default. */
export function capacityFilters(state: DashboardState): CapacityFilters {
  const precision = state.metric === 'h100e' ? state.precision : DEFAULT_DASHBOARD.precision;
  // The default attribution is left out, so the plain dashboard asks what it always asked.
  const attribution = state.attribution === DEFAULT_DASHBOARD.attribution ? {} : { attribution: state.attribution };
  return { ...filtersOf(state), metric: state.metric, precision, basis: state.basis, ...attribution };
}

/** Whether the view is narrowed to some companies, vendors or chip kinds (the period and statuses aside). */
export function hasRecordFilters(state: DashboardState): boolean {
  return state.companyId.length + state.vendor.length + state.kind.length > 0;
}

/** How many filters differ from the plain dashboard, for the folded filters' button. */
export function activeFilterCount(state: DashboardState): number {
  return (Object.keys(DEFAULT_DASHBOARD) as (keyof DashboardState)[]).filter(
    (name) =>
      JSON.stringify(state[name]) !== JSON.stringify(DEFAULT_DASHBOARD[name]) && !(name === 'precision' && state.metric !== 'h100e'),
  ).length;
}

export function capacityQuery(state: DashboardState, groupBy: CapacityQuery['groupBy'], extra: Partial<CapacityQuery> = {}): CapacityQuery {
  return { ...capacityFilters(state), groupBy, ...extra };
}
