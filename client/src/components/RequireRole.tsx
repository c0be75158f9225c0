import { Navigate, Outlet, useLocation } from 'react-router';
import type { Role } from '../api-types';
import { mayOpen, sessionExpired, signInPath, useSession } from '../session';

/** Pages behind it need a sign-in with at least `role`: visitors go to sign-in and come back; others are told why not. */
export function RequireRole({ role }: { role: Role }) {
  const session = useSession();
  const location = useLocation();
  // Reached right after a refused token too, so the sign-in page can say the session ended.
  if (!session) return <Navigate to={signInPath(`${location.pathname}${location.search}`, sessionExpired())} replace />;
  if (!mayOpen(session, role)) {
    return (
      <div className="page">
        <h1>Not available</h1>
        <p className="error-message" role="alert">
          This page needs the {role} role; you are signed in as {session.user.role}.
        </p>
      </div>
    );
  }
  return <Outlet />;
}
