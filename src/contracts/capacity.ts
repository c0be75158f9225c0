/**
 * The answers of the capacity endpoints, shared by the server and the web client. Type-only: nothing here pulls
 * framework code into the client.
 */
import type { Basis, ExclusionReason, GroupBy, Metric, Precision } from '../domain/vocabulary.js';

/** Records that count but have no amount in the metric, by reason. */
export interface CapacityExclusions {
  count: number;
  reasons: Record<ExclusionReason, number>;
}

export interface CapacitySeries {
  /** A company or chip id, a vendor name, or a kind (`gpu`, `custom`); `others` for the folded rest. */
  key: string;
  label: string;
  /** One value per quarter of `quarters`. */
  values: number[];
}

/** `GET /api/capacity` */
export interface CapacityResponse {
  metric: Metric;
  basis: Basis;
  groupBy: GroupBy;
  /** Every quarter from `from` to `to`, `YYYY-Qn`; empty when nothing is counted. */
  quarters: string[];
  /** Largest total first; an "Others" series last when `top` folds the rest. */
  series: CapacitySeries[];
  /** Everything counted in the quarters shown (not cumulative). */
  total: number;
  excluded: CapacityExclusions;
}

/** `GET /api/capacity/summary` */
export interface CapacitySummaryResponse {
  metric: Metric;
  precision: Precision;
  basis: Basis;
  /** Everything counted in the period: the `total` of `GET /api/capacity` with the same parameters. */
  total: number;
  /** Companies with a counted amount in the period. */
  companies: number;
  /** Records with a counted amount in the period. */
  recordsCounted: number;
  excluded: CapacityExclusions;
  /** The latest announcement date (`YYYY-MM-DD`) among the records counted; null when none is. */
  latestAnnouncedOn: string | null;
}

export interface TopCompany {
  id: string;
  name: string;
  /** Everything the company has counted in the period. */
  total: number;
}

/** `GET /api/capacity/top-companies` */
export interface TopCompaniesResponse {
  metric: Metric;
  precision: Precision;
  basis: Basis;
  /** Largest total first, ties by name. */
  companies: TopCompany[];
}
