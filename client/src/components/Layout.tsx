import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { NAVIGATION } from '../routes';
import { endSession, mayOpen, signInPath, useSession } from '../session';

export function Layout() {
  const session = useSession();
  const location = useLocation();
  const pages = NAVIGATION.filter((item) => mayOpen(session, item.audience));
  const onSignInPage = location.pathname === '/login';

  function signOut() {
    endSession();
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
        {session ? (
          <div className="account" data-testid="account">
            <Link to="/account/password" title="Change my password">
              {session.user.email}
            </Link>
            <span className="badge">{session.user.role}</span>
            <button type="button" className="link-button" onClick={signOut}>
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
