import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, type ImportOutcome, type ImportProgress } from '../api';
import { downloadCsv } from '../charts/csv';
import { ErrorMessage } from '../components/states';
import { formatWhole } from '../format';

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

/** A CSV of announcements: checked first (dry run), then imported in one transaction. */
export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [outcome, setOutcome] = useState<(ImportOutcome & { dryRun: boolean; fileName: string }) | null>(null);
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
      const result = await api.importCsv(file, dryRun, (progress) =>
        setPhase(
          progress.loaded >= progress.total
            ? { step: 'processing', dryRun, progress, startedAt: Date.now() }
            : { step: 'uploading', dryRun, progress, startedAt },
        ),
      );
      setOutcome({ ...result, dryRun, fileName: file.name });
      if (!dryRun && result.accepted) await queryClient.invalidateQueries();
    } catch (error) {
      setFailure(error);
    } finally {
      setPhase({ step: 'idle' });
    }
  };

  const checkedClean = outcome?.dryRun && outcome.accepted && outcome.report.errors.length === 0;
  const busy = phase.step !== 'idle';
  return (
    <div className="page">
      <h1>Import announcements</h1>
      <p>
        A CSV file in the columns of the announcements file (company, announced_on and status are required). Check it first: nothing is
        written until every row is valid, and then everything is written at once.
      </p>
      <div className="record-form">
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setOutcome(null);
              setFailure(null);
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
    </div>
  );
}

function ImportReportView({ outcome }: { outcome: ImportOutcome & { dryRun: boolean; fileName: string } }) {
  const { report } = outcome;
  const errorCount = report.errorCount ?? report.errors.length;
  const heading = !outcome.accepted
    ? `${formatWhole(errorCount)} ${errorCount === 1 ? 'problem' : 'problems'} found: nothing was written`
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
      {outcome.accepted && !outcome.dryRun ? (
        <p>
          <Link to="/commitments">See the commitments</Link>
        </p>
      ) : null}
    </section>
  );
}
