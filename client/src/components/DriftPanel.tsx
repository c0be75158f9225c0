import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ChartData } from 'chart.js';
import { useState } from 'react';
import { ChartPanel } from '../charts/ChartPanel';
import { BAND_LABELS, quarterChartOptions } from '../charts/options';
import { type DashboardState, capacityFilters } from '../dashboard-state';
import { formatMetric, METRIC_LABELS } from '../format';
import { capacityDrift, type DriftStep } from '../time-api';
import { ErrorMessage, Skeleton } from './states';

const STEP_NAMES: Record<DriftStep, string> = { day: 'each day', week: 'each week', month: 'each month' };
const LINE = '#1f5fa8';
const BAND_FILL = 'rgba(31, 95, 168, 0.14)';

/** The quarters offered: three years back to four ahead of this one. */
function quarterChoices(year: number): string[] {
  const quarters: string[] = [];
  for (let y = year - 3; y <= year + 4; y++) for (let q = 1; q <= 4; q++) quarters.push(`${y}-Q${q}`);
  return quarters;
}

/**
 * "How the forecast moved": the cumulative total up to a quarter as the ledger stood at the end of each day, week
 * or month of the past year, with the dashboard's filters, metric, precision and basis.
 */
export function DriftPanel({ state }: { state: DashboardState }) {
  const year = new Date().getUTCFullYear();
  const [quarter, setQuarter] = useState(`${year}-Q4`);
  const [step, setStep] = useState<DriftStep>('month');
  const { from: _from, to: _to, ...filters } = capacityFilters(state);
  const query = { ...filters, quarter, step };
  const drift = useQuery({ queryKey: ['capacity-drift', query], queryFn: () => capacityDrift(query), placeholderData: keepPreviousData });
  const unit = METRIC_LABELS[state.metric];

  const controls = (
    <div className="drift-controls">
      <label>
        Forecast for{' '}
        <select value={quarter} onChange={(event) => setQuarter(event.target.value)} data-testid="drift-quarter">
          {quarterChoices(year).map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        as it stood{' '}
        <select value={step} onChange={(event) => setStep(event.target.value as DriftStep)} data-testid="drift-step">
          {(Object.keys(STEP_NAMES) as DriftStep[]).map((choice) => (
            <option key={choice} value={choice}>
              {STEP_NAMES[choice]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
  if (drift.isError) {
    return (
      <div>
        {controls}
        <ErrorMessage error={drift.error} onRetry={() => void drift.refetch()} />
      </div>
    );
  }
  if (!drift.data) return <Skeleton label="Loading how the forecast moved…" />;
  const { dates, values, low, high } = drift.data;
  const data: ChartData<'line', number[], string> = {
    labels: dates,
    datasets: [
      {
        label: `Cumulative to ${drift.data.quarter}`,
        data: values,
        borderColor: LINE,
        backgroundColor: LINE,
        borderWidth: 2,
        pointRadius: 2,
        tension: 0,
      },
      { label: BAND_LABELS.low, data: low, borderColor: 'rgba(0,0,0,0)', backgroundColor: 'rgba(0,0,0,0)', pointRadius: 0, fill: false },
      { label: BAND_LABELS.high, data: high, borderColor: 'rgba(0,0,0,0)', backgroundColor: BAND_FILL, pointRadius: 0, fill: '-1' },
    ],
  };
  const last = values.length - 1;
  return (
    <div>
      {controls}
      <ChartPanel
        id="forecast-drift"
        title={`Forecast for ${drift.data.quarter}, as it stood ${STEP_NAMES[step]} (${unit})`}
        note={`Everything counted up to and including ${drift.data.quarter}, as the ledger stood at the end of each date; the band runs from its low to its high.`}
        type="line"
        data={data}
        options={quarterChartOptions<'line'>(state.metric, false)}
        table={{
          columns: ['Date', `Cumulative to ${drift.data.quarter}`, BAND_LABELS.low, BAND_LABELS.high],
          rows: dates.map((date, index) => [date, values[index], low[index], high[index]]),
        }}
        summary={`A line over ${dates.length} dates from ${dates[0]} to ${dates[last]}: from ${formatMetric(values[0] ?? 0, state.metric)} to ${formatMetric(values[last] ?? 0, state.metric)}.`}
      />
    </div>
  );
}
