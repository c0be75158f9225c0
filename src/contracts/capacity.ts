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
  /** The low and high of each value: low ≤ value ≤ high (cumulative where the values are). */
  low: number[];
  high: number[];
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
  /** The low and high of `total`. */
  low: number;
  high: number;
  /** Counted records with an amount in the period and no known upper bound (`at_least` without an amountHigh). */
  openAbove: number;
  excluded: CapacityExclusions;
}

/** `GET /api/capacity/summary` */
export interface CapacitySummaryResponse {
  metric: Metric;
  precision: Precision;
  basis: Basis;
  /** Everything counted in the period: the `total` of `GET /api/capacity` with the same parameters. */
  total: number;
  /** Its low and high, and the records counted that have no upper bound, as `GET /api/capacity` gives them. */
  low: number;
  high: number;
  openAbove: number;
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
  /** Everything the company has counted in the period, with its low and high. */
  total: number;
  low: number;
  high: number;
}

/** `GET /api/capacity/top-companies` */
export interface TopCompaniesResponse {
  metric: Metric;
  precision: Precision;
  basis: Basis;
  /** Largest total first, ties by name. */
  companies: TopCompany[];
}

/** A record behind `excluded`: it counts, but has no amount in the metric, for this reason. */
export interface ExcludedRecord {
  id: string;
  companyId: string;
  company: string;
  reason: ExclusionReason;
}

/** `GET /api/capacity/excluded` */
export interface CapacityExcludedResponse {
  /** By company name, then announcement date. */
  items: ExcludedRecord[];
  /** All the records left out: `excluded.count` of `GET /api/capacity` with the same parameters. */
  total: number;
  page: number;
  limit: number;
}

/**
 * `GET /api/capacity/drift`: the cumulative total up to and including `quarter` as the ledger stood at the end of each
 * date, with its low and high, each rounded to 6 decimals.
 */
export interface CapacityDriftResponse {
  quarter: string;
  dates: string[];
  values: number[];
  low: number[];
  high: number[];
}
