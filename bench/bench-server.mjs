// What the benchmarks run against: a scratch database (on BENCH_DATABASE_URL, else the embedded PostgreSQL in
// memory), the built API as its own process on it, and `npm run rollup:rebuild`'s script. Needs `npm run build:server`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import pg from 'pg';
import { productionStartArgs } from '../dist/src/common/production-start.js';
import { EMBEDDED_POOL_SIZE, EmbeddedDatabase } from '../dist/src/database/embedded-database.js';

/** The API's pool: ten connections on a server, the embedded engine's own limit otherwise. */
export const BENCH_POOL_SIZE = process.env.BENCH_DATABASE_URL ? 10 : EMBEDDED_POOL_SIZE;

/** The first admin of every server started here, for the benchmarks' writes. */
export const BENCH_ADMIN = { email: 'bench-admin@ledger.local', password: 'bench admin password' };

/** A new database named after `prefix` and this process, dropped by `drop()`; embedded when BENCH_DATABASE_URL is unset. */
export async function scratchDatabase(prefix) {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const embedded = new EmbeddedDatabase({});
    return { url: await embedded.start(), label: 'embedded PostgreSQL (PGlite, in memory)', drop: () => embedded.stop() };
  }
  const name = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const [{ server_version: version }] = (await admin.query('SHOW server_version')).rows;
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: `PostgreSQL ${version} (BENCH_DATABASE_URL)`,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * The built API as `npm run start:prod` starts it (`node`, its V8 flags, `dist/src/main.js`) on `databaseUrl` and `port`, with no demo data, no rate limits, warnings only in its log,
 * a throwaway signing key and BENCH_ADMIN; `env` adds or overrides variables (one set to undefined is left unset, so the server's default applies).
 * `logFile`: the server's stdout and stderr go to this file, as a process writes them (default: the benchmark's own). `nodeFlags` come before
 * the production flags (`--cpu-prof` to profile). Resolves once /api/health answers (migrations ran, catalog loaded).
 */
export async function startServer({ databaseUrl, port, env = {}, logFile, nodeFlags = [] }) {
  const serverEnv = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: String(BENCH_POOL_SIZE),
    RATE_LIMIT_PER_MINUTE: '0',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...env,
  };
  for (const [name, value] of Object.entries(serverEnv)) if (value === undefined) delete serverEnv[name];
  const log = logFile === undefined ? 'inherit' : openSync(logFile, 'w');
  const server = spawn(process.execPath, [...nodeFlags, ...productionStartArgs()], { env: serverEnv, stdio: ['ignore', log, log] });
  if (log !== 'inherit') closeSync(log);
  for (let attempt = 0; attempt < 600; attempt++) {
    if (server.exitCode !== null) throw new Error(`the API exited with code ${server.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill('SIGTERM');
  throw new Error('the API did not start within two minutes');
}

/** `Authorization` headers of `account` (default BENCH_ADMIN), signed in to the server on `port`. */
export async function signIn(port, account = BENCH_ADMIN) {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (!response.ok) throw new Error(`signing in as ${account.email}: ${response.status} ${await response.text()}`);
  const { accessToken } = await response.json();
  return { authorization: `Bearer ${accessToken}` };
}

/** Stops a server started by `startServer` and waits for it to exit. */
export async function stopServer(server) {
  if (!server || server.exitCode !== null) return;
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
}

/** `npm run rollup:rebuild`'s script on a database; resolves with what it printed. */
export function rebuildRollup(databaseUrl) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/scripts/rollup-rebuild.js'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(output.trim()) : reject(new Error(`rollup rebuild exited with ${code}`))));
  });
}
