import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { type Commitment, EPOCH_CLUSTERS_CREDIT, EPOCH_CLUSTERS_URL } from '../api-types';

/** A record imported from Epoch AI's GPU Clusters file: its notes carry the data set's credit. */
export const fromEpoch = (record: Pick<Commitment, 'notes'>) => record.notes?.includes(EPOCH_CLUSTERS_CREDIT) ?? false;

/**
 * Epoch AI's GPU Clusters credit under totals that count its records, shown only while there are some: among
 * `records` when the page has them all in hand, else in the whole ledger, asked as the list's search for the credit
 * itself, a page of one record. `enabled: false` holds the question back until the page's own reads are in.
 */
export function EpochCredit({ records, enabled = true }: { records?: readonly Commitment[]; enabled?: boolean }) {
  const search = useQuery({
    queryKey: ['commitments', 'epoch-credit'],
    queryFn: () => api.commitments({ q: EPOCH_CLUSTERS_CREDIT, limit: 1 }),
    enabled: enabled && records === undefined,
  });
  const shown = records ? records.some(fromEpoch) : (search.data?.items.length ?? 0) > 0;
  if (!shown) return null;
  return (
    <p className="muted" data-testid="epoch-clusters-credit">
      Includes records from{' '}
      <a href={EPOCH_CLUSTERS_URL} target="_blank" rel="noopener noreferrer">
        {EPOCH_CLUSTERS_CREDIT}
      </a>
      .
    </p>
  );
}
