import { useState } from 'react';
import { api, type CommitmentListQuery } from '../api';
import { download } from '../charts/csv';
import { ErrorMessage } from './states';

/** Downloads the commitments a view shows (its filters), in the columns of the import, as CSV. */
export function ExportButton({ query, label }: { query: Omit<CommitmentListQuery, 'page' | 'limit' | 'sort'>; label: string }) {
  const [failure, setFailure] = useState<unknown>(null);
  const exportCsv = async () => {
    setFailure(null);
    try {
      const url = URL.createObjectURL(await api.exportCommitments(query));
      download(url, 'commitments.csv');
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void exportCsv()}>
        {label}
      </button>
      {failure ? <ErrorMessage error={failure} /> : null}
    </>
  );
}
