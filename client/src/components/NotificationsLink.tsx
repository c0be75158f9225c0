import { useQuery } from '@tanstack/react-query';
import { NavLink } from 'react-router';
import { timeApi } from '../time-api';

/** Unread notifications are counted again every so often and whenever the notifications change. */
const RECOUNT_MS = 30_000;

/** The header's link to the notifications, with the number not yet read. */
export function NotificationsLink() {
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => timeApi.notifications(true),
    refetchInterval: RECOUNT_MS,
  });
  const count = unread.data?.total ?? 0;
  return (
    <NavLink
      to="/notifications"
      className="notifications-link"
      data-testid="notifications-link"
      aria-label={count > 0 ? `Notifications: ${count} unread` : 'Notifications'}
    >
      Notifications
      {count > 0 ? <span className="badge unread-count">{count}</span> : null}
    </NavLink>
  );
}
