import { useSyncExternalStore } from 'react';
import { roleAtLeast } from '../../src/auth/roles.js';
import { setBearerToken } from './api';
import type { Role, Session } from './api-types';

// sessionStorage, not localStorage: the sign-in survives a reload of the tab but ends with the tab and is not
// shared with other tabs, so a token lying around on a shared computer lives no longer than the window using it.
// The token in memory (api.ts) is what requests use; storage only brings it back after a reload.
const STORAGE_KEY = 'compute-ledger.session';
const listeners = new Set<() => void>();

function stored(): Session | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}

let current: Session | null = stored();
setBearerToken(current?.accessToken ?? null);

function publish(session: Session | null): void {
  current = session;
  setBearerToken(session?.accessToken ?? null);
  try {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode, quota): the session still lasts as long as the page.
  }
  for (const listener of listeners) listener();
}

let expired = false;

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

/** The signed-in user (null for a visitor), re-rendering on sign-in and sign-out. */
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

/** Only paths inside the app: a `next` that leads elsewhere is ignored. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
