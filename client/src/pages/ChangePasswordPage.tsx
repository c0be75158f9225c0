import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PASSWORD_LENGTH } from '../../../src/domain/password-policy.js';
import { api, ApiError } from '../api';
import { safeNext, startSession } from '../session';

const MIN_LENGTH = PASSWORD_LENGTH.min;

export function ChangePasswordPage() {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  // Sent here by the server: a generated password must be replaced before anything else.
  const required = search.get('required') === '1';
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    if (newPassword !== repeated) {
      setError('The two new passwords differ.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Tokens issued before stop working: this tab continues with the new one.
      startSession(await api.changePassword(currentPassword, newPassword));
      if (required) {
        navigate(safeNext(search.get('next')), { replace: true });
        return;
      }
      setCurrentPassword('');
      setNewPassword('');
      setRepeated('');
      setDone(true);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'The password was not changed; try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page narrow">
      <h1>Change my password</h1>
      {required ? (
        <p className="notice" data-testid="password-change-required">
          Your password was generated when the account was made. Choose your own before you continue.
        </p>
      ) : (
        <p>
          <Link to="/account">Back to my account</Link>
        </p>
      )}
      <form onSubmit={submit} className="stacked-form" aria-label="Change my password">
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.target.value)}
          />
        </label>
        <label>
          New password (at least {MIN_LENGTH} characters)
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_LENGTH}
            value={newPassword}
            onChange={(event) => setNewPassword(event.target.value)}
          />
        </label>
        <label>
          New password again
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_LENGTH}
            value={repeated}
            onChange={(event) => setRepeated(event.target.value)}
          />
        </label>
        {error ? (
          <p className="error-message" role="alert">
            {error}
          </p>
        ) : null}
        {done ? (
          <p className="notice" role="status">
            Your password is changed. Other sessions of yours have ended.
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </form>
    </div>
  );
}
