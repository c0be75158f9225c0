import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors.js';
import { RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit.js';

/** The key an account's failures are counted under: the email as typed, whatever its case, known or not. */
export const accountKey = (email: string): string => email.trim().toLowerCase();

/**
 * Password checks per account, counted in PostgreSQL so that the limit holds across instances and whatever the
 * client's address: each check is counted before the password is verified (so parallel guesses cannot all slip
 * through), and a right password clears the count. Once an account has had LOGIN_FAILURES_PER_ACCOUNT checks in
 * the window that began with the first of them, further checks get 429 with `Retry-After` until the window ends,
 * even with the right password; then the next check opens a new window.
 */
@Injectable()
export class LoginLimit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
  ) {}

  /** Counts a password check for the account; 429 when it has had its allowance. */
  async begin(email: string): Promise<void> {
    const limit = this.options.loginFailuresPerAccount;
    if (limit === 0) return;
    const [row]: { failures: number; retry_after: number }[] = await this.dataSource.query(
      `INSERT INTO login_failures AS f (account, window_started_at, failures) VALUES ($1, now(), 1)
       ON CONFLICT (account) DO UPDATE SET
         failures = CASE WHEN f.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE f.failures + 1 END,
         window_started_at = CASE WHEN f.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE f.window_started_at END
       RETURNING failures, ceil(extract(epoch FROM f.window_started_at + make_interval(secs => $2) - now()))::integer AS retry_after`,
      [accountKey(email), this.options.loginFailureWindowSeconds],
    );
    if (row.failures > limit) {
      const seconds = String(Math.max(1, row.retry_after));
      throw new DomainError(
        HttpStatus.TOO_MANY_REQUESTS,
        `Too many failed sign-ins for this account: try again in ${seconds} s`,
        undefined,
        undefined,
        { 'Retry-After': seconds },
      );
    }
  }

  /** The right password: the account's count starts again; counts of windows long over are dropped on the way. */
  async succeeded(email: string): Promise<void> {
    if (this.options.loginFailuresPerAccount === 0) return;
    await this.dataSource.query('DELETE FROM login_failures WHERE account = $1 OR window_started_at < now() - make_interval(secs => $2)', [
      accountKey(email),
      this.options.loginFailureWindowSeconds,
    ]);
  }
}
