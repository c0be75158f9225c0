import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { roleAtLeast } from '../../../src/domain/roles.js';
import { API_TOKEN_DAYS } from '../../../src/contracts/auth.js';
import { api, ApiError } from '../api';
import { type ApiToken, type CreatedApiToken, ROLES, type Role } from '../api-types';
import { ErrorMessage, Skeleton } from '../components/states';
import { formatInstant } from '../format';
import { useSession } from '../session';

const TOKENS = ['api-tokens'];

function failureText(error: unknown, fallback: string): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** The signed-in user's own page: who they are, their password, and the API tokens of their scripts and BI tools. */
export function AccountPage() {
  const session = useSession();
  const tokens = useQuery({ queryKey: TOKENS, queryFn: api.apiTokens });
  if (!session) return null;
  return (
    <div className="page">
      <h1>My account</h1>
      <p data-testid="account-summary">
        {session.user.email}, signed in as <span className="badge">{session.user.role}</span>
      </p>
      <p>
        <Link to="/account/password">Change my password</Link>
      </p>

      <h2>API tokens</h2>
      <p>
        A token lets a script or a BI tool read the ledger as you, sent as <code>Authorization: Bearer &lt;token&gt;</code>. It acts with
        the role you give it, never more than yours; revoke it when the tool no longer needs it.
      </p>
      <CreateTokenForm role={session.user.role} />
      {tokens.isError ? (
        <ErrorMessage error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data ? (
        <TokenTable tokens={tokens.data} />
      ) : (
        <Skeleton height={120} label="Loading your tokens…" />
      )}
    </div>
  );
}

function CreateTokenForm({ role: myRole }: { role: Role }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [days, setDays] = useState(String(API_TOKEN_DAYS.default));
  const [created, setCreated] = useState<(CreatedApiToken & { name: string }) | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: api.createApiToken,
    onSuccess: (token) => {
      setCreated({ ...token, name });
      setCopied(false);
      setName('');
      return queryClient.invalidateQueries({ queryKey: TOKENS });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate({ name, role, expiresInDays: Number(days) });
  }

  async function copy(token: string) {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      // No clipboard (an insecure page, or refused): the token stays on screen to copy by hand.
      setCopied(false);
    }
  }

  return (
    <>
      <form className="inline-form" onSubmit={submit} aria-label="New API token">
        <label>
          Name
          <input
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="Quarterly BI refresh"
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.filter((option) => roleAtLeast(myRole, option)).map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires in (days)
          <input
            type="number"
            required
            min={1}
            max={API_TOKEN_DAYS.max}
            step={1}
            value={days}
            onChange={(event) => setDays(event.target.value)}
          />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.isError ? (
        <p className="error-message" role="alert">
          {failureText(create.error, 'The token was not created; try again.')}
        </p>
      ) : null}
      {created ? (
        <div className="notice" data-testid="new-token">
          <p>Token “{created.name}”: copy it now, it is shown only this once.</p>
          <p>
            <code data-testid="new-token-value">{created.token}</code>{' '}
            <button type="button" onClick={() => void copy(created.token)}>
              Copy
            </button>{' '}
            {copied ? <span role="status">Copied</span> : null}
          </p>
        </div>
      ) : null}
    </>
  );
}

function TokenTable({ tokens }: { tokens: ApiToken[] }) {
  if (tokens.length === 0) return <p data-testid="api-tokens-empty">You have no API tokens.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="api-tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <TokenRow key={token.id} token={token} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api.deleteApiToken(token.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS }),
  });
  const expired = Date.parse(token.expiresAt) <= Date.now();
  return (
    <tr data-testid={`api-token-${token.name}`}>
      <td>{token.name}</td>
      <td>{token.role}</td>
      <td>{formatInstant(token.createdAt)}</td>
      <td>{expired ? `expired ${formatInstant(token.expiresAt)}` : formatInstant(token.expiresAt)}</td>
      <td>{token.lastUsedAt ? formatInstant(token.lastUsedAt) : 'never'}</td>
      <td>
        <div className="row-actions">
          {confirming ? (
            <>
              <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
                Revoke “{token.name}” now
              </button>
              <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              Revoke
            </button>
          )}
        </div>
        {revoke.isError ? (
          <p className="error-message" role="alert">
            {failureText(revoke.error, 'The token was not revoked; try again.')}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
