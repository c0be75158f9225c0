import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from './support/app-process.js';
import { commitmentBody, LedgerClient } from './support/ledger-client.js';
import { ScratchPostgres } from './support/scratch-postgres.js';
import { runLoops, Tally } from './support/workload.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);

describe('mixed load', () => {
  let postgres: ScratchPostgres;
  let databaseUrl: string;
  let app: AppProcess;

  beforeAll(async () => {
    postgres = await ScratchPostgres.create();
    databaseUrl = await postgres.createDatabase('ledger_load');
    app = await startAppProcess({ DATABASE_URL: databaseUrl, DEMO_DATA: 'true' });
  });
  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    await postgres?.destroy();
  });

  it(`holds ${CONNECTIONS} connections of reads and writes for ${SECONDS} s with no error and no lost write`, async () => {
    const client = await LedgerClient.signIn(app.baseUrl);
    const companyId = await client.companyId('Load Bearing Compute');
    const chipId = await client.chipId('MI300X');
    const reads = new Tally();
    const writes = new Tally();
    const deadline = Date.now() + SECONDS * 1000;
    const started = performance.now();

    await runLoops(
      CONNECTIONS,
      async (loop, iteration) => {
        if (iteration % 4 === 3) {
          const key = `load-${loop}-${iteration}`;
          const outcome = await client.request('POST', '/api/commitments', commitmentBody(companyId, chipId, key, iteration + 1));
          writes.record(outcome);
          if (outcome.status === 201) writes.acknowledged.push(key);
        } else {
          const path = iteration % 2 === 0 ? '/api/commitments?limit=50&sort=-announcedOn' : '/api/companies';
          reads.record(await client.request('GET', path));
        }
      },
      () => Date.now() > deadline,
    );
    const elapsedSeconds = (performance.now() - started) / 1000;

    const stored = new pg.Client({ connectionString: databaseUrl });
    await stored.connect();
    const { rows } = await stored.query<{ external_key: string }>('SELECT external_key FROM commitments WHERE external_key LIKE $1', [
      'load-%',
    ]);
    await stored.end();
    const keys = new Set(rows.map((row) => row.external_key));
    const lost = writes.acknowledged.filter((key) => !keys.has(key));

    const total = reads.requests + writes.requests;
    const all = new Tally();
    [...reads.latencies, ...writes.latencies].forEach((ms) => all.record({ status: 200, ms }));
    console.log(
      `load: ${CONNECTIONS} connections for ${elapsedSeconds.toFixed(1)} s: ${total} requests, ${(total / elapsedSeconds).toFixed(0)} req/s; ` +
        `reads ${reads.summary()} p50 ${reads.percentile(50).toFixed(0)} ms p99 ${reads.percentile(99).toFixed(0)} ms; ` +
        `writes ${writes.summary()} p50 ${writes.percentile(50).toFixed(0)} ms p99 ${writes.percentile(99).toFixed(0)} ms; ` +
        `overall p99 ${all.percentile(99).toFixed(0)} ms; writes acknowledged ${writes.acknowledged.length}, found ${writes.acknowledged.length - lost.length}`,
    );
    expect(
      reads.count((status) => status !== '200'),
      reads.summary(),
    ).toBe(0);
    expect(
      writes.count((status) => status !== '201'),
      writes.summary(),
    ).toBe(0);
    expect(writes.acknowledged.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  });
});
