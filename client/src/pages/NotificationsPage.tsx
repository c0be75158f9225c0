import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorMessage, EmptyState, Skeleton } from '../components/states';
import { formatInstant, formatWhole } from '../format';
import { type LedgerNotification, timeApi, type Watch } from '../time-api';

const CHANGE_WORDS: Record<LedgerNotification['change'], string> = {
  created: 'added',
  updated: 'edited',
  superseded: 'revised by a newer record',
  deleted: 'deleted',
};

/** A signed number of H100e, for the change a notification reports. */
function difference(before: number, after: number): string {
  const change = after - before;
  return `${change >= 0 ? '+' : '−'}${formatWhole(Math.abs(change))}`;
}

/** The user's notifications from their watches, newest first, and the watches themselves. */
export function NotificationsPage() {
  const queryClient = useQueryClient();
  const notifications = useQuery({ queryKey: ['notifications', 'all'], queryFn: () => timeApi.notifications() });
  const watches = useQuery({ queryKey: ['watches'], queryFn: timeApi.watches });
  const markRead = useMutation({
    mutationFn: timeApi.markRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const removeWatch = useMutation({
    mutationFn: timeApi.deleteWatch,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['watches'] }),
        queryClient.invalidateQueries({ queryKey: ['notifications'] }),
      ]),
  });
  const unread = notifications.data?.items.filter((item) => item.readAt === null) ?? [];

  return (
    <div className="page">
      <h1>Notifications</h1>
      <p>
        A watch is a dashboard filter you saved (“Watch this filter” on the dashboard). Each change to the ledger that moves its total H100e
        is listed here, with the total before and after.
      </p>
      {notifications.isError ? (
        <ErrorMessage error={notifications.error} onRetry={() => void notifications.refetch()} />
      ) : !notifications.data ? (
        <Skeleton height={200} label="Loading the notifications…" />
      ) : notifications.data.items.length === 0 ? (
        <EmptyState title="No notifications yet">
          <p>When a change moves the total of one of your watches, it is listed here.</p>
        </EmptyState>
      ) : (
        <>
          {unread.length > 1 ? (
            <button type="button" disabled={markRead.isPending} onClick={() => unread.forEach((item) => markRead.mutate(item.id))}>
              Mark all {unread.length} read
            </button>
          ) : null}
          <div className="table-scroll">
            <table className="data-table" data-testid="notifications">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Watch</th>
                  <th scope="col">Change</th>
                  <th scope="col">Before (H100e)</th>
                  <th scope="col">After (H100e)</th>
                  <th scope="col">Difference</th>
                  <th scope="col">Read</th>
                </tr>
              </thead>
              <tbody>
                {notifications.data.items.map((item) => (
                  <tr key={item.id} className={item.readAt === null ? 'unread' : undefined} data-testid={`notification-${item.id}`}>
                    <td>{formatInstant(item.at)}</td>
                    <td>{item.watchName}</td>
                    <td>
                      <Link to={`/commitments/${item.commitmentId}`}>A record</Link> was {CHANGE_WORDS[item.change]}
                      {item.changes > 1 ? ` (with ${item.changes - 1} other changes)` : ''}
                    </td>
                    <td className="number">{formatWhole(item.before)}</td>
                    <td className="number">{formatWhole(item.after)}</td>
                    <td className="number">{difference(item.before, item.after)}</td>
                    <td>
                      {item.readAt === null ? (
                        <button type="button" disabled={markRead.isPending} onClick={() => markRead.mutate(item.id)}>
                          Mark read
                        </button>
                      ) : (
                        'read'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {notifications.data.total > notifications.data.items.length ? (
            <p>
              The latest {notifications.data.items.length} of {notifications.data.total} are shown.
            </p>
          ) : null}
        </>
      )}
      <h2>Your watches</h2>
      {watches.isError ? (
        <ErrorMessage error={watches.error} onRetry={() => void watches.refetch()} />
      ) : !watches.data ? (
        <Skeleton height={120} label="Loading your watches…" />
      ) : watches.data.length === 0 ? (
        <p>You watch nothing yet.</p>
      ) : (
        <ul className="watch-list" data-testid="watches">
          {watches.data.map((watch) => (
            <li key={watch.id}>
              <strong>{watch.name}</strong> — {describeFilter(watch)}: {formatWhole(watch.total)} H100e{' '}
              <button type="button" className="link-button" disabled={removeWatch.isPending} onClick={() => removeWatch.mutate(watch.id)}>
                Stop watching {watch.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function describeFilter(watch: Watch): string {
  const { companyId, vendor, kind, status } = watch.filter;
  const parts = [
    companyId?.length ? `${companyId.length} ${companyId.length === 1 ? 'company' : 'companies'}` : null,
    vendor?.length ? `vendors ${vendor.join(', ')}` : null,
    kind?.length ? `kinds ${kind.join(', ')}` : null,
    status?.length ? `statuses ${status.join(', ')}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join('; ') : 'the whole ledger';
}
