import { useEffect } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { NAVIGATION } from '../routes';
import { mayOpen, signInPath, signOut, syncUser, useSession } from '../session';
import { NotificationsLink } from './NotificationsLink';

export function Layout() {
  const session = useSession();
  const location = useLocation();
  const pages = NAVIGATION.filter((item) => mayOpen(session, item.audience));
  const onSignInPage = location.pathname === '/login';
  const signedIn = session !== null;

  // The role as it is now, on every move to another page and on coming back to the tab: an admin may have changed it.
  useEffect(() => {
    if (signedIn) void syncUser();
  }, [location.pathname, signedIn]);
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && void syncUser();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  async function leave() {
    await signOut().catch(() => undefined);
    // A fresh page load: nothing this user could read stays in memory for the next person at the computer.
    window.location.assign('/login');
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <NavLink to="/" className="brand">
          Compute Ledger
        </NavLink>
        <nav aria-label="Main">
          <ul>
            {pages.map((item) => (
              <li key={item.path}>
                <NavLink to={item.path} end={item.path === '/' || item.path === '/commitments'}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        {session && location.pathname !== '/account/password' ? <NotificationsLink /> : null}
        {session ? (
          <div className="account" data-testid="account">
            <Link to="/account" title="My account: password and API tokens">
              {session.user.email}
            </Link>
            <span className="badge">{session.user.role}</span>
            <button type="button" className="link-button" onClick={() => void leave()}>
              Sign out
            </button>
          </div>
        ) : onSignInPage ? null : (
          <div className="account">
            <Link to={signInPath(`${location.pathname}${location.search}`)}>Sign in</Link>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <Link to="/methodology">How the numbers are made</Link>
      </footer>
    </>
  );
}
