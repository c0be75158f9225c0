import type { CapacitySeries } from '../api-types';
import type { DataTable } from './csv';

/** The key the API gives the series that folds every company after the top ones (`top=N`). */
export const OTHERS_KEY = 'others';

export function seriesTotal(series: CapacitySeries): number {
  return series.values.reduce((sum, value) => sum + value, 0);
}

/** Quarters as rows, one column per series. */
export function quarterTable(quarters: readonly string[], series: readonly CapacitySeries[]): DataTable {
  return {
    columns: ['Quarter', ...series.map((entry) => entry.label)],
    rows: quarters.map((quarter, index) => [quarter, ...series.map((entry) => entry.values[index] ?? 0)]),
  };
}
