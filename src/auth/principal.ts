import type { AuthenticatedUser } from '../domain/roles.js';

/** What a bearer token turned out to be: a sign-in's access token, or an API token. */
export type Credential = { kind: 'session'; id: string } | { kind: 'api_token'; id: string; lastUsedAt: number | null };

/** Who a valid bearer token acts for, and until when. */
export interface Principal {
  /** For an API token, its role: at most the owner's current one. */
  user: AuthenticatedUser;
  credential: Credential;
  /** A generated password not yet changed: every route but the password change answers 403. */
  passwordChangeRequired: boolean;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** A token that is well formed and signed, but no longer stands for anyone, with the reason told to its holder. */
export interface Refusal {
  refused: string;
}
