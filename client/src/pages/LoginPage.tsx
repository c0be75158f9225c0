import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../api';
import { safeNext, startSession, useSession } from '../session';

export function LoginPage() {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const next = safeNext(search.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session && !busy) return <Navigate to={next} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      startSession(await api.login(email, password));
      navigate(next, { replace: true });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Sign-in failed; try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page narrow">
      <h1>Sign in</h1>
      {search.get('expired') ? (
        <p className="notice" data-testid="session-expired">
          Your session has ended. Sign in again to continue where you were.
        </p>
      ) : null}
      <form onSubmit={submit} className="stacked-form" aria-label="Sign in">
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error ? (
          <p className="error-message" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
