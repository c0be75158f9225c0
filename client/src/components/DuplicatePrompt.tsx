import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import type { Commitment, WrittenCommitment } from '../api-types';
import { recordLine } from './CommitmentFields';
import { ErrorMessage, Skeleton } from './states';

/** What the analyst said of a saved record that may repeat others, with the record as it now stands. */
export type DuplicateChoice =
  { kind: 'revises' | 'part_of'; record: Commitment; other: Commitment } | { kind: 'different'; record: Commitment };

/** The choice in one sentence, for a page that stays put after it. */
export function choiceLine(choice: DuplicateChoice): string {
  const mine = recordLine(choice.record);
  if (choice.kind === 'revises') return `${mine} revises ${recordLine(choice.other)}: only yours counts.`;
  if (choice.kind === 'part_of') return `${mine} is a part of ${recordLine(choice.other)}: counted once, within it.`;
  return `${mine} is a different commitment: both count.`;
}

/**
 * After a save whose answer names possible duplicates: each of them, linked, with what the analyst may say of the
 * new record — it revises one (it supersedes it, and only the new one counts), it is a part of one (counted once,
 * inside it), or it is a different commitment (both count). The record is saved already; the first two are a PATCH
 * of it (docs/decisions/counting.md). Shown by the form after a save and by the add-from-text page for each saved
 * record that has them.
 */
export function DuplicatePrompt({ saved, onSettled }: { saved: WrittenCommitment; onSettled: (choice: DuplicateChoice) => void }) {
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const others = useQuery({
    queryKey: ['commitments', 'duplicates', saved.possibleDuplicates],
    queryFn: () => Promise.all(saved.possibleDuplicates.map((id) => api.commitment(id))),
  });
  const link = async (kind: 'revises' | 'part_of', other: Commitment) => {
    setBusy(true);
    setFailure(null);
    try {
      const change = kind === 'revises' ? { supersedesId: other.id } : { partOfId: other.id };
      const record = await api.updateCommitment(saved.id, { ...change, version: saved.version });
      await queryClient.invalidateQueries();
      onSettled({ kind, record, other });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const count = saved.possibleDuplicates.length;
  return (
    <section className="duplicate-prompt" role="alert" data-testid="duplicate-prompt" aria-busy={busy}>
      <h2>Saved. Is it already in the ledger?</h2>
      <p>
        The record you saved ({recordLine(saved)}) has the same company, chip and delivery period as{' '}
        {count === 1 ? 'this record' : `these ${count} records`}, with an amount within 10 %. Counted side by side, the same chips would be
        counted twice.
      </p>
      {others.data ? (
        <ul className="duplicate-list" data-testid="duplicate-list">
          {others.data.map((other) => (
            <li key={other.id} data-testid="duplicate">
              <Link to={`/commitments/${other.id}`}>{recordLine(other)}</Link>
              <span className="form-actions">
                <button type="button" disabled={busy} onClick={() => void link('revises', other)}>
                  Mine revises it
                </button>
                <button type="button" disabled={busy || other.partOfId !== null} onClick={() => void link('part_of', other)}>
                  Mine is a part of it
                </button>
              </span>
            </li>
          ))}
        </ul>
      ) : others.isError ? (
        <ErrorMessage error={others.error} />
      ) : (
        <Skeleton height={80} label="Reading the records it may repeat…" />
      )}
      {failure ? <ErrorMessage error={failure} /> : null}
      <p className="form-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => onSettled({ kind: 'different', record: saved })}>
          It&apos;s a different commitment: keep both
        </button>
      </p>
      <p className="muted">
        &ldquo;Revises&rdquo;: yours supersedes it and only yours counts. &ldquo;Part of&rdquo;: yours is inside it (a tenant&apos;s share,
        a phase) and is counted once, within it.
      </p>
    </section>
  );
}
