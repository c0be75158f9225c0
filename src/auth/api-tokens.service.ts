import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError, notFound } from '../common/errors.js';
import { API_TOKEN_DAYS, type ApiTokenView, type CreatedApiToken } from '../contracts/auth.js';
import { newApiToken, sha256 } from './credentials.js';
import type { CreateApiTokenDto } from './dto/api-token.dto.js';
import { type AuthenticatedUser, roleAtLeast } from '../domain/roles.js';

/** Last use is written at most this often per token (and instance): never a write per request. */
const LAST_USE_RESOLUTION_MS = 60_000;
const MAX_TRACKED_TOKENS = 10_000;

interface TokenRow {
  id: string;
  name: string;
  role: ApiTokenView['role'];
  owner_id: string;
  owner_email: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
}

const forbiddenField = (field: string, message: string) =>
  new DomainError(HttpStatus.FORBIDDEN, `${field}: ${message}`, [{ field, messages: [message] }]);

/** Tokens for scripts and BI tools (`api_tokens`): only their SHA-256 is stored; deleting one bumps the auth version. */
@Injectable()
export class ApiTokensService {
  /** When this instance last wrote each token's last use. */
  private readonly lastUseWritten = new Map<string, number>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(owner: AuthenticatedUser, dto: CreateApiTokenDto): Promise<CreatedApiToken> {
    const role = dto.role ?? 'viewer';
    if (!roleAtLeast(owner.role, role)) throw forbiddenField('role', `must be at most your own role (${owner.role})`);
    const token = newApiToken();
    const [{ id }]: { id: string }[] = await this.dataSource.query(
      `INSERT INTO api_tokens (user_id, name, role, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5)) RETURNING id`,
      [owner.id, dto.name, role, sha256(token), dto.expiresInDays ?? API_TOKEN_DAYS.default],
    );
    return { id, token };
  }

  /** The caller's own tokens, newest first; with `all`, an admin's view of everyone's. */
  async list(caller: AuthenticatedUser, all = false): Promise<ApiTokenView[]> {
    if (all && caller.role !== 'admin') throw forbiddenField('all', 'only an admin sees every user’s tokens');
    const rows: TokenRow[] = await this.dataSource.query(
      `SELECT t.id, t.name, t.role, u.id AS owner_id, u.email AS owner_email, t.created_at, t.expires_at, t.last_used_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE $1 OR t.user_id = $2
       ORDER BY t.created_at DESC, t.id`,
      [all, caller.id],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      role: row.role,
      owner: { id: row.owner_id, email: row.owner_email },
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastUsedAt: row.last_used_at,
    }));
  }

  /** Deletes one of the caller's tokens (an admin's: anyone's); 404 for any other, so ids of others' stay unknown. */
  async delete(caller: AuthenticatedUser, id: string): Promise<void> {
    const [, deleted]: [unknown, number] = await this.dataSource.query('DELETE FROM api_tokens WHERE id = $1 AND (user_id = $2 OR $3)', [
      id,
      caller.id,
      caller.role === 'admin',
    ]);
    if (deleted === 0) throw notFound('API token', id);
  }

  /** Records a use, unless this instance, or the database, has one from less than a minute ago. */
  async recordUse(id: string, lastUsedAt: number | null): Promise<void> {
    const now = Date.now();
    if (now - (this.lastUseWritten.get(id) ?? lastUsedAt ?? 0) < LAST_USE_RESOLUTION_MS) return;
    if (this.lastUseWritten.size >= MAX_TRACKED_TOKENS) this.lastUseWritten.clear();
    this.lastUseWritten.set(id, now);
    await this.dataSource.query(
      `UPDATE api_tokens SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
      [id, LAST_USE_RESOLUTION_MS / 1000],
    );
  }
}
