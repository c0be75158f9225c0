import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { invalidField } from '../common/errors.js';
import { VersionedCache } from '../common/versioned-cache.js';
import { Accounts } from '../contracts/accounts.js';
import { ApiTokensService } from './api-tokens.service.js';
import type { Session } from '../contracts/auth.js';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options.js';
import { isApiToken, sha256, wellFormedApiToken } from './credentials.js';
import { LoginLimit } from './login-limit.js';
import { hashPassword, verifyPassword } from './password.js';
import type { Credential, Principal, Refusal } from './principal.js';
import { type AuthenticatedUser, lowerRole, type Role } from '../domain/roles.js';
import { type SessionGrant, SessionsService } from './sessions.service.js';

interface TokenClaims {
  sub: string;
  /** The session the token belongs to: it works while the session lasts. */
  sid: string;
  exp: number;
}

/** A session as the client gets it, with the refresh token for its cookie when there is a new one. */
export interface SignedIn {
  session: Session;
  refresh?: { token: string; expiresAt: Date };
}

interface AccountRow {
  user_id: string;
  email: string;
  role: Role;
  disabled: boolean;
  password_change_required: boolean;
}

/** Principals remembered per instance; one entry per bearer token in use. */
const MAX_PRINCIPALS = 10_000;

/** A hash to compare against when the email is unknown, so a wrong email takes as long as a wrong password. */
const UNKNOWN_USER_HASH = hashPassword('no such user: this never matches');

@Injectable()
export class AuthService {
  /** Who each bearer token stands for, valid for one auth version: a hit costs no query. */
  private readonly principals = new VersionedCache<Principal | Refusal>(MAX_PRINCIPALS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: Accounts,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly loginLimit: LoginLimit,
    private readonly jwt: JwtService,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  async login(email: string, password: string): Promise<SignedIn> {
    await this.loginLimit.begin(email);
    const user = await this.users.findForLogin(email);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await UNKNOWN_USER_HASH));
    if (!user || !matches) throw new UnauthorizedException('Wrong email or password');
    if (user.disabled) throw new UnauthorizedException('This account is disabled');
    await this.loginLimit.succeeded(email);
    await this.users.recordLogin(user.id);
    return this.signedIn(await this.sessions.start({ id: user.id, email: user.email, role: user.role }));
  }

  /** A new access token for the session a refresh cookie holds (null when it has ended), with the user as they are now. */
  async refresh(refreshToken: string): Promise<SignedIn | null> {
    const grant = await this.sessions.refresh(refreshToken);
    return grant && this.signedIn(grant);
  }

  /** Ends the credential the request came with, and the session of the caller's refresh cookie if it is another. */
  async logout(user: AuthenticatedUser, credential: Credential, refreshCookie: string | undefined): Promise<void> {
    if (credential.kind === 'api_token') await this.apiTokens.delete(user, credential.id);
    else await this.sessions.end(credential.id, user.id);
    const cookieSession = refreshCookie === undefined ? null : await this.sessions.sessionOfCookie(refreshCookie);
    if (cookieSession !== null && cookieSession !== credential.id) await this.sessions.end(cookieSession, user.id);
  }

  /**
   * Who a bearer token stands for at `authVersion` (the version the request read): remembered per instance until
   * that version changes, so a signed-in request costs no query of its own. 401 for a bad, expired or revoked token
   * or a disabled account.
   */
  async authenticate(token: string, authVersion: number): Promise<Principal> {
    const outcome = await this.principals.get(authVersion, token, () => this.identify(token));
    if ('refused' in outcome) throw new UnauthorizedException(outcome.refused);
    if (outcome.expiresAt <= Date.now()) {
      throw new UnauthorizedException(
        outcome.credential.kind === 'session' ? 'The token has expired: log in again' : 'The API token has expired',
      );
    }
    if (outcome.credential.kind === 'api_token') await this.apiTokens.recordUse(outcome.credential.id, outcome.credential.lastUsedAt);
    return outcome;
  }

  /**
   * Changes the caller's own password after checking the current one (counted against the account's sign-in limit).
   * Every session of the user ends; the answer carries a new one.
   */
  async changePassword(actor: AuthenticatedUser, currentPassword: string, newPassword: string): Promise<SignedIn> {
    await this.loginLimit.begin(actor.email);
    const user = await this.users.findForLogin(actor.email);
    if (!user || user.id !== actor.id || !(await verifyPassword(currentPassword, user.passwordHash))) {
      // 400, not 401: the session is fine, only the field is wrong (a 401 would send the client back to login).
      throw invalidField('currentPassword', 'the current password is wrong');
    }
    await this.loginLimit.succeeded(actor.email);
    const changed = await this.users.changePassword(user.id, newPassword);
    return this.signedIn(await this.sessions.start({ id: changed.id, email: changed.email, role: changed.role }));
  }

  private async signedIn(grant: SessionGrant): Promise<SignedIn> {
    const claims = { sub: grant.user.id, sid: grant.sessionId };
    const expiresIn = Math.max(1, Math.floor((grant.expiresAt.getTime() - Date.now()) / 1000));
    const accessToken = await this.jwt.signAsync(claims, { expiresIn });
    return {
      session: { accessToken, user: grant.user },
      ...(grant.refreshToken !== undefined && { refresh: { token: grant.refreshToken, expiresAt: grant.expiresAt } }),
    };
  }

  /** One query at most: the API token's row, or the access token's session, with the account. */
  private async identify(token: string): Promise<Principal | Refusal> {
    if (isApiToken(token)) {
      if (!wellFormedApiToken(token)) throw new UnauthorizedException('The token is not valid');
      const [row]: (AccountRow & { id: string; token_role: Role; expires_at: Date; last_used_at: Date | null })[] =
        await this.dataSource.query(
          `SELECT t.id, t.role AS token_role, t.expires_at, t.last_used_at,
             u.id AS user_id, u.email, u.role, u.disabled, u.password_change_required
           FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
          [sha256(token)],
        );
      if (!row) return { refused: 'The API token is not valid (it may have been deleted)' };
      return principalOf(row, {
        credential: { kind: 'api_token', id: row.id, lastUsedAt: row.last_used_at?.getTime() ?? null },
        role: lowerRole(row.token_role, row.role),
        expiresAt: row.expires_at.getTime(),
      });
    }
    const claims = await this.verify(token);
    const [row]: (AccountRow & { expires_at: Date })[] = await this.dataSource.query(
      `SELECT s.expires_at, u.id AS user_id, u.email, u.role, u.disabled, u.password_change_required
       FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.user_id = $2`,
      [claims.sid, claims.sub],
    );
    if (!row) return { refused: 'The token is no longer valid: log in again' };
    return principalOf(row, {
      credential: { kind: 'session', id: claims.sid },
      role: row.role,
      expiresAt: Math.min(claims.exp * 1000, row.expires_at.getTime()),
    });
  }

  private async verify(token: string): Promise<TokenClaims> {
    let claims: Partial<TokenClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<TokenClaims> & object>(token);
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'The token has expired: log in again' : 'The token is not valid');
    }
    const uuid = /^[0-9a-f-]{36}$/;
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !uuid.test(claims.sub) || !uuid.test(claims.sid)) {
      throw new UnauthorizedException('The token is not valid');
    }
    return claims as TokenClaims;
  }
}

function principalOf(row: AccountRow, of: { credential: Credential; role: Role; expiresAt: number }): Principal | Refusal {
  if (row.disabled) return { refused: 'This account is disabled' };
  return {
    user: { id: row.user_id, email: row.email, role: of.role },
    credential: of.credential,
    passwordChangeRequired: row.password_change_required,
    expiresAt: of.expiresAt,
  };
}
