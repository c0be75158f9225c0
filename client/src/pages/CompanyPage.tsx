import { keepPreviousData, type UseQueryResult, useQuery } from '@tanstack/react-query';
import type { ChartData } from 'chart.js';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api';
import type { Commitment, CommitmentPage, CompanyKind, CompanyRecord } from '../api-types';
import { ChartPanel } from '../charts/ChartPanel';
import { BAND_LABELS, bandChartOptions, bandDatasets } from '../charts/options';
import { vendorColours } from '../charts/palette';
import { quarterData } from '../charts/quarter-data';
import { quarterBandTable, quarterTotals, seriesTotal } from '../charts/series';
import { companyApi } from '../company-api';
import { companySources, companyTimeline, type TimelineEvent, type TimelineLine } from '../company-timeline';
import { CompanyDriftSlot } from '../components/CompanyDriftSlot';
import { CompanyLink } from '../components/CompanyLink';
import { EpochCredit } from '../components/EpochCredit';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';
import { chipName, formatCompact, formatQuantity, formatWindow, humanize } from '../format';
import { commitmentsListPath } from '../list-state';

const KIND_WORDS: Record<CompanyKind, string> = {
  hyperscaler: 'Hyperscaler',
  ai_lab: 'AI lab',
  neocloud: 'Neocloud',
  sovereign: 'Sovereign',
  enterprise: 'Enterprise',
  other: 'Other',
};

const EVENT_WORDS: Record<TimelineEvent['kind'], string> = {
  announced: 'Announced',
  revised: 'Revised',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

/**
 * A company's page: its capacity by chip vendor and quarter with the range of its total, its records as a timeline
 * (each supersession chain one line), the sources they cite, the fleets they run on and the wholes they are part of.
 */
export function CompanyPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const cumulative = params.get('cumulative') === 'true';
  const company = useQuery({ queryKey: ['company', id], queryFn: () => companyApi.company(id) });
  const capacityQuery = {
    companyId: [id],
    metric: 'h100e',
    precision: 'bf16',
    basis: 'delivery',
    groupBy: 'vendor',
    cumulative,
  } as const;
  const capacity = useQuery({
    queryKey: ['capacity', capacityQuery],
    queryFn: () => api.capacity(capacityQuery),
    placeholderData: keepPreviousData,
  });
  const records = useQuery({ queryKey: ['commitments', 'company', id], queryFn: () => companyApi.records(id) });
  const hosted = useQuery({ queryKey: ['commitments', 'hosted', id], queryFn: () => companyApi.hosted(id) });
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const accelerators = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });

  if (company.isError) {
    return (
      <div className="page">
        <ErrorMessage error={company.error} />
      </div>
    );
  }
  if (!company.data) return <Skeleton height={400} label="Loading the company…" />;
  const about = company.data;
  const facts = [KIND_WORDS[about.kind], about.country].filter(Boolean).join(', ');

  return (
    <div className="page company-page">
      <div className="page-title">
        <h1>{about.name}</h1>
        <Link to={commitmentsListPath({ companyId: [about.id] })}>Its records in the list</Link>
      </div>
      <p className="muted" data-testid="company-facts">
        {facts}
        {about.aliases.length > 0 ? `; also known as ${about.aliases.join(', ')}` : ''}
      </p>
      {capacity.isError ? (
        <ErrorMessage error={capacity.error} onRetry={() => void capacity.refetch()} />
      ) : capacity.data && (accelerators.data || accelerators.isError) ? (
        capacity.data.series.every((series) => seriesTotal(series) === 0) ? (
          <EmptyState title="Nothing counted">
            <p>No counted record of {about.name} gives a figure in H100-equivalents.</p>
          </EmptyState>
        ) : (
          <CapacityChart
            name={about.name}
            answer={capacity.data}
            cumulative={cumulative}
            colours={vendorColours(
              capacity.data.series.map((series) => series.key),
              accelerators.data ?? [],
            )}
          />
        )
      ) : (
        <Skeleton height={420} label="Loading the capacity chart…" />
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={cumulative}
          onChange={(event) => setParams(event.target.checked ? { cumulative: 'true' } : {}, { replace: true })}
        />{' '}
        Cumulative
      </label>
      {records.data ? <EpochCredit records={records.data} /> : null}
      <CompanyDriftSlot companyId={about.id} />
      {records.data ? (
        <>
          <Timeline lines={companyTimeline(records.data)} />
          <HostsAndParts company={about} records={records.data} companies={companies.data ?? []} />
          <HostedHere company={about} hosted={hosted} />
          <Sources records={records.data} />
        </>
      ) : records.isError ? (
        <ErrorMessage error={records.error} onRetry={() => void records.refetch()} />
      ) : (
        <Skeleton height={240} label="Loading the records…" />
      )}
    </div>
  );
}

function CapacityChart({
  name,
  answer,
  cumulative,
  colours,
}: {
  name: string;
  answer: Awaited<ReturnType<typeof api.capacity>>;
  cumulative: boolean;
  colours: Map<string, string>;
}) {
  const series = answer.series.filter((entry) => seriesTotal(entry) > 0);
  const totals = quarterTotals(answer.quarters, series);
  const data = quarterData(answer, series, colours, false);
  data.datasets.push(...(bandDatasets(totals.low, totals.high) as typeof data.datasets));
  const last = answer.quarters.length - 1;
  return (
    <ChartPanel
      id="company-capacity"
      title={`${cumulative ? 'Cumulative capacity' : 'Capacity'} of ${name} by chip vendor and quarter (H100e)`}
      note={`${answer.quarters[0]} – ${answer.quarters[last]}; spread over delivery windows, BF16 H100-equivalents; superseded records not counted. The shaded band runs from the low to the high of each quarter's total.`}
      type="bar"
      data={data as ChartData<'bar', number[], string>}
      options={bandChartOptions('h100e', totals)}
      table={quarterBandTable(answer.quarters, series, BAND_LABELS)}
      summary={`Stacked bars per quarter from ${answer.quarters[0]} to ${answer.quarters[last]}. ${cumulative ? `At ${answer.quarters[last]}` : 'In all'}: ${formatCompact(
        cumulative ? (totals.values[last] ?? 0) : totals.values.reduce((sum, value) => sum + value, 0),
      )} H100e.`}
      height={320}
    />
  );
}

function EventLabel({ event }: { event: TimelineEvent }) {
  const record = event.record;
  const what = `${formatQuantity(record)} ${chipName(record)}`;
  switch (event.kind) {
    case 'delivered':
      return <>Delivered by {event.when}</>;
    case 'cancelled':
      return <>Cancelled (recorded {event.when})</>;
    default:
      return (
        <>
          {EVENT_WORDS[event.kind]} {event.when}: <Link to={`/commitments/${record.id}`}>{what}</Link>, delivery{' '}
          {formatWindow(record.window)}
        </>
      );
  }
}

function Timeline({ lines }: { lines: TimelineLine[] }) {
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <header className="panel-header">
        <h2 id="timeline-title">Timeline of its commitments</h2>
      </header>
      <p className="panel-note">
        One line per commitment, oldest first: its announcement, each record revising it, and its delivery or cancellation. Only the newest
        record of a line counts in totals.
      </p>
      {lines.length === 0 ? (
        <p>No records.</p>
      ) : (
        <ol className="timeline" data-testid="company-timeline">
          {lines.map((line) => (
            <li key={line.records[0].id} className="timeline-line" data-testid="timeline-line">
              <ol className="timeline-events">
                {line.events.map((event, index) => (
                  <li key={index} className={`timeline-event event-${event.kind}`} data-kind={event.kind}>
                    <EventLabel event={event} />
                    {event.kind === 'announced' || event.kind === 'revised' ? <EventSources record={event.record} /> : null}
                  </li>
                ))}
              </ol>
              <span className="badge">{humanize(line.current.status)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function EventSources({ record }: { record: Commitment }) {
  if (record.sources.length === 0) return null;
  return (
    <span className="muted">
      {' '}
      (
      {record.sources.map((source, index) => (
        <span key={index}>
          {index > 0 ? ', ' : ''}
          {source.url ? (
            <a href={source.url} target="_blank" rel="noopener noreferrer">
              {source.publisher ?? source.title ?? 'source'}
            </a>
          ) : (
            (source.publisher ?? source.title)
          )}
        </span>
      ))}
      )
    </span>
  );
}

function HostsAndParts({
  company,
  records,
  companies,
}: {
  company: CompanyRecord;
  records: Commitment[];
  companies: { id: string; name: string }[];
}) {
  const names = new Map(companies.map((entry) => [entry.id, entry.name]));
  const hosted = records.filter((record) => record.hostCompanyId && !record.supersededById);
  const parts = records.filter((record) => record.partOfId && !record.supersededById);
  return (
    <section className="panel" aria-labelledby="hosts-title" data-testid="hosts-and-parts">
      <header className="panel-header">
        <h2 id="hosts-title">Hosts and parts</h2>
      </header>
      {hosted.length === 0 && parts.length === 0 ? (
        <p>No current record of {company.name} runs on another company's chips or is part of a larger record.</p>
      ) : (
        <ul>
          {hosted.map((record) => (
            <li key={`host-${record.id}`}>
              <Link to={`/commitments/${record.id}`}>
                {formatQuantity(record)} {chipName(record)}
              </Link>{' '}
              run on chips of{' '}
              <CompanyLink
                company={{ id: record.hostCompanyId as string, name: names.get(record.hostCompanyId as string) ?? 'another company' }}
              />
            </li>
          ))}
          {parts.map((record) => (
            <li key={`part-${record.id}`}>
              <Link to={`/commitments/${record.id}`}>
                {formatQuantity(record)} {chipName(record)}
              </Link>{' '}
              are part of <Link to={`/commitments/${record.partOfId}`}>a larger record</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Other companies' current records that run on this company's chips (Anthropic's TPUs on Google's page). */
function HostedHere({ company, hosted }: { company: CompanyRecord; hosted: UseQueryResult<CommitmentPage> }) {
  if (hosted.isError) return <ErrorMessage error={hosted.error} onRetry={() => void hosted.refetch()} />;
  if (!hosted.data) return <Skeleton height={80} label="Loading the records hosted here…" />;
  const { items, total } = hosted.data;
  if (total === 0) return null;
  return (
    <section className="panel" aria-labelledby="hosted-title" data-testid="hosted-here">
      <header className="panel-header">
        <h2 id="hosted-title">Hosted on {company.name}'s chips</h2>
      </header>
      <ul>
        {items.map((record) => (
          <li key={record.id}>
            <CompanyLink company={record.company} />{' '}
            <Link to={`/commitments/${record.id}`}>
              {formatQuantity(record)} {chipName(record)}
            </Link>
          </li>
        ))}
      </ul>
      {total > items.length ? (
        <p className="muted">
          The {items.length} newest of {total} records.
        </p>
      ) : null}
    </section>
  );
}

function Sources({ records }: { records: Commitment[] }) {
  const sources = companySources(records);
  return (
    <section className="panel" aria-labelledby="company-sources-title">
      <header className="panel-header">
        <h2 id="company-sources-title">Sources</h2>
      </header>
      {sources.length === 0 ? (
        <p>No sources.</p>
      ) : (
        <ul className="sources" data-testid="company-sources">
          {sources.map(({ source, records: citing }, index) => (
            <li key={index}>
              {source.url ? (
                <a href={source.url} target="_blank" rel="noopener noreferrer">
                  {source.title ?? source.url}
                </a>
              ) : (
                <span>{source.title}</span>
              )}
              {[source.publisher, source.publishedOn].filter(Boolean).length > 0 ? (
                <span className="muted"> — {[source.publisher, source.publishedOn].filter(Boolean).join(', ')}</span>
              ) : null}
              <span className="muted"> · {citing.length === 1 ? '1 record' : `${citing.length} records`}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
