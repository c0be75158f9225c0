import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api';
import type { AuditEntry, Commitment } from '../api-types';
import { Changes } from '../components/Changes';
import { CompanyLink } from '../components/CompanyLink';
import { ConfirmAction } from '../components/ConfirmAction';
import { ErrorMessage, Skeleton } from '../components/states';
import { chipName, formatCompact, formatInstant, formatQuantity, formatWindow, humanize } from '../format';
import { mayOpen, useSession } from '../session';

/** The records this one revises (older, first) and the records revising it (newer), followed one link at a time. */
async function supersessionChain(commitment: Commitment): Promise<Commitment[]> {
  const older: Commitment[] = [];
  const newer: Commitment[] = [];
  const seen = new Set([commitment.id]);
  for (let id = commitment.supersedesId; id && !seen.has(id);) {
    seen.add(id);
    const record = await api.commitment(id);
    older.unshift(record);
    id = record.supersedesId;
  }
  for (let id = commitment.supersededById; id && !seen.has(id);) {
    seen.add(id);
    const record = await api.commitment(id);
    newer.push(record);
    id = record.supersededById;
  }
  return [...older, commitment, ...newer];
}

export function CommitmentDetailPage() {
  const { id = '' } = useParams();
  const record = useQuery({ queryKey: ['commitment', id], queryFn: () => api.commitment(id) });
  const chain = useQuery({
    queryKey: ['commitment', id, 'chain', record.data?.supersedesId, record.data?.supersededById],
    queryFn: () => supersessionChain(record.data as Commitment),
    enabled: Boolean(record.data && (record.data.supersedesId || record.data.supersededById)),
  });
  // The history needs a sign-in: a visitor's page does not ask for it.
  const session = useSession();
  const history = useQuery({
    queryKey: ['commitment', id, 'history'],
    queryFn: () => api.commitmentHistory(id),
    enabled: Boolean(record.data && session),
  });

  if (record.isError) {
    return (
      <div className="page">
        <p>
          <Link to="/commitments">← All commitments</Link>
        </p>
        <ErrorMessage error={record.error} />
      </div>
    );
  }
  const commitment = record.data;
  if (!commitment) return <Skeleton height={400} label="Loading the commitment…" />;
  const metrics = commitment.metrics;
  return (
    <div className="page detail">
      <p>
        <Link to="/commitments">← All commitments</Link>
      </p>
      <h1>
        <CompanyLink company={commitment.company} />: {formatQuantity(commitment)} {chipName(commitment)}
      </h1>
      {/* Only what the user's role can do: the server refuses the rest anyway. */}
      {mayOpen(session, 'analyst') ? <RecordActions commitment={commitment} /> : null}
      {commitment.supersededById ? (
        <p className="notice" role="note">
          A newer record revises this one; only the newest record of a chain counts in totals.
        </p>
      ) : null}
      <dl className="facts" data-testid="commitment-facts">
        <dt>Status</dt>
        <dd>{humanize(commitment.status)}</dd>
        <dt>Certainty</dt>
        <dd>{humanize(commitment.certainty)}</dd>
        <dt>Announced</dt>
        <dd>{commitment.announcedOn}</dd>
        <dt>Delivery window</dt>
        <dd>{formatWindow(commitment.window)}</dd>
        <dt>Chip</dt>
        <dd>{commitment.accelerator ? `${commitment.accelerator.name} (${commitment.accelerator.vendor})` : chipName(commitment)}</dd>
        <dt>H100-equivalents (BF16)</dt>
        <dd>{metrics.h100e === null ? 'not derivable' : formatCompact(metrics.h100e)}</dd>
        <dt>Power</dt>
        <dd>{metrics.power_mw === null ? 'not derivable' : `${formatCompact(metrics.power_mw)} MW`}</dd>
        {commitment.notes ? (
          <>
            <dt>Notes</dt>
            <dd>{commitment.notes}</dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="sources-title">
        <h2 id="sources-title">Sources</h2>
        <ul className="sources" data-testid="sources">
          {commitment.sources.map((source, index) => (
            <li key={index}>
              {source.url ? (
                <a href={source.url} target="_blank" rel="noopener noreferrer">
                  {source.title ?? source.url}
                </a>
              ) : (
                <span>{source.title}</span>
              )}
              {[source.publisher, source.publishedOn, source.language].filter(Boolean).length > 0 ? (
                <span className="muted"> — {[source.publisher, source.publishedOn, source.language].filter(Boolean).join(', ')}</span>
              ) : null}
              {source.quote ? <blockquote>{source.quote}</blockquote> : null}
            </li>
          ))}
        </ul>
      </section>
      {commitment.supersedesId || commitment.supersededById ? (
        <section aria-labelledby="chain-title">
          <h2 id="chain-title">Revisions</h2>
          {chain.data ? (
            <ol className="chain" data-testid="supersession-chain">
              {chain.data.map((entry) => (
                <li key={entry.id} aria-current={entry.id === commitment.id ? 'true' : undefined}>
                  {entry.id === commitment.id ? (
                    <strong>
                      {entry.announcedOn}: {formatQuantity(entry)} {chipName(entry)} (this record)
                    </strong>
                  ) : (
                    <Link to={`/commitments/${entry.id}`}>
                      {entry.announcedOn}: {formatQuantity(entry)} {chipName(entry)}
                    </Link>
                  )}
                  {entry.supersededById ? null : <span className="badge">counted</span>}
                </li>
              ))}
            </ol>
          ) : chain.isError ? (
            <ErrorMessage error={chain.error} />
          ) : (
            <Skeleton height={80} />
          )}
        </section>
      ) : null}
      {session ? (
        history.data ? (
          <History entries={history.data} commitment={commitment} />
        ) : history.isError ? (
          <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />
        ) : (
          <Skeleton height={80} label="Loading the change history…" />
        )
      ) : null}
    </div>
  );
}

function RecordActions({ commitment }: { commitment: Commitment }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => api.deleteCommitment(commitment.id, commitment.version),
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      navigate('/commitments', {
        state: { notice: `Deleted ${commitment.company.name}: ${formatQuantity(commitment)} ${chipName(commitment)}.` },
      });
    },
  });
  const consequence = commitment.supersedesId
    ? 'It stops counting, and the record it revises counts again; the audit trail keeps both.'
    : 'It stops counting in every total; the audit trail keeps it.';
  return (
    <>
      <p className="record-actions">
        <Link to={`/commitments/${commitment.id}/edit`} className="button-link">
          Edit
        </Link>
        {commitment.supersededById ? null : (
          <Link to={`/commitments/new?supersedes=${commitment.id}`} className="button-link">
            Revise (new record superseding this one)
          </Link>
        )}
        <ConfirmAction
          label="Delete"
          question={`Delete this record? ${consequence}`}
          confirmLabel="Delete the record"
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
      </p>
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </>
  );
}

function History({ entries, commitment }: { entries: AuditEntry[]; commitment: Commitment }) {
  // The ids its values hold that the page can name: its company and its chip.
  const labels: Record<string, string> = { [commitment.companyId]: commitment.company.name };
  if (commitment.accelerator) labels[commitment.accelerator.id] = commitment.accelerator.name;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Change history</h2>
      {entries.length === 0 ? (
        <p>No changes recorded.</p>
      ) : (
        <ol className="history" data-testid="history">
          {entries.map((entry) => (
            <li key={entry.id}>
              <p>
                <strong>{humanize(entry.action)}</strong> by {entry.actor?.email ?? 'the system'}, {formatInstant(entry.at)}
              </p>
              <Changes before={entry.before} after={entry.after} labels={labels} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
