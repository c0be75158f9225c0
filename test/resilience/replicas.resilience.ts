import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/data-source-options.js';
import { type AppProcess, sleep, startAppProcess } from './support/app-process.js';
import { commitmentBody, LedgerClient } from './support/ledger-client.js';
import { ScratchPostgres } from './support/scratch-postgres.js';

const DATABASE = 'ledger_replicas';
const DASHBOARD_ROUTES = ['/api/capacity?metric=units', '/api/capacity/summary?metric=units', '/api/capacity/top-companies?metric=units'];

/**
 * The statements a server has logged (it runs with `log_statement=all`), each with its continuation lines: a
 * per-server record of what the API sent where, written before the statement runs, so complete once a response is in.
 */
function loggedStatements(server: ScratchPostgres): string[] {
  return server
    .log()
    .split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/)
    .filter((entry) => /\bLOG:\s+(statement|execute [^:]*):/.test(entry));
}

/** How many statements each server has logged, and how many of them touched the capacity rollup. */
function tally(server: ScratchPostgres) {
  const statements = loggedStatements(server);
  return { statements: statements.length, rollup: statements.filter((entry) => entry.includes('capacity_rollup')).length };
}

/** Waits until the replica has replayed everything the primary has written so far. */
async function caughtUp(primary: ScratchPostgres, replica: ScratchPostgres): Promise<void> {
  const [{ lsn }] = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  for (const deadline = Date.now() + 30_000; ; await sleep(50)) {
    const [{ replayed }] = await replica.query<{ replayed: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed', [lsn]);
    if (replayed) return;
    if (Date.now() > deadline) throw new Error(`the replica did not replay ${lsn} within 30 s`);
  }
}

interface DashboardAnswer {
  status: number;
  etag: string | null;
  body: { total?: number; companies?: { total: number }[] };
}

async function dashboard(client: LedgerClient, route: string, companyId: string): Promise<DashboardAnswer> {
  const response = await fetch(`${client.baseUrl}${route}&companyId=${companyId}`, { headers: client.headers });
  return { status: response.status, etag: response.headers.get('etag'), body: (await response.json()) as DashboardAnswer['body'] };
}

// Two API processes on one PostgreSQL primary, with a streaming replica (a hot standby made by pg_basebackup) as
// DATABASE_READ_URLS: the dashboard's aggregates read on the replica when it has replayed the ledger version they
// answer for, everything else on the primary.
describe('several instances and a read replica', () => {
  let primary: ScratchPostgres;
  let replica: ScratchPostgres;
  let first: AppProcess;
  let second: AppProcess;
  /** Signed in on the first instance. */
  let one: LedgerClient;
  /** The same token, used on the second instance. */
  let two: LedgerClient;
  let companyId: string;
  let chipId: string;
  let written = 0;

  /** A commitment through `client`; returns the units the company now holds. */
  const write = async (client: LedgerClient, quantity: number) => {
    const created = await client.request('POST', '/api/commitments', commitmentBody(companyId, chipId, `replica-${written}`, quantity));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    written += quantity;
    return written;
  };

  beforeAll(async () => {
    primary = await ScratchPostgres.create({ log_statement: 'all' });
    const databaseUrl = await primary.createDatabase(DATABASE);
    replica = await primary.createReplica({ log_statement: 'all' });
    const environment = { DATABASE_URL: databaseUrl, DATABASE_READ_URLS: replica.url(DATABASE), DEMO_DATA: 'false' };
    // Both start at once on an empty database, as a scaled-out deployment does.
    [first, second] = await Promise.all([startAppProcess(environment), startAppProcess(environment)]);
    one = await LedgerClient.signIn(first.baseUrl);
    two = new LedgerClient(second.baseUrl, one.headers);
    companyId = await one.companyId('Replicated Compute');
    chipId = await one.chipId('H100 SXM');
  });

  afterAll(async () => {
    if (process.env.SHOW_SERVER_LOG) console.log(first?.output(), second?.output());
    first?.child.kill('SIGKILL');
    second?.child.kill('SIGKILL');
    await replica?.destroy();
    await primary?.destroy();
  });

  it('starts two instances together on an empty database: one migrates and loads the catalog while the other waits', async () => {
    const [stored] = await primary.query<{ migrations: number; chips: number; repeated: number; users: number }>(
      `SELECT (SELECT count(*)::int FROM migrations) AS migrations, (SELECT count(*)::int FROM accelerators) AS chips,
         (SELECT count(*) - count(DISTINCT name) FROM migrations)::int + (SELECT count(*) - count(DISTINCT name) FROM accelerators)::int AS repeated,
         (SELECT count(*)::int FROM users) AS users`,
      [],
      DATABASE,
    );
    expect(stored).toEqual({ migrations: MIGRATIONS.length, chips: expect.any(Number), repeated: 0, users: 1 });
    expect(stored.chips).toBeGreaterThan(10);
    // Neither had to retry its start (a migration race shows as "Unable to connect to the database. Retrying").
    expect(first.output() + second.output()).not.toMatch(/Retrying|already exists/);
    expect(first.child.exitCode).toBeNull();
    expect(second.child.exitCode).toBeNull();
  });

  it('shares sessions: a token from one instance works on the other, and a password change through one ends it on both', async () => {
    const viewer = { email: 'viewer@replicas.test', password: 'viewer password one' };
    expect((await one.request('POST', '/api/users', { ...viewer, role: 'viewer' })).status).toBe(201);
    const signedIn = await fetch(`${first.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(viewer),
    });
    const { accessToken } = (await signedIn.json()) as { accessToken: string };
    const onFirst = new LedgerClient(first.baseUrl, { authorization: `Bearer ${accessToken}` });
    const onSecond = new LedgerClient(second.baseUrl, onFirst.headers);
    expect((await onSecond.request('GET', '/api/auth/me')).status).toBe(200);

    const changed = await onSecond.request('POST', '/api/auth/password', {
      currentPassword: viewer.password,
      newPassword: 'viewer password two',
    });
    expect(changed.status).toBe(200);
    expect((await onFirst.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await onSecond.request('GET', '/api/auth/me')).status).toBe(401);
    const renewed = { authorization: `Bearer ${(changed.body as { accessToken: string }).accessToken}` };
    expect((await new LedgerClient(first.baseUrl, renewed).request('GET', '/api/auth/me')).status).toBe(200);
  });

  it('shows a write through one instance at once in the capacity answers of both', async () => {
    const before = await write(one, 1000);
    const firstAnswer = await dashboard(two, DASHBOARD_ROUTES[0], companyId);
    expect(firstAnswer.body.total).toBe(before);
    expect((await dashboard(one, DASHBOARD_ROUTES[0], companyId)).etag).toBe(firstAnswer.etag);

    const after = await write(two, 2500);
    const onFirst = await dashboard(one, DASHBOARD_ROUTES[0], companyId);
    const onSecond = await dashboard(two, DASHBOARD_ROUTES[0], companyId);
    expect(onFirst.body.total).toBe(after);
    expect(onSecond.body.total).toBe(after);
    expect(onFirst.etag).not.toBe(firstAnswer.etag);
    expect(onSecond.etag).toBe(onFirst.etag);
  });

  it('reads the dashboard aggregates on the replica once it has replayed the latest write, and everything else on the primary', async () => {
    const total = await write(one, 400);
    await caughtUp(primary, replica);

    const beforeLists = { primary: tally(primary), replica: tally(replica) };
    for (const client of [one, two]) {
      expect((await client.request('GET', '/api/commitments?limit=20')).status).toBe(200);
      expect((await client.request('GET', `/api/companies/${companyId}`)).status).toBe(200);
      expect((await client.request('GET', '/api/auth/me')).status).toBe(200);
    }
    const afterLists = { primary: tally(primary), replica: tally(replica) };
    expect(afterLists.primary.statements).toBeGreaterThan(beforeLists.primary.statements);
    expect(afterLists.replica.statements).toBe(beforeLists.replica.statements);

    for (const client of [one, two]) {
      for (const route of DASHBOARD_ROUTES) {
        const answer = await dashboard(client, route, companyId);
        expect(answer.status).toBe(200);
        expect(answer.body.total ?? answer.body.companies?.[0].total).toBe(total);
      }
    }
    const afterDashboards = { primary: tally(primary), replica: tally(replica) };
    // Each instance computes each answer once (its cache holds it for this ledger version): 3 routes × 2 instances.
    expect(afterDashboards.replica.rollup - afterLists.replica.rollup).toBe(6);
    expect(afterDashboards.primary.rollup).toBe(afterLists.primary.rollup);
    console.log(
      `replica routing: lists, records and sessions sent ${afterLists.primary.statements - beforeLists.primary.statements} statements ` +
        `to the primary and ${afterLists.replica.statements - beforeLists.replica.statements} to the replica; 6 dashboard answers read ` +
        `the rollup ${afterDashboards.replica.rollup - afterLists.replica.rollup} times on the replica and ` +
        `${afterDashboards.primary.rollup - afterLists.primary.rollup} on the primary`,
    );
  });

  it('answers from the primary while the replica lags, so no answer is older than the ledger version it is served under', async () => {
    await replica.query('SELECT pg_wal_replay_pause()');
    const total = await write(one, 70);
    const before = { primary: tally(primary), replica: tally(replica) };
    const answer = await dashboard(two, DASHBOARD_ROUTES[0], companyId);
    expect(answer.body.total).toBe(total);
    expect(tally(primary).rollup - before.primary.rollup).toBe(1);
    expect(tally(replica).rollup).toBe(before.replica.rollup);

    await replica.query('SELECT pg_wal_replay_resume()');
    await caughtUp(primary, replica);
    const resumed = tally(replica).rollup;
    expect((await dashboard(one, DASHBOARD_ROUTES[0], companyId)).body.total).toBe(total);
    expect(tally(replica).rollup - resumed).toBe(1);
  });

  it('answers from the primary while the replica is down, and reads on the replica again once it is back', async () => {
    await replica.stop('fast');
    const total = await write(two, 5);
    const before = tally(primary).rollup;
    for (const client of [one, two]) {
      expect((await dashboard(client, DASHBOARD_ROUTES[0], companyId)).body.total).toBe(total);
      expect((await client.request('GET', '/api/health')).status).toBe(200);
    }
    expect(tally(primary).rollup - before).toBe(2);
    expect(first.output() + second.output()).toContain('the read replica failed');

    await replica.start();
    const again = await write(one, 3);
    await caughtUp(primary, replica);
    const restarted = tally(replica).rollup;
    for (const client of [one, two]) expect((await dashboard(client, DASHBOARD_ROUTES[0], companyId)).body.total).toBe(again);
    expect(tally(replica).rollup - restarted).toBe(2);
  });

  it('refuses DATABASE_READ_URLS at start with the embedded engine, which has no replicas', async () => {
    await expect(startAppProcess({ DATABASE_URL: '', DATABASE_READ_URLS: replica.url(DATABASE) })).rejects.toThrow(
      /DATABASE_READ_URLS: read replicas need DATABASE_URL \(the embedded PostgreSQL has no replicas\)/,
    );
  });
});
