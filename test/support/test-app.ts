import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp } from '../../src/app.js';
import type { RateLimitOptions } from '../../src/auth/rate-limit.js';
import type { AuthenticatedUser, Role } from '../../src/auth/roles.js';

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
}

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  /** A logged-in session of a user with that role (one user per role, logged in once per app). */
  session(role: Role): Promise<TestSession>;
  /** The bearer header of `session(role)`. */
  as(role: Role): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  demoData?: boolean;
  publicRead?: boolean;
  tokenTtlSeconds?: number;
  rateLimits?: Partial<RateLimitOptions>;
  corsOrigins?: string[];
  /** The app's log; silent unless a test reads it. */
  logLevel?: 'log' | false;
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
    firstAdmin: TEST_ADMIN,
    demoAccounts: false,
    auth: { jwtSecret: TEST_JWT_SECRET, tokenTtlSeconds: options.tokenTtlSeconds ?? 3600, publicRead: options.publicRead ?? false },
    rateLimits: { perMinute: 1200, loginPerMinute: 10, ...options.rateLimits },
    corsOrigins: options.corsOrigins,
    logLevel: options.logLevel ?? false,
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;

  const sessions = new Map<Role, Promise<TestSession>>();
  const login = async (email: string, password: string): Promise<TestSession> => {
    const response = await http(baseUrl, 'POST', '/api/auth/login', { json: { email, password } });
    if (response.status !== 200) throw new Error(`login as ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
    const { accessToken, user } = response.body as { accessToken: string; user: AuthenticatedUser };
    return { accessToken, user, headers: { authorization: `Bearer ${accessToken}` } };
  };
  const session = (role: Role): Promise<TestSession> => {
    let pending = sessions.get(role);
    if (!pending) {
      pending = (async () => {
        if (role === 'admin') return login(TEST_ADMIN.email, TEST_ADMIN.password);
        const admin = await session('admin');
        const account = testAccount(role);
        const created = await http(baseUrl, 'POST', '/api/users', { json: { ...account, role }, headers: admin.headers });
        if (created.status !== 201) throw new Error(`creating the ${role} failed: ${created.status} ${JSON.stringify(created.body)}`);
        return login(account.email, account.password);
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
    close: () => app.close(),
  };
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
