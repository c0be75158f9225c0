import type { ChartData } from 'chart.js';
import type { CapacitySeries } from '../api-types';
import { OTHERS_COLOUR } from './palette';

/** One dataset per series over the answer's quarters, in each series' colour (grey where it has none). */
export function quarterData(
  response: { quarters: string[] },
  series: readonly CapacitySeries[],
  colours: Map<string, string>,
  line: boolean,
): ChartData<'bar' | 'line', number[], string> {
  return {
    labels: response.quarters,
    datasets: series.map((entry) => {
      const colour = colours.get(entry.key) ?? OTHERS_COLOUR;
      return {
        label: entry.label,
        data: entry.values,
        backgroundColor: colour,
        borderColor: colour,
        // Straight segments: a running total never falls, and a smoothed curve would dip between quarters.
        ...(line ? { borderWidth: 2, pointRadius: 2, tension: 0 } : { borderWidth: 0 }),
      };
    }),
  };
}
