import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ChartData } from 'chart.js';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, type CapacityFilters } from '../api';
import {
  DEFAULT_COUNTED_STATUSES,
  type CapacitySeries,
  type CapacitySummaryResponse,
  type ExclusionReason,
  type Metric,
} from '../api-types';
import { ChartPanel } from '../charts/ChartPanel';
import { BAND_LABELS, bandChartOptions, bandDatasets, quarterChartOptions, shareChartOptions } from '../charts/options';
import { companyColours, groupColours, kindColour, OTHERS_COLOUR, vendorColours } from '../charts/palette';
import { quarterBandTable, quarterTable, quarterTotals, seriesTotal } from '../charts/series';
import { quarterData } from '../charts/quarter-data';
import { ExportButton } from '../components/ExportButton';
import { CommitmentsTable } from '../components/CommitmentsTable';
import { CompanyLinks } from '../components/CompanyLink';
import { DashboardFilters } from '../components/DashboardFilters';
import { DriftPanel } from '../components/DriftPanel';
import { EpochCredit } from '../components/EpochCredit';
import { WatchFilterButton } from '../components/WatchFilterButton';
import { KIND_NAMES } from '../components/filters';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';
import {
  capacityFilters,
  capacityQuery,
  DEFAULT_DASHBOARD,
  type DashboardState,
  type DashboardView,
  filtersOf,
  hasRecordFilters,
  readDashboardState,
  writeDashboardState,
} from '../dashboard-state';
import { commitmentsListPath } from '../list-state';
import { useUrlState } from '../url-state';
import { formatCompact, formatMetric, formatWhole, humanize, METRIC_LABELS } from '../format';

/** Companies with a series of their own; the rest fold into "Others". */
const TOP_COMPANIES = 7;
const KIND_LABELS: Record<string, string> = KIND_NAMES;

function describe(state: DashboardState, quarters: readonly string[]): string {
  const period = quarters.length ? `${quarters[0]} – ${quarters[quarters.length - 1]}` : 'no quarters';
  const basis = state.basis === 'delivery' ? 'spread over delivery windows' : 'in the quarter announced';
  const precision = state.metric === 'h100e' ? `, ${state.precision.toUpperCase()} H100-equivalents` : '';
  const statuses = (state.status.length ? state.status : DEFAULT_COUNTED_STATUSES).join(', ');
  const shares =
    state.attribution === 'owner'
      ? "tenants' shares counted under the owner of the fleet"
      : "tenants' shares counted under the tenant, the owner's fleet less them";
  return `${period}; ${basis}${precision}; status ${statuses}; superseded records not counted; ${shares}.`;
}

/** What the main charts group by, in the titles' words, and the charts' ids. */
const VIEW_WORDS: Record<DashboardView, { title: string; series: string; id: string }> = {
  company: { title: 'company', series: 'Lines per company', id: 'company' },
  country: { title: 'country', series: 'Lines per country', id: 'country' },
  companyKind: { title: 'kind of company', series: 'Lines per kind of company', id: 'company-kind' },
};

function summarize(series: readonly CapacitySeries[], metric: Metric, lastOnly = false): string {
  if (series.length === 0) return 'No data.';
  return series
    .map((entry) => `${entry.label} ${formatMetric(lastOnly ? (entry.values[entry.values.length - 1] ?? 0) : seriesTotal(entry), metric)}`)
    .join(', ');
}

export function DashboardPage() {
  const [state, setState] = useUrlState(readDashboardState, writeDashboardState);

  const summaryQuery = capacityFilters(state);
  const perQuarterQuery = capacityQuery(state, state.view, { cumulative: false, top: TOP_COMPANIES });
  const vendorQuery = capacityQuery(state, 'vendor', { cumulative: false });
  const options = { placeholderData: keepPreviousData };
  // Asked in the order they appear, so the core chart's data is first in the database's queue. The catalog comes
  // with it: a company's or a vendor's colour is its place in the catalog.
  const perQuarter = useQuery({ queryKey: ['capacity', perQuarterQuery], queryFn: () => api.capacity(perQuarterQuery), ...options });
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const accelerators = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });
  const summary = useQuery({ queryKey: ['capacity-summary', summaryQuery], queryFn: () => api.capacitySummary(summaryQuery), ...options });
  // A running total runs to the ledger's last quarter, not to the last quarter of the records shown: with only some
  // companies, vendors or kinds chosen, the server's default would stop where their records stop. The ledger's
  // extent is the answer for the same metric, basis and statuses without those filters; without them, the server's
  // default is already the ledger's, and nothing more is asked.
  const extentQuery = capacityQuery({ ...state, companyId: [], vendor: [], kind: [], from: '', to: '' }, 'kind', { cumulative: false });
  const needsExtent = hasRecordFilters(state) && !state.to;
  const extent = useQuery({
    queryKey: ['capacity', extentQuery],
    queryFn: () => api.capacity(extentQuery),
    enabled: needsExtent,
    ...options,
  });
  const ledgerLast = needsExtent ? extent.data?.quarters.at(-1) : undefined;
  const runningTo = { cumulative: true, ...(ledgerLast ? { to: ledgerLast } : {}) };
  const cumulativeReady = !needsExtent || extent.data !== undefined;
  const cumulativeQuery = capacityQuery(state, state.view, { ...runningTo, top: TOP_COMPANIES });
  const kindQuery = capacityQuery(state, 'kind', state.cumulative ? runningTo : { cumulative: false });
  const cumulative = useQuery({
    queryKey: ['capacity', cumulativeQuery],
    queryFn: () => api.capacity(cumulativeQuery),
    enabled: cumulativeReady,
    ...options,
  });
  const byVendor = useQuery({ queryKey: ['capacity', vendorQuery], queryFn: () => api.capacity(vendorQuery), ...options });
  const byKind = useQuery({
    queryKey: ['capacity', kindQuery],
    queryFn: () => api.capacity(kindQuery),
    enabled: cumulativeReady || !state.cumulative,
    ...options,
  });
  // The latest records wait for the core chart: on a large ledger the list is a query of its own that would compete
  // with the capacity read for the database. They are the records the charts count or leave out (same filters,
  // counted statuses, no superseded ones, the period on the same basis); the "Latest announcement" tile is the first.
  const coreChartAnswered = !perQuarter.isPending;
  const listFilters = {
    ...filtersOf(state),
    status: state.status.length ? state.status : DEFAULT_COUNTED_STATUSES,
    superseded: false,
    basis: state.basis,
  };
  const latest = useQuery({
    queryKey: ['commitments', 'latest', listFilters],
    queryFn: () => api.commitments({ ...listFilters, sort: '-announcedOn', limit: 10 }),
    enabled: coreChartAnswered,
    ...options,
  });

  // Both grouped charts read the same map; "Others" is always grey.
  const colours = useMemo(() => {
    const keys = [...(perQuarter.data?.series ?? []), ...(cumulative.data?.series ?? [])].map((series) => series.key);
    return state.view === 'company' ? companyColours(keys, companies.data ?? []) : groupColours(keys);
  }, [perQuarter.data, cumulative.data, companies.data, state.view]);
  const words = VIEW_WORDS[state.view];
  const metric = state.metric;
  const unit = METRIC_LABELS[metric];

  const header = (
    <>
      <div className="page-title">
        <h1>Committed AI compute by company and quarter</h1>
        <Link to="/methodology">How these numbers are made</Link>
      </div>
      <DashboardFilters state={state} companies={companies.data ?? []} accelerators={accelerators.data ?? []} onChange={setState} />
      <WatchFilterButton
        filter={{ companyId: [...state.companyId], vendor: [...state.vendor], kind: [...state.kind], status: [...state.status] }}
      />
    </>
  );

  if (perQuarter.isError) {
    return (
      <div className="page">
        {header}
        <ErrorMessage error={perQuarter.error} onRetry={() => void perQuarter.refetch()} />
      </div>
    );
  }
  const data = perQuarter.data;
  if (data && data.series.every((series) => seriesTotal(series) === 0)) {
    const filtered = JSON.stringify(state) !== JSON.stringify(DEFAULT_DASHBOARD);
    return (
      <div className="page">
        {header}
        <EmptyState title="Nothing is counted for this view">
          {filtered ? (
            <p>
              No counted commitment matches these filters. Widen the period, clear some filters or{' '}
              <button type="button" className="link-button" onClick={() => setState(DEFAULT_DASHBOARD)}>
                reset all filters
              </button>
              .
            </p>
          ) : (
            <p>
              The ledger holds no counted commitments yet. Add announcements on the <Link to="/commitments">commitments page</Link> (or
              import a CSV file), then come back here.
            </p>
          )}
          {data.excluded.count > 0 ? (
            <p>
              {data.excluded.count} matching records have no figure in {unit} and are left out.
            </p>
          ) : null}
        </EmptyState>
      </div>
    );
  }

  // Charts wait for the catalog their colours come from (or its failure, with colours in order of appearance).
  const companiesRead = companies.data !== undefined || companies.isError;
  const chipsRead = accelerators.data !== undefined || accelerators.isError;
  const bars = companiesRead ? (state.cumulative ? cumulative.data : data) : undefined;
  const barSeries = bars?.series ?? [];
  const lineSeries = cumulative.data?.series ?? [];
  const vendorSeries = byVendor.data
    ? [...byVendor.data.series].filter((series) => seriesTotal(series) > 0).sort((a, b) => seriesTotal(b) - seriesTotal(a))
    : [];
  const vendorColour = vendorColours(
    vendorSeries.map((series) => series.key),
    accelerators.data ?? [],
  );
  const note = data ? describe(state, data.quarters) : undefined;
  const barTotals = bars ? quarterTotals(bars.quarters, barSeries) : undefined;
  const barData = bars ? quarterData(bars, barSeries, colours, false) : undefined;
  // The band around the stacked bars: from the low to the high of each quarter's total.
  if (barData && barTotals) barData.datasets.push(...(bandDatasets(barTotals.low, barTotals.high) as typeof barData.datasets));

  return (
    <div className="page dashboard">
      {header}
      {summary.data ? (
        <HeadlineTiles summary={summary.data} query={summaryQuery} latest={latest.data ? (latest.data.items[0] ?? null) : undefined} />
      ) : summary.isError ? (
        <ErrorMessage error={summary.error} />
      ) : (
        <Skeleton height={96} label="Loading the headline figures…" />
      )}
      <div className="chart-grid">
        <div className="wide">
          {bars && barData && barTotals ? (
            <ChartPanel
              id={`capacity-by-${words.id}`}
              title={`${state.cumulative ? 'Cumulative capacity' : 'Capacity'} by ${words.title} and quarter (${unit})`}
              note={note ? `${note} The shaded band runs from the low to the high of each quarter's total.` : undefined}
              type="bar"
              data={barData as ChartData<'bar', number[], string>}
              options={bandChartOptions(metric, barTotals)}
              table={quarterBandTable(bars.quarters, barSeries, BAND_LABELS)}
              summary={`Stacked bars per quarter from ${bars.quarters[0]} to ${bars.quarters[bars.quarters.length - 1]}. ${state.cumulative ? 'At the last quarter' : 'Totals'}: ${summarize(barSeries, metric, state.cumulative)}.`}
              height={360}
            />
          ) : (
            <Skeleton height={420} label="Loading the capacity chart…" />
          )}
          <CompanyLinks series={barSeries} companies={companies.data ?? []} testId="dashboard-company-links" />
        </div>
        {cumulative.data && companiesRead ? (
          <ChartPanel
            id={`cumulative-by-${words.id}`}
            title={`Cumulative capacity per ${words.title} (${unit})`}
            note="Running total, including everything before the first quarter shown."
            type="line"
            data={quarterData(cumulative.data, lineSeries, colours, true) as ChartData<'line', number[], string>}
            options={quarterChartOptions<'line'>(metric, false)}
            table={quarterTable(cumulative.data.quarters, lineSeries)}
            summary={`${words.series}. At ${cumulative.data.quarters[cumulative.data.quarters.length - 1] ?? 'the end'}: ${summarize(lineSeries, metric, true)}.`}
          />
        ) : cumulative.isError ? (
          <ErrorMessage error={cumulative.error} />
        ) : (
          <Skeleton />
        )}
        {byVendor.data && chipsRead ? (
          <ChartPanel
            id="share-by-vendor"
            title={`Share by chip vendor (${unit})`}
            note="Capacity in the period; records without a known chip under Unknown GPU / Unknown custom chip."
            type="doughnut"
            data={{
              labels: vendorSeries.map((series) => series.label),
              datasets: [
                {
                  label: unit,
                  data: vendorSeries.map(seriesTotal),
                  backgroundColor: vendorSeries.map((series) => vendorColour.get(series.key) ?? OTHERS_COLOUR),
                },
              ],
            }}
            options={shareChartOptions(metric)}
            table={{ columns: ['Vendor', unit], rows: vendorSeries.map((series) => [series.label, seriesTotal(series)]) }}
            summary={`Doughnut of vendors: ${summarize(vendorSeries, metric)}.`}
          />
        ) : byVendor.isError ? (
          <ErrorMessage error={byVendor.error} />
        ) : (
          <Skeleton />
        )}
        <div className="wide">
          {byKind.data ? (
            <ChartPanel
              id="gpu-versus-custom"
              title={`GPU versus custom chips${state.cumulative ? ', cumulative' : ''} (${unit})`}
              type="bar"
              data={
                {
                  labels: byKind.data.quarters,
                  datasets: byKind.data.series.map((series) => ({
                    label: KIND_LABELS[series.key] ?? series.label,
                    data: series.values,
                    backgroundColor: kindColour(series.key),
                  })),
                } as ChartData<'bar', number[], string>
              }
              options={quarterChartOptions<'bar'>(metric, true)}
              table={quarterTable(
                byKind.data.quarters,
                byKind.data.series.map((series) => ({ ...series, label: KIND_LABELS[series.key] ?? series.label })),
              )}
              summary={`Stacked bars per quarter: ${summarize(
                byKind.data.series.map((series) => ({ ...series, label: KIND_LABELS[series.key] ?? series.label })),
                metric,
                state.cumulative,
              )}.`}
            />
          ) : byKind.isError ? (
            <ErrorMessage error={byKind.error} />
          ) : (
            <Skeleton />
          )}
        </div>
      </div>
      {/* The totals above count Epoch's records, whatever the filters; asked after the core chart, as the list is. */}
      <EpochCredit enabled={coreChartAnswered} />
      <DriftPanel state={state} />
      <section className="panel" aria-labelledby="latest-title">
        <header className="panel-header">
          <h2 id="latest-title">Latest commitments</h2>
          <div className="panel-actions">
            {/* The records the charts count (same filters, counted statuses, no superseded ones). */}
            <ExportButton query={listFilters} label="Export these records (CSV)" />
            <Link to={commitmentsListPath({ ...listFilters, status: state.status })}>
              All commitments{hasRecordFilters(state) ? ' of this view' : ''}
            </Link>
          </div>
        </header>
        {latest.data ? (
          <CommitmentsTable items={latest.data.items} testId="latest-commitments" />
        ) : latest.isError ? (
          <ErrorMessage error={latest.error} onRetry={() => void latest.refetch()} />
        ) : (
          <Skeleton height={240} />
        )}
      </section>
    </div>
  );
}

const REASON_LABELS: Record<string, string> = {
  quantity_undisclosed: 'quantity undisclosed',
  chip_unknown: 'chip unknown',
  chip_spec_missing: 'chip spec missing',
};

function HeadlineTiles({
  summary,
  query,
  latest,
}: {
  summary: CapacitySummaryResponse;
  /** The filters the figures are for: the records left out are listed for the same. */
  query: CapacityFilters;
  /** The first of the latest records (null: there is none; undefined: not read yet). */
  latest: { announcedOn: string; company: { name: string }; id: string } | null | undefined;
}) {
  const reasons = Object.entries(summary.excluded.reasons).filter(([, count]) => count > 0);
  return (
    <dl className="tiles" data-testid="headline-tiles">
      <div className="tile" data-testid="tile-capacity">
        <dt>Committed capacity</dt>
        <dd>
          <strong>{formatCompact(summary.total)}</strong> {METRIC_LABELS[summary.metric]}{' '}
          <span className="tile-range" data-testid="tile-capacity-range">
            ({formatCompact(summary.low)}–{formatCompact(summary.high)})
          </span>
        </dd>
        <dd className="tile-note">
          {summary.metric === 'h100e' ? `${summary.precision.toUpperCase()}, ` : ''}
          {summary.basis} basis
        </dd>
        {summary.openAbove > 0 ? (
          <dd className="tile-note" data-testid="tile-open-above">
            {summary.openAbove === 1 ? '1 record has' : `${formatWhole(summary.openAbove)} records have`} no upper bound
          </dd>
        ) : null}
      </div>
      <div className="tile" data-testid="tile-companies">
        <dt>Companies</dt>
        <dd>
          <strong>{formatWhole(summary.companies)}</strong>
        </dd>
      </div>
      <div className="tile" data-testid="tile-counted">
        <dt>Records counted</dt>
        <dd>
          <strong>{formatWhole(summary.recordsCounted)}</strong>
        </dd>
      </div>
      <div className="tile" data-testid="tile-excluded">
        <dt>Records left out</dt>
        <dd>
          <strong>{formatWhole(summary.excluded.count)}</strong>
        </dd>
        {reasons.length > 0 ? (
          <dd className="tile-note">
            <WhyLeftOut reasons={reasons} query={query} />
          </dd>
        ) : (
          <dd className="tile-note">every matching record has a figure</dd>
        )}
      </div>
      <div className="tile" data-testid="tile-latest">
        <dt>Latest announcement</dt>
        <dd>
          <strong className="tile-date">{latest === undefined ? '…' : (latest?.announcedOn ?? '—')}</strong>
        </dd>
        {latest ? (
          <dd className="tile-note">
            <Link to={`/commitments/${latest.id}`}>{latest.company.name}</Link>
          </dd>
        ) : null}
      </div>
    </dl>
  );
}

/** How many records the excluded list shows at once. */
const EXCLUDED_PAGE = 20;
/** The most the server lists in one page. */
const MAX_EXCLUDED = 500;

/**
 * "Why?": the reasons with their counts, then the records themselves (read when the analyst opens it), each linked,
 * so that a figure left out can be found and completed.
 */
function WhyLeftOut({ reasons, query }: { reasons: [string, number][]; query: CapacityFilters }) {
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState(EXCLUDED_PAGE);
  const excludedQuery = { ...query, page: 1, limit };
  const records = useQuery({
    queryKey: ['capacity-excluded', excludedQuery],
    queryFn: () => api.capacityExcluded(excludedQuery),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  return (
    <details data-testid="why-left-out" onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
      <summary>Why?</summary>
      <ul data-testid="excluded-reasons">
        {reasons.map(([reason, count]) => (
          <li key={reason}>
            {REASON_LABELS[reason] ?? humanize(reason)}: {count}
          </li>
        ))}
      </ul>
      {open ? (
        records.data ? (
          <>
            <p className="muted">These records count by status and period, but give no figure in this metric:</p>
            <ul className="excluded-records" data-testid="excluded-records">
              {records.data.items.map((record) => (
                <li key={record.id}>
                  <Link to={`/commitments/${record.id}`}>{record.company}</Link> —{' '}
                  {REASON_LABELS[record.reason as ExclusionReason] ?? humanize(record.reason)}
                </li>
              ))}
            </ul>
            {records.data.total > records.data.items.length && limit < MAX_EXCLUDED ? (
              <button
                type="button"
                className="link-button"
                onClick={() => setLimit((shown) => Math.min(MAX_EXCLUDED, shown + EXCLUDED_PAGE))}
              >
                Show more ({formatWhole(records.data.total - records.data.items.length)} not listed)
              </button>
            ) : null}
          </>
        ) : records.isError ? (
          <ErrorMessage error={records.error} />
        ) : (
          <p className="muted">Reading the records…</p>
        )
      ) : null}
    </details>
  );
}
