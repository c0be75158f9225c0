import type { CapacityResponse, CapacitySeries } from '../api-types';
import type { DataTable } from './csv';

export const OTHERS_KEY = 'others';

export function seriesTotal(series: CapacitySeries): number {
  return series.values.reduce((sum, value) => sum + value, 0);
}

/** The keys of the `count` largest series by their total over the period, largest first. */
export function topKeys(response: CapacityResponse, count: number): string[] {
  return [...response.series]
    .map((series) => ({ key: series.key, total: seriesTotal(series) }))
    .filter((entry) => entry.total > 0)
    .sort((a, b) => b.total - a.total)
    .slice(0, count)
    .map((entry) => entry.key);
}

/**
 * The chosen series in the given order, the rest summed into one "Others" series. The dashboard picks the keys
 * once (from the per-quarter figures) and folds every company chart with them, so the bar and the cumulative
 * charts show the same companies in the same colours.
 */
export function foldSeries(response: CapacityResponse, keys: readonly string[]): CapacitySeries[] {
  const byKey = new Map(response.series.map((series) => [series.key, series]));
  const chosen = keys.map((key) => byKey.get(key)).filter((series): series is CapacitySeries => series !== undefined);
  const rest = response.series.filter((series) => !keys.includes(series.key));
  if (rest.length === 0) return chosen;
  const values = response.quarters.map((_, index) => rest.reduce((sum, series) => sum + (series.values[index] ?? 0), 0));
  return values.some((value) => value !== 0) ? [...chosen, { key: OTHERS_KEY, label: 'Others', values }] : chosen;
}

/** Quarters as rows, one column per series. */
export function quarterTable(quarters: readonly string[], series: readonly CapacitySeries[]): DataTable {
  return {
    columns: ['Quarter', ...series.map((entry) => entry.label)],
    rows: quarters.map((quarter, index) => [quarter, ...series.map((entry) => entry.values[index] ?? 0)]),
  };
}
