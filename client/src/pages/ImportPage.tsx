import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, type ImportOutcome, type ImportProgress } from '../api';
import { EPOCH_CLUSTERS_CREDIT, type EpochClustersReport, type ImportReport } from '../api-types';
import { downloadCsv } from '../charts/csv';
import { recordLine } from '../components/CommitmentFields';
import { ErrorMessage } from '../components/states';
import { formatInstant, formatWhole } from '../format';

/** What the file is: the ledger's announcements format, or Epoch AI's GPU Clusters data set. */
type Source = 'announcements' | 'epoch-clusters';
const SOURCES: { value: Source; label: string }[] = [
  { value: 'announcements', label: 'Announcements (CSV)' },
  { value: 'epoch-clusters', label: 'Epoch AI GPU Clusters (CSV)' },
];

type Outcome = ImportOutcome & { dryRun: boolean; fileName: string; source: Source };

type Phase = { step: 'idle' } | { step: 'uploading' | 'processing'; dryRun: boolean; progress: ImportProgress; startedAt: number };

/** Elapsed seconds since `since`, ticking while the server works. */
function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, (now - since) / 1000);
}

/**
 * A CSV of announcements, or Epoch AI's GPU Clusters file: checked first (dry run), then imported in one transaction.
 * With EPOCH_CLUSTERS_URL set, the page also shows the scheduled import's last run.
 */
export function ImportPage() {
  const [source, setSource] = useState<Source>('announcements');
  const [publishedOn, setPublishedOn] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const queryClient = useQueryClient();
  const elapsed = useElapsed(phase.step === 'processing' ? phase.startedAt : null);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setFailure(null);
    setOutcome(null);
    const startedAt = Date.now();
    setPhase({ step: 'uploading', dryRun, progress: { loaded: 0, total: file.size }, startedAt });
    try {
      const onProgress = (progress: ImportProgress) =>
        setPhase(
          progress.loaded >= progress.total
            ? { step: 'processing', dryRun, progress, startedAt: Date.now() }
            : { step: 'uploading', dryRun, progress, startedAt },
        );
      const result =
        source === 'epoch-clusters'
          ? await api.importEpochClusters(file, dryRun, publishedOn, onProgress)
          : await api.importCsv(file, dryRun, onProgress);
      setOutcome({ ...result, dryRun, fileName: file.name, source });
      if (!dryRun && result.accepted) await queryClient.invalidateQueries();
    } catch (error) {
      setFailure(error);
    } finally {
      setPhase({ step: 'idle' });
    }
  };

  // Epoch's rows that cannot be mapped are left out and the others import: a dry run that answers is enough there.
  const checkedClean =
    outcome?.dryRun && outcome.accepted && outcome.source === source && (source === 'epoch-clusters' || outcome.report.errors.length === 0);
  const reset = () => {
    setOutcome(null);
    setFailure(null);
  };
  const busy = phase.step !== 'idle';
  return (
    <div className="page">
      <h1>Import announcements</h1>
      <div className="record-form">
        <div className="field">
          <label htmlFor="import-source">Source</label>
          <select
            id="import-source"
            value={source}
            disabled={busy}
            onChange={(event) => {
              setSource(event.target.value as Source);
              reset();
            }}
          >
            {SOURCES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        {source === 'announcements' ? (
          <p>
            A CSV file in the columns of the announcements file (company, announced_on and status are required). Check it first: nothing is
            written until every row is valid, and then everything is written at once.
          </p>
        ) : (
          <>
            <p>
              Epoch AI&apos;s GPU Clusters file as it is downloaded: one record per cluster row and chip type, keyed{' '}
              <code>epoch:&lt;Name&gt;</code>. Rows that cannot be read are listed and left out; the others import at once. Importing a
              newer file updates the rows that changed and leaves your own records alone.
            </p>
            <p className="muted" data-testid="epoch-clusters-credit">
              Data: {EPOCH_CLUSTERS_CREDIT}.
            </p>
            <div className="field">
              <label htmlFor="import-published-on">File published on</label>
              <input
                id="import-published-on"
                type="date"
                value={publishedOn}
                disabled={busy}
                onChange={(event) => {
                  setPublishedOn(event.target.value);
                  reset();
                }}
              />
              <span className="muted"> The date of rows that give none (default: today).</span>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              reset();
            }}
          />
        </div>
        <p className="form-actions">
          <button type="button" className="primary" disabled={!file || busy} onClick={() => void run(true)}>
            Check file (dry run)
          </button>
          <button type="button" disabled={!file || busy || !checkedClean} onClick={() => void run(false)}>
            Import
          </button>
          {file && !checkedClean && !busy ? (
            <span className="muted"> Check the file first; import is enabled once it has no errors.</span>
          ) : null}
        </p>
      </div>

      {phase.step !== 'idle' ? (
        <section className="progress" aria-live="polite" data-testid="import-progress">
          <label>
            Upload{' '}
            {phase.step === 'uploading'
              ? `${formatWhole(phase.progress.loaded)} of ${formatWhole(phase.progress.total)} bytes`
              : 'complete'}
            <progress max={Math.max(1, phase.progress.total)} value={phase.progress.loaded} />
          </label>
          {phase.step === 'processing' ? (
            <label>
              {/* The server reports no progress while it reads and writes: an indeterminate bar and the time it has taken. */}
              {phase.dryRun ? 'Checking rows' : 'Importing rows'} on the server… {elapsed.toFixed(1)} s
              <progress />
            </label>
          ) : null}
        </section>
      ) : null}

      {failure ? <ErrorMessage error={failure} /> : null}
      {outcome ? <ImportReportView outcome={outcome} /> : null}
      {source === 'epoch-clusters' ? <EpochClustersSync /> : null}
    </div>
  );
}

/** The scheduled import of Epoch AI's file (EPOCH_CLUSTERS_URL): where from, how often, and the last run. */
function EpochClustersSync() {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['epoch-clusters-sync'], queryFn: api.epochClustersSync });
  const runNow = useMutation({
    mutationFn: api.runEpochClustersSync,
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (status.error) return <ErrorMessage error={status.error} />;
  if (!status.data) return null;
  const { url, everyHours, lastRun } = status.data;
  const report = lastRun?.report;
  return (
    <section aria-labelledby="epoch-sync-title" data-testid="epoch-clusters-sync">
      <h2 id="epoch-sync-title">Keeping in step with Epoch AI</h2>
      {url === null ? (
        <p className="muted">No scheduled import: set EPOCH_CLUSTERS_URL on the server to fetch and import the file on a schedule.</p>
      ) : (
        <>
          <p>
            Fetched from <code>{url}</code> every {everyHours === 24 ? 'day' : `${formatWhole(everyHours)} hours`} and imported as above.{' '}
            <button type="button" disabled={runNow.isPending} onClick={() => runNow.mutate()}>
              Fetch and import now
            </button>
          </p>
          {runNow.error ? <ErrorMessage error={runNow.error} /> : null}
          <p data-testid="epoch-sync-last-run">
            {lastRun === null
              ? 'Not run yet.'
              : lastRun.ok && report
                ? `Last run ${formatInstant(lastRun.at)}: created ${formatWhole(report.created)}, updated ${formatWhole(report.updated)}, ${formatWhole(report.unchanged)} unchanged (${formatWhole(report.rows)} rows, ${formatWhole(report.errors.length)} left out).`
                : `Last run ${formatInstant(lastRun.at)} failed: ${lastRun.error ?? 'unknown error'}`}
          </p>
        </>
      )}
    </section>
  );
}

function ImportReportView({ outcome }: { outcome: Outcome }) {
  const { report } = outcome;
  const epoch = outcome.source === 'epoch-clusters' ? (report as unknown as EpochClustersReport) : null;
  const errorCount = report.errorCount ?? report.errors.length;
  const problems = `${formatWhole(errorCount)} ${errorCount === 1 ? 'problem' : 'problems'}`;
  const heading = !outcome.accepted
    ? `${problems} found: nothing was written`
    : epoch && errorCount > 0
      ? outcome.dryRun
        ? `${problems} found: those rows will be left out, nothing written yet`
        : `Imported; ${problems} found, those rows left out`
      : outcome.dryRun
        ? 'The file is valid: nothing written yet'
        : 'Imported';
  return (
    <section aria-labelledby="report-title" data-testid="import-report">
      <h2 id="report-title">{heading}</h2>
      <table className="data-table report-counts" data-testid="import-counts">
        <thead>
          <tr>
            <th scope="col">Rows</th>
            <th scope="col">Valid</th>
            {epoch ? <th scope="col">Records</th> : null}
            <th scope="col">{outcome.dryRun ? 'Would create' : 'Created'}</th>
            <th scope="col">{outcome.dryRun ? 'Would update' : 'Updated'}</th>
            <th scope="col">Unchanged</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="number">{formatWhole(report.rows)}</td>
            <td className="number">{formatWhole(report.valid)}</td>
            {epoch ? <td className="number">{formatWhole(epoch.records)}</td> : null}
            <td className="number">{formatWhole(report.created)}</td>
            <td className="number">{formatWhole(report.updated)}</td>
            <td className="number">{formatWhole(report.unchanged)}</td>
            <td className="number">{formatWhole(errorCount)}</td>
          </tr>
        </tbody>
      </table>
      {report.errors.length > 0 ? (
        <>
          <p>
            <button
              type="button"
              onClick={() =>
                downloadCsv(
                  {
                    columns: ['line', 'field', 'message', 'value'],
                    rows: report.errors.map((error) => [error.line, error.field, error.message, error.value ?? null]),
                  },
                  `${outcome.fileName.replace(/\.csv$/i, '')}-errors.csv`,
                )
              }
            >
              Download the errors (CSV)
            </button>
            {report.errorCount && report.errorCount > report.errors.length ? (
              <span className="muted"> The first {formatWhole(report.errors.length)} are listed.</span>
            ) : null}
          </p>
          <div className="table-scroll">
            <table className="data-table" data-testid="import-errors">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Field</th>
                  <th scope="col">Message</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((error, index) => (
                  <tr key={index}>
                    <td className="number">{error.line}</td>
                    <td>{error.field}</td>
                    <td>{error.message}</td>
                    <td>{error.value ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {epoch && epoch.warnings.length > 0 ? (
        <details data-testid="import-warnings">
          <summary>
            {formatWhole(epoch.warnings.length)} {epoch.warnings.length === 1 ? 'warning' : 'warnings'} (imported as described)
          </summary>
          <ul>
            {epoch.warnings.map((warning, index) => (
              <li key={index}>
                Line {warning.line}, {warning.field}: {warning.message}
                {warning.value ? ` (${warning.value})` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <DuplicateWarnings warnings={(epoch ? epoch.possibleDuplicates : report.warnings) ?? []} />
      {epoch ? <p className="muted">Data: {epoch.credit}.</p> : null}
      {outcome.accepted && !outcome.dryRun ? (
        <p>
          <Link to="/commitments">See the commitments</Link>
        </p>
      ) : null}
    </section>
  );
}

/**
 * The stored records that rows of a dry run may repeat, by line: warnings, never refusals. Each links to the record,
 * so the analyst can give the row the record's key (an update), mark it `supersedes`, or import it as it is.
 */
function DuplicateWarnings({ warnings }: { warnings: NonNullable<ImportReport['warnings']> }) {
  if (warnings.length === 0) return null;
  const lines = new Set(warnings.map((warning) => warning.line)).size;
  return (
    <section aria-labelledby="duplicates-title" data-testid="import-duplicates">
      <h3 id="duplicates-title">
        {formatWhole(lines)} {lines === 1 ? 'row may repeat' : 'rows may repeat'} a record already in the ledger
      </h3>
      <p className="muted">
        Same company (or host), chip and delivery period, amounts within 10 %. Imported as they are, both would count. Give such a row the
        record&apos;s key to update it, or a <code>supersedes</code> cell to revise it; a different commitment can be imported as it is.
      </p>
      <table className="data-table" data-testid="import-duplicate-rows">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">May repeat</th>
          </tr>
        </thead>
        <tbody>
          {warnings.map((warning) => (
            <tr key={`${warning.line}-${warning.of}`}>
              <td className="number">{warning.line}</td>
              <td>
                <StoredRecordLink id={warning.of} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A stored record by its line ("Meta: 350,000 H100 SXM, …"), read once per record however many rows name it. */
function StoredRecordLink({ id }: { id: string }) {
  const record = useQuery({ queryKey: ['commitment', id], queryFn: () => api.commitment(id) });
  return <Link to={`/commitments/${id}`}>{record.data ? recordLine(record.data) : id}</Link>;
}
