import { useSyncExternalStore } from 'react';
import { roleAtLeast } from '../../src/domain/roles.js';
import { api, setBearerToken } from './api';
import type { Role, Session } from './api-types';

// The access token lives in this tab's memory only. The sign-in itself is kept by the browser in an HttpOnly,
// SameSite=Strict refresh cookie that no script can read: a new tab, or a reload, asks POST /api/auth/refresh for
// an access token of its own, so opening a record in a new tab keeps the user signed in, and signing out (or a new
// password, or a disabled account) ends the sign-in for every tab at once.
const listeners = new Set<() => void>();
let current: Session | null = null;
let expired = false;

function publish(session: Session | null): void {
  current = session;
  setBearerToken(session?.accessToken ?? null);
  for (const listener of listeners) listener();
}

export function startSession(session: Session): void {
  expired = false;
  publish(session);
}

/** `expired`: the server refused the token; the sign-in page then says so. */
export function endSession(reason: 'signed-out' | 'expired' = 'signed-out'): void {
  expired = reason === 'expired';
  publish(null);
}

/** Whether the last session ended because the server refused its token (rather than by signing out). */
export const sessionExpired = () => expired;

/**
 * Refreshes from the cookie, one tab at a time where the browser can say so (Web Locks): tabs opened together
 * then rotate the cookie in turn rather than race (the server also accepts a cookie replaced a moment ago).
 */
function refreshOnce(): Promise<Session | null | 'ended'> {
  return navigator.locks ? navigator.locks.request('compute-ledger.refresh', () => api.refreshSession()) : api.refreshSession();
}

let renewing: Promise<boolean> | null = null;

/** A new access token for this tab from the browser's sign-in; false when there is none (any more). */
export function renewSession(): Promise<boolean> {
  renewing ??= refreshOnce()
    .then((answer) => {
      if (answer === null || answer === 'ended') return false;
      startSession(answer);
      return true;
    })
    .finally(() => (renewing = null));
  return renewing;
}

/** On page load: the sign-in this browser holds, if any, before anything is drawn. */
export async function restoreSession(): Promise<void> {
  const answer = await refreshOnce();
  if (answer === 'ended') endSession('expired');
  else if (answer !== null) startSession(answer);
}

/** Signs out everywhere this sign-in reaches: the server ends the session and its cookie. */
export async function signOut(): Promise<void> {
  try {
    if (current) await api.logout();
  } finally {
    endSession();
  }
}

let syncing: Promise<void> | null = null;

/** Learns the user's role as it is now (an admin may have changed it), so menus offer only what it can use. */
export function syncUser(): Promise<void> {
  if (!current) return Promise.resolve();
  syncing ??= api
    .me()
    .then((user) => {
      if (current && current.user.id === user.id && current.user.role !== user.role) publish({ ...current, user });
    })
    .catch(() => undefined)
    .finally(() => (syncing = null));
  return syncing;
}

/** The signed-in user (null for a visitor), re-rendering on sign-in, sign-out and a change of role. */
export function useSession(): Session | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

/** Who may see a page: anyone (`visitor`, as far as the server opens it) or a signed-in role and up. */
export type Audience = 'visitor' | Role;

export function mayOpen(session: Session | null, audience: Audience): boolean {
  if (audience === 'visitor') return true;
  return session !== null && roleAtLeast(session.user.role, audience);
}

/** The sign-in page's address that brings the user back to `path` afterwards. */
export function signInPath(path: string, expired = false): string {
  const search = new URLSearchParams();
  if (path !== '/' && !path.startsWith('/login')) search.set('next', path);
  if (expired) search.set('expired', '1');
  const text = search.toString();
  return text ? `/login?${text}` : '/login';
}

/** The password page a generated password leads to first, then back to `path`. */
export function passwordChangePath(path: string): string {
  const search = new URLSearchParams({ required: '1' });
  if (path !== '/' && !path.startsWith('/account/password')) search.set('next', path);
  return `/account/password?${search.toString()}`;
}

/** Only paths inside the app: a `next` that leads elsewhere is ignored. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
