import { type INestApplication, Logger } from '@nestjs/common';
import { parseSetCookie } from 'cookie';
import pg from 'pg';
import { inject, vi } from 'vitest';
import type { DestinationStream } from 'pino';
import { createApp } from '../../src/app.js';
import type { RateLimitOptions } from '../../src/auth/rate-limit.js';
import { REFRESH_COOKIE } from '../../src/auth/refresh-cookie.js';
import type { AuthenticatedUser, Role } from '../../src/domain/roles.js';
import { createLogger } from '../../src/common/logger.js';
import type { FirstAdmin } from '../../src/users/users.service.js';

/** The key the test apps sign tokens with, so tests can forge expired or tampered ones. */
export const TEST_JWT_SECRET = 'test-only-signing-key-0123456789abcdef';
export const TEST_ADMIN = { email: 'admin@ledger.test', password: 'admin password for tests' };
/** The account `as(role)` logs in with: created through the admin API the first time it is asked for. */
export const testAccount = (role: Role) => ({ email: `${role}@ledger.test`, password: `${role} password for tests` });

export interface TestSession {
  accessToken: string;
  user: AuthenticatedUser;
  /** `Authorization: Bearer …`, to spread into a request's headers. */
  headers: Record<string, string>;
  /** The value of the refresh cookie the login set (the web client's other tabs refresh from it). */
  refreshCookie: string;
  /** Signs the same account in again: a session of its own, for a browser to restore from its cookie. */
  signInAgain(): Promise<TestSession>;
  /** The app the session was signed in to. */
  baseUrl: string;
}

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  /** A logged-in session of a user with that role (one user per role, logged in once per app). */
  session(role: Role): Promise<TestSession>;
  /** The bearer header of `session(role)`. */
  as(role: Role): Promise<Record<string, string>>;
  /** A new sign-in (never shared) with this email and password; throws unless it succeeds. */
  login(account: { email: string; password: string }): Promise<TestSession>;
  /** Another instance of the application over the same database (not reset), as behind a load balancer. */
  startAnotherInstance(): Promise<TestApp>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  demoData?: boolean;
  publicRead?: boolean;
  tokenTtlSeconds?: number;
  rateLimits?: Partial<RateLimitOptions>;
  corsOrigins?: string[];
  /** Proxies whose X-Forwarded-For names the client, as TRUST_PROXY. */
  trustProxy?: number;
  /** The first admin; TEST_ADMIN unless a test asks for another (e.g. with a generated password). */
  firstAdmin?: FirstAdmin;
  /** Where the app's log goes (from level `log` up); silent unless a test reads it. */
  log?: DestinationStream;
  /** Leave the database as it is: a second instance over the ledger another test app started. */
  reuseDatabase?: boolean;
}

/** Empties every table so a test file starts from a clean ledger (the catalog loads again on start). */
export async function resetDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const tables: { tablename: string }[] = (
    await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`)
  ).rows;
  await client.query(`TRUNCATE ${tables.map((table) => `"${table.tablename}"`).join(', ')} CASCADE`);
  await client.end();
}

/**
 * The real application on a real port, over the run's database, reset first. Its first admin is TEST_ADMIN;
 * rate limits are the production defaults unless a test asks for others.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = inject('databaseUrl');
  if (!options.reuseDatabase) await resetDatabase(databaseUrl);
  const app = await createApp({
    databaseUrl,
    poolSize: inject('databasePoolSize'),
    demoData: options.demoData ?? false,
    firstAdmin: options.firstAdmin ?? TEST_ADMIN,
    demoAccounts: false,
    auth: { jwtSecret: TEST_JWT_SECRET, tokenTtlSeconds: options.tokenTtlSeconds ?? 3600, publicRead: options.publicRead ?? false },
    rateLimits: { perMinute: 1200, loginPerMinute: 10, loginFailuresPerAccount: 10, loginFailureWindowSeconds: 900, ...options.rateLimits },
    corsOrigins: options.corsOrigins,
    trustProxy: options.trustProxy,
    logger: options.log ? createLogger('log', options.log) : false,
  });
  // Listening starts the app (its first-start seeding included): a failure there must not leave its pool open.
  await app.listen(0, '127.0.0.1').catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;

  const sessions = new Map<Role, Promise<TestSession>>();
  const login = async (account: { email: string; password: string }): Promise<TestSession> => {
    const response = await http(baseUrl, 'POST', '/api/auth/login', { json: { email: account.email, password: account.password } });
    if (response.status !== 200) throw new Error(`login as ${account.email} failed: ${response.status} ${JSON.stringify(response.body)}`);
    const { accessToken, user } = response.body as { accessToken: string; user: AuthenticatedUser };
    return {
      accessToken,
      user,
      headers: { authorization: `Bearer ${accessToken}` },
      refreshCookie: refreshCookieOf(response.headers) ?? '',
      signInAgain: () => login(account),
      baseUrl,
    };
  };
  const session = (role: Role): Promise<TestSession> => {
    let pending = sessions.get(role);
    if (!pending) {
      pending = (async () => {
        if (role === 'admin') return login(TEST_ADMIN);
        const admin = await session('admin');
        const account = testAccount(role);
        const created = await http(baseUrl, 'POST', '/api/users', { json: { ...account, role }, headers: admin.headers });
        if (created.status !== 201) throw new Error(`creating the ${role} failed: ${created.status} ${JSON.stringify(created.body)}`);
        return login(account);
      })();
      sessions.set(role, pending);
    }
    return pending;
  };
  return {
    app,
    baseUrl,
    databaseUrl,
    session,
    as: async (role) => (await session(role)).headers,
    login,
    startAnotherInstance: () => startTestApp({ ...options, reuseDatabase: true }),
    close: () => app.close(),
  };
}

/**
 * An app whose first admin gets a generated password, printed once as on the embedded default, and that password
 * as the log shows it.
 */
export async function startWithGeneratedAdmin(email: string): Promise<{ testApp: TestApp; password: string }> {
  const warnings: string[] = [];
  const spy = vi.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  let testApp: TestApp;
  try {
    testApp = await startTestApp({ firstAdmin: { email, printGeneratedPassword: true } });
  } finally {
    spy.mockRestore();
  }
  const printed = warnings
    .map((warning) =>
      /^first start: admin (\S+) created with the password (\S+) \(shown once; change it at the first sign-in\)$/.exec(warning),
    )
    .find((match) => match?.[1] === email);
  if (!printed) throw new Error(`no generated password for ${email} in the log: ${warnings.join(' | ')}`);
  return { testApp, password: printed[2] };
}

/** The refresh cookie a response sets, if any. */
export function refreshCookieOf(headers: Headers): string | undefined {
  const cookie = headers
    .getSetCookie()
    .map((text) => parseSetCookie(text))
    .find((parsed) => parsed.name === REFRESH_COOKIE);
  return cookie?.value || undefined;
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A real HTTP call with a JSON body (or raw text with its content type). */
export async function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; text?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['content-type'] = options.contentType ?? 'text/plain';
    body = options.text;
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the raw text is the body
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
