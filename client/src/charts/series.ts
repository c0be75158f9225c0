import type { CapacitySeries } from '../api-types';
import type { DataTable } from './csv';

/** The key the API gives the series that folds every company after the top ones (`top=N`). */
export const OTHERS_KEY = 'others';

export function seriesTotal(series: CapacitySeries): number {
  return series.values.reduce((sum, value) => sum + value, 0);
}

/** The total of all series in each quarter, with its low and high (the band around the stacked bars). */
export function quarterTotals(
  quarters: readonly string[],
  series: readonly CapacitySeries[],
): { values: number[]; low: number[]; high: number[] } {
  const sum = (pick: (entry: CapacitySeries) => number[]) =>
    quarters.map((_, index) => series.reduce((total, entry) => total + (pick(entry)[index] ?? 0), 0));
  return { values: sum((entry) => entry.values), low: sum((entry) => entry.low), high: sum((entry) => entry.high) };
}

/** Quarters as rows, one column per series, and (with `band`) the low and high of their total. */
export function quarterBandTable(
  quarters: readonly string[],
  series: readonly CapacitySeries[],
  band: { low: string; high: string },
): DataTable {
  const table = quarterTable(quarters, series);
  const totals = quarterTotals(quarters, series);
  return {
    columns: [...table.columns, band.low, band.high],
    rows: table.rows.map((row, index) => [...row, totals.low[index], totals.high[index]]),
  };
}

/** Quarters as rows, one column per series. */
export function quarterTable(quarters: readonly string[], series: readonly CapacitySeries[]): DataTable {
  return {
    columns: ['Quarter', ...series.map((entry) => entry.label)],
    rows: quarters.map((quarter, index) => [quarter, ...series.map((entry) => entry.values[index] ?? 0)]),
  };
}
