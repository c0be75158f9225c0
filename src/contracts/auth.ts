/**
 * The answers of the auth routes, shared by the server and the web client. Type-only: nothing here pulls framework
 * code into the client.
 */
import type { AuthenticatedUser, Role } from '../domain/roles.js';

/** `POST /api/auth/login`, `/refresh` and `/password`: a bearer token for `Authorization: Bearer <accessToken>`. */
export interface Session {
  accessToken: string;
  user: AuthenticatedUser;
}

/** `POST /api/auth/tokens`: the token is shown this once; only its SHA-256 is kept. */
export interface CreatedApiToken {
  id: string;
  token: string;
}

/** `GET /api/auth/tokens` */
export interface ApiTokenView {
  id: string;
  name: string;
  /** The role the token was given; it acts with at most its owner's current role. */
  role: Role;
  owner: { id: string; email: string };
  createdAt: Date;
  expiresAt: Date;
  /** Recorded at most once a minute. */
  lastUsedAt: Date | null;
}

/** How long an API token lives unless asked otherwise, and at most. */
export const API_TOKEN_DAYS = { default: 90, max: 365 } as const;

/** The code of the 403 that every route but the password change answers while a generated password is unchanged. */
export const PASSWORD_CHANGE_REQUIRED = 'password_change_required';
