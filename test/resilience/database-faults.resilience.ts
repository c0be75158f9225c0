import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, sleep, startAppProcess } from './support/app-process.js';
import { commitmentBody, LedgerClient } from './support/ledger-client.js';
import { ScratchPostgres } from './support/scratch-postgres.js';
import { runLoops, Tally } from './support/workload.js';

// A server of the suite's own is stopped, crashed and cut off while reads and writes are in flight.
describe('database faults', () => {
  let postgres: ScratchPostgres;
  let databaseUrl: string;
  let app: AppProcess;
  let client: LedgerClient;

  beforeAll(async () => {
    postgres = await ScratchPostgres.create();
    databaseUrl = await postgres.createDatabase('ledger_faults');
    app = await startAppProcess({ DATABASE_URL: databaseUrl, DEMO_DATA: 'false' });
    client = await LedgerClient.signIn(app.baseUrl);
  });

  afterAll(async () => {
    app?.child.kill('SIGKILL');
    await postgres?.destroy();
  });

  it('answers 503 while the database is away, recovers by itself, and keeps every acknowledged write', async () => {
    const companyId = await client.companyId('Fault Tolerant Compute');
    const chipId = await client.chipId('H100 SXM');
    const writes = new Tally();
    const reads = new Tally();
    const healthWhileDown = new Tally();
    let down = false;
    let stop = false;

    const workload = runLoops(
      8,
      async (loop, iteration) => {
        if (loop < 5) {
          const key = `fault-${loop}-${iteration}`;
          const outcome = await client.request('POST', '/api/commitments', commitmentBody(companyId, chipId, key, 1000 + iteration));
          writes.record(outcome);
          if (outcome.status === 201) writes.acknowledged.push(key);
        } else if (loop < 7) {
          reads.record(await client.request('GET', '/api/commitments?limit=20'));
        } else {
          const startedWhileDown = down;
          const outcome = await client.request('GET', '/api/health');
          if (startedWhileDown && down) healthWhileDown.record(outcome);
          await sleep(50);
        }
      },
      () => stop,
    );

    const faults: string[] = [];
    const recoveries: number[] = [];
    const awaitRecovery = async () => {
      const started = Date.now();
      for (;;) {
        const health = await client.request('GET', '/api/health');
        if (health.status === 200) break;
        if (Date.now() - started > 30_000) throw new Error('the service did not recover within 30 s');
        await sleep(100);
      }
      recoveries.push(Date.now() - started);
    };

    await sleep(1500);
    await postgres.stop('fast');
    faults.push('clean stop');
    down = true;
    await sleep(2000);
    down = false;
    await postgres.start();
    await awaitRecovery();
    await sleep(1500);

    faults.push(`${await postgres.terminateConnections('ledger_faults')} connections killed`);
    await sleep(1500);

    await postgres.stop('immediate');
    faults.push('crash (immediate stop)');
    down = true;
    await sleep(2000);
    down = false;
    await postgres.start();
    await awaitRecovery();
    await sleep(1500);
    stop = true;
    await workload;

    const stored = new pg.Client({ connectionString: databaseUrl });
    await stored.connect();
    const keys = new Set(
      (
        await stored.query<{ external_key: string }>('SELECT external_key FROM commitments WHERE external_key LIKE $1', ['fault-%'])
      ).rows.map((row) => row.external_key),
    );
    const withoutSources = (
      await stored.query('SELECT id FROM commitments c WHERE NOT EXISTS (SELECT 1 FROM commitment_sources s WHERE s.commitment_id = c.id)')
    ).rowCount;
    await stored.end();

    const lost = writes.acknowledged.filter((key) => !keys.has(key));
    console.log(
      `database faults: ${faults.join(', ')}; writes ${writes.summary()}; reads ${reads.summary()}; ` +
        `health while down ${healthWhileDown.summary()}; recovered in ${recoveries.join(' ms, ')} ms; ` +
        `acknowledged ${writes.acknowledged.length}, found ${writes.acknowledged.length - lost.length}`,
    );

    if (process.env.SHOW_SERVER_LOG) console.log(app.output());
    const unexpected = (status: string) => status !== '200' && status !== '201' && status !== '503';
    expect(writes.count(unexpected), writes.summary()).toBe(0);
    expect(reads.count(unexpected), reads.summary()).toBe(0);
    expect(writes.count((status) => status === '503')).toBeGreaterThan(0);
    expect(healthWhileDown.requests).toBeGreaterThan(0);
    expect(
      healthWhileDown.count((status) => status !== '503'),
      healthWhileDown.summary(),
    ).toBe(0);
    expect(app.child.exitCode).toBeNull();
    expect(writes.acknowledged.length).toBeGreaterThan(50);
    expect(lost).toEqual([]);
    expect(withoutSources).toBe(0);
    const after = await client.request('POST', '/api/commitments', commitmentBody(companyId, chipId, 'fault-after', 5));
    expect(after.status).toBe(201);
  });
});
