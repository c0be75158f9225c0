import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options.js';
import { newSecret, parseRefreshToken, refreshToken, sameDigest, sha256 } from './credentials.js';
import type { AuthenticatedUser } from '../domain/roles.js';

/** A refresh token replaced this recently is still accepted (without another rotation): tabs refreshing at once. */
const ROTATION_GRACE_SECONDS = 30;

/** A sign-in as its holder gets it: the session, the refresh token for its cookie (when new) and its end. */
export interface SessionGrant {
  sessionId: string;
  user: AuthenticatedUser;
  expiresAt: Date;
  /** A new refresh token, to set as the cookie; absent when the cookie the caller holds stays valid. */
  refreshToken?: string;
}

interface SessionRow {
  refresh_hash: Buffer;
  previous_refresh_hash: Buffer | null;
  in_grace: boolean;
  expires_at: Date;
  id: string;
  email: string;
  role: AuthenticatedUser['role'];
}

/**
 * Sign-ins kept in PostgreSQL (`auth_sessions`). A session ends by being deleted — logout, a new password, the
 * account disabled (the last two by a trigger of the users table) — and every delete bumps the auth version, so
 * each instance drops what it remembered about sessions at its next request.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  /** A new session of JWT_TTL for the user; sessions that ended by expiry are swept on the way (no version bump). */
  async start(user: AuthenticatedUser): Promise<SessionGrant> {
    const sessionId = randomUUID();
    const secret = newSecret();
    await this.dataSource.query('DELETE FROM auth_sessions WHERE expires_at <= now()');
    const [{ expires_at: expiresAt }]: { expires_at: Date }[] = await this.dataSource.query(
      `INSERT INTO auth_sessions (id, user_id, refresh_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       RETURNING expires_at`,
      [sessionId, user.id, sha256(secret), this.options.tokenTtlSeconds],
    );
    return { sessionId, user, expiresAt, refreshToken: refreshToken(sessionId, secret) };
  }

  /**
   * The session a refresh cookie holds, with a new refresh token (rotation). The token just replaced is accepted
   * for a few seconds more without rotating again; any older one is a copy used after the holder moved on, so the
   * session ends. Null for an unknown, expired or ended session.
   */
  async refresh(token: string): Promise<SessionGrant | null> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return null;
    return this.dataSource.transaction(async (manager) => {
      const [row]: SessionRow[] = await manager.query(
        `SELECT s.refresh_hash, s.previous_refresh_hash, s.rotated_at > now() - make_interval(secs => $2) AS in_grace, s.expires_at,
           u.id, u.email, u.role
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = $1 AND s.expires_at > now() AND NOT u.disabled
         FOR UPDATE OF s`,
        [parsed.sessionId, ROTATION_GRACE_SECONDS],
      );
      if (!row) return null;
      const grant = { sessionId: parsed.sessionId, user: { id: row.id, email: row.email, role: row.role }, expiresAt: row.expires_at };
      const presented = sha256(parsed.secret);
      if (sameDigest(presented, row.refresh_hash)) {
        const secret = newSecret();
        await manager.query(
          'UPDATE auth_sessions SET refresh_hash = $2, previous_refresh_hash = refresh_hash, rotated_at = now() WHERE id = $1',
          [parsed.sessionId, sha256(secret)],
        );
        return { ...grant, refreshToken: refreshToken(parsed.sessionId, secret) };
      }
      if (row.in_grace && sameDigest(presented, row.previous_refresh_hash)) return grant;
      await manager.query('DELETE FROM auth_sessions WHERE id = $1', [parsed.sessionId]);
      return null;
    });
  }

  /** Ends a session; with `userId`, only one of that user's. */
  async end(sessionId: string, userId?: string): Promise<void> {
    await this.dataSource.query('DELETE FROM auth_sessions WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2)', [
      sessionId,
      userId ?? null,
    ]);
  }

  /** The session a refresh cookie names, if the cookie's secret is one the session knows (so no one ends another's session). */
  async sessionOfCookie(token: string): Promise<string | null> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return null;
    const [row]: { refresh_hash: Buffer; previous_refresh_hash: Buffer | null }[] = await this.dataSource.query(
      'SELECT refresh_hash, previous_refresh_hash FROM auth_sessions WHERE id = $1',
      [parsed.sessionId],
    );
    const presented = sha256(parsed.secret);
    return row && (sameDigest(presented, row.refresh_hash) || sameDigest(presented, row.previous_refresh_hash)) ? parsed.sessionId : null;
  }
}
