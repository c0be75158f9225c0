import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PASSWORD_LENGTH } from '../../../src/domain/password-policy.js';
import { api, ApiError, type UserChange } from '../api';
import { ROLES, type Role, type User } from '../api-types';
import { ConfirmAction } from '../components/ConfirmAction';
import { ErrorMessage, Skeleton } from '../components/states';
import { formatInstant } from '../format';
import { useSession } from '../session';

/** "an admin", "an analyst", "a viewer". */
const withArticle = (role: string) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;

function failureText(error: unknown): string {
  return error instanceof ApiError ? error.message : 'The change was not saved; try again.';
}

export function UsersPage() {
  const users = useQuery({ queryKey: ['users'], queryFn: api.users });
  return (
    <div className="page">
      <h1>Users</h1>
      <CreateUserForm />
      <h2>Accounts</h2>
      {users.isError ? (
        <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data ? (
        <div className="table-scroll">
          <table className="data-table" data-testid="users">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <UserRow key={user.id} user={user} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Skeleton height={200} label="Loading the users…" />
      )}
    </div>
  );
}

function CreateUserForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const create = useMutation({
    mutationFn: api.createUser,
    onSuccess: () => {
      setEmail('');
      setPassword('');
      return queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ email, password, role });
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="New user">
      <label>
        Email
        <input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_LENGTH.min}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <label>
        Role
        <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={create.isPending}>
        Create user
      </button>
      {create.isError ? (
        <p className="error-message" role="alert">
          {failureText(create.error)}
        </p>
      ) : null}
      {create.isSuccess ? (
        <p className="notice" role="status">
          Created {create.data.email} ({create.data.role}).
        </p>
      ) : null}
    </form>
  );
}

function UserRow({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const session = useSession();
  const [resetting, setResetting] = useState(false);
  const [newPassword, setNewPassword] = useState('');
  // A role chosen but not yet confirmed: the select shows it while the question is open.
  const [pendingRole, setPendingRole] = useState<Role | null>(null);
  const update = useMutation({
    mutationFn: (change: UserChange) => api.updateUser(user.id, change),
    onSuccess: () => {
      setResetting(false);
      setNewPassword('');
      return queryClient.invalidateQueries({ queryKey: ['users'] });
    },
    onSettled: () => setPendingRole(null),
  });
  const label = user.email;

  return (
    <tr data-testid={`user-${user.email}`}>
      <td>
        {user.email}
        {session?.user.id === user.id ? <span className="badge">you</span> : null}
      </td>
      <td>
        <select
          aria-label={`Role of ${label}`}
          value={pendingRole ?? user.role}
          disabled={update.isPending}
          onChange={(event) => {
            const role = event.target.value as Role;
            setPendingRole(role === user.role ? null : role);
          }}
        >
          {ROLES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <ConfirmAction
          open={pendingRole !== null}
          question={`Make ${label} ${withArticle(pendingRole ?? '')} instead of ${withArticle(user.role)}? It applies from their next request.`}
          confirmLabel="Change role"
          busy={update.isPending}
          onConfirm={() => pendingRole && update.mutate({ role: pendingRole })}
          onCancel={() => setPendingRole(null)}
        />
      </td>
      <td>{user.disabled ? 'disabled' : 'active'}</td>
      <td>{user.lastLoginAt ? formatInstant(user.lastLoginAt) : 'never'}</td>
      <td>
        <div className="row-actions">
          <button type="button" disabled={update.isPending} onClick={() => update.mutate({ disabled: !user.disabled })}>
            {user.disabled ? `Enable ${label}` : `Disable ${label}`}
          </button>
          {resetting ? (
            <form
              className="inline-form"
              aria-label={`Password reset for ${label}`}
              onSubmit={(event) => {
                event.preventDefault();
                update.mutate({ password: newPassword });
              }}
            >
              <input
                type="password"
                autoComplete="new-password"
                aria-label={`New password for ${label}`}
                required
                minLength={PASSWORD_LENGTH.min}
                value={newPassword}
                onChange={(event) => setNewPassword(event.target.value)}
              />
              <button type="submit" disabled={update.isPending}>
                Set password
              </button>
              <button type="button" className="link-button" onClick={() => setResetting(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <button type="button" className="link-button" onClick={() => setResetting(true)}>
              Reset password
            </button>
          )}
        </div>
        {update.isError ? (
          <p className="error-message" role="alert">
            {failureText(update.error)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
