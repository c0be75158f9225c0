import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, startAppProcess } from './support/app-process.js';
import { commitmentBody, LedgerClient } from './support/ledger-client.js';
import { ScratchPostgres } from './support/scratch-postgres.js';
import { runLoops, Tally } from './support/workload.js';

describe('process faults', () => {
  let postgres: ScratchPostgres;

  beforeAll(async () => {
    postgres = await ScratchPostgres.create();
  });
  afterAll(() => postgres?.destroy());

  it('finishes the requests in flight on SIGTERM, then exits cleanly', async () => {
    const databaseUrl = await postgres.createDatabase('ledger_sigterm');
    const app = await startAppProcess({ DATABASE_URL: databaseUrl, DEMO_DATA: 'true' });
    const client = await LedgerClient.signIn(app.baseUrl);
    const companyId = await client.companyId('Graceful Compute');
    const chipId = await client.chipId('B200');
    // Requests sent at least 50 ms before the signal: over loopback the server has them by then (a request sent
    // at the very instant the server closes an idle keep-alive socket never reached it, and a client retries it).
    const inFlight = new Map<number, number>();
    const caughtInFlight = new Tally();
    const all = new Tally();
    let signalled = false;
    let stop = false;
    let next = 0;

    const workload = runLoops(
      24,
      async (loop, iteration) => {
        const id = next++;
        inFlight.set(id, performance.now());
        const key = `graceful-${loop}-${iteration}`;
        const outcome =
          loop % 2 === 0
            ? await client.request('POST', '/api/commitments', commitmentBody(companyId, chipId, key, 10))
            : await client.request('GET', '/api/commitments?limit=100');
        if (outcome.status === 201) all.acknowledged.push(key);
        const wasInFlightAtSignal = signalledWhile.has(id);
        inFlight.delete(id);
        all.record(outcome);
        if (wasInFlightAtSignal) caughtInFlight.record(outcome);
        if (signalled) await sleep(20);
      },
      () => stop,
    );
    const signalledWhile = new Set<number>();
    await sleep(1500);
    const signalAt = performance.now();
    for (const [id, startedAt] of inFlight) if (signalAt - startedAt >= 50) signalledWhile.add(id);
    signalled = true;
    app.child.kill('SIGTERM');
    const exitCode = await app.exited;
    stop = true;
    await workload;

    console.log(
      `SIGTERM under load: ${signalledWhile.size} requests in flight at the signal → ${caughtInFlight.summary()}; ` +
        `all requests ${all.summary()}; exit code ${exitCode}`,
    );
    // Each request in flight gets a whole answer: its result, or — where the server had not begun it — a clean
    // 503 "shutting down, retry"; none is cut off.
    expect(signalledWhile.size).toBeGreaterThan(5);
    expect(
      caughtInFlight.count((status) => !['200', '201', '503'].includes(status)),
      caughtInFlight.summary(),
    ).toBe(0);
    expect(caughtInFlight.count((status) => status === '200' || status === '201')).toBeGreaterThan(0);
    expect(exitCode).toBe(0);
    const stored = new pg.Client({ connectionString: databaseUrl });
    await stored.connect();
    const { rows } = await stored.query<{ external_key: string }>('SELECT external_key FROM commitments WHERE external_key LIKE $1', [
      'graceful-%',
    ]);
    await stored.end();
    const keys = new Set(rows.map((row) => row.external_key));
    expect(all.acknowledged.filter((key) => !keys.has(key))).toEqual([]);
  });

  it('keeps every acknowledged write of the embedded default through a kill -9', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-embedded-kill-'));
    try {
      const first = await startAppProcess({ DATA_DIR: dataDir, DEMO_DATA: 'false' });
      const client = await LedgerClient.signIn(first.baseUrl);
      const companyId = await client.companyId('Durable Compute');
      const chipId = await client.chipId('H100 SXM');
      const writes = new Tally();
      let stop = false;
      const workload = runLoops(
        6,
        async (loop, iteration) => {
          const key = `durable-${loop}-${iteration}`;
          const outcome = await client.request('POST', '/api/commitments', commitmentBody(companyId, chipId, key, 100));
          writes.record(outcome);
          if (outcome.status === 201) writes.acknowledged.push(key);
        },
        () => stop,
      );
      await sleep(5000);
      first.child.kill('SIGKILL');
      await first.exited;
      stop = true;
      await workload;

      const second = await startAppProcess({ DATA_DIR: dataDir, DEMO_DATA: 'false' });
      const found = new Set<string>();
      for (let page = 1; ; page++) {
        const response = await (
          await LedgerClient.signIn(second.baseUrl)
        ).request('GET', `/api/commitments?limit=500&page=${page}&companyId=${companyId}`);
        const items = (response.body as { items: { key: string }[] }).items;
        items.forEach((item) => found.add(item.key));
        if (items.length < 500) break;
      }
      second.child.kill('SIGTERM');
      await second.exited;
      const lost = writes.acknowledged.filter((key) => !found.has(key));
      console.log(
        `embedded kill -9: writes ${writes.summary()}; acknowledged ${writes.acknowledged.length}, found after restart ${writes.acknowledged.length - lost.length}`,
      );
      expect(writes.acknowledged.length).toBeGreaterThan(20);
      expect(lost).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a bulk import killed mid-write', () => {
  let postgres: ScratchPostgres;
  beforeAll(async () => {
    postgres = await ScratchPostgres.create();
  });
  afterAll(() => postgres?.destroy());

  it('leaves the database exactly as it was before the import', async () => {
    const databaseUrl = await postgres.createDatabase('ledger_import_kill');
    const first = await startAppProcess({ DATABASE_URL: databaseUrl, DEMO_DATA: 'true' });
    const stored = new pg.Client({ connectionString: databaseUrl });
    await stored.connect();
    const counts = async () =>
      (
        await stored.query(
          `SELECT (SELECT count(*) FROM commitments)::int AS commitments, (SELECT count(*) FROM commitment_sources)::int AS sources,
                  (SELECT count(*) FROM companies)::int AS companies`,
        )
      ).rows[0];
    const before = await counts();

    const rows = ['key,company,company_kind,country,accelerator,quantity,announced_on,delivery_by,status,source_title'];
    for (let index = 0; index < 30_000; index++) {
      rows.push(
        `killed-${index},Killed Import Co ${index % 50},ai_lab,US,H100 SXM,${100 + index},2025-03-01,2025-Q4,announced,Row ${index}`,
      );
    }
    const { headers } = await LedgerClient.signIn(first.baseUrl);
    const upload = fetch(`${first.baseUrl}/api/imports?dryRun=false`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: rows.join('\n'),
    }).then(
      (response) => response.status,
      () => 'network' as const,
    );

    // Wait until the import is writing rows inside its transaction, then kill the server outright.
    const deadline = Date.now() + 120_000;
    let writing = false;
    while (!writing && Date.now() < deadline) {
      const active = await stored.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
           AND query ILIKE '%INSERT INTO commitments %'`,
      );
      writing = (active.rowCount ?? 0) > 0;
      if (!writing) await sleep(10);
    }
    expect(writing, 'the import never reached its writes').toBe(true);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await upload).toBe('network');

    const second = await startAppProcess({ DATABASE_URL: databaseUrl });
    const after = await counts();
    await stored.end();
    second.child.kill('SIGTERM');
    await second.exited;
    console.log(`kill -9 during a 30,000-row import: before ${JSON.stringify(before)}, after restart ${JSON.stringify(after)}`);
    expect(after).toEqual(before);
  });
});
