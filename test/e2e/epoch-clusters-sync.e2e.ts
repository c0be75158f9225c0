import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { FeedServer } from '../support/feed-server.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const SMALL = readFileSync(new URL('../fixtures/epoch/gpu_clusters_small.csv', import.meta.url), 'utf8');
const CREDIT = 'Epoch AI, "Data on GPU Clusters", epoch.ai/data/gpu-clusters (CC BY 4.0)';
const SETTINGS = ['JOB_POLL_SECONDS', 'FEED_ALLOW_PRIVATE_ADDRESSES', 'EPOCH_CLUSTERS_URL', 'EPOCH_CLUSTERS_EVERY_HOURS'] as const;
const saved = Object.fromEntries(SETTINGS.map((name) => [name, process.env[name]]));
// The apps run their background work only when a test asks (runDue), so each run is seen as it happens.
process.env.JOB_POLL_SECONDS = '0';
process.env.FEED_ALLOW_PRIVATE_ADDRESSES = 'true';

const server = new FeedServer();
let first: TestApp;
let second: TestApp;

/** One pass of background work on every instance at once, and its end. */
async function runDue(...apps: TestApp[]): Promise<void> {
  await Promise.all(apps.map((app) => app.app.get(JobsService).runDue()));
  await Promise.all(apps.map((app) => app.app.get(JobsService).idle()));
}
/** The sync's status as an instance answers it; the accounts are the first instance's (the JWT secret is shared). */
const status = async (app: TestApp, accounts: TestApp = app) =>
  (await http(app.baseUrl, 'GET', '/api/imports/epoch-clusters/sync', { headers: await accounts.as('viewer') })).body;

beforeAll(async () => {
  await server.start();
  server.routes.set('/epoch/gpu_clusters.csv', {
    body: SMALL,
    contentType: 'text/csv; charset=utf-8',
    lastModified: 'Wed, 10 Dec 2025 08:00:00 GMT',
  });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
  await server.stop();
  for (const name of SETTINGS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('without EPOCH_CLUSTERS_URL', () => {
  it('schedules nothing, says so, and refuses a run with a 409', async () => {
    delete process.env.EPOCH_CLUSTERS_URL;
    const app = await startTestApp();
    try {
      expect(await status(app)).toEqual({ url: null, everyHours: 24, lastRun: null, credit: CREDIT });
      const database = app.app.get<DataSource>(getDataSourceToken());
      expect(await database.query(`SELECT name FROM job_schedules WHERE name = 'epoch-clusters'`)).toEqual([]);
      const run = await http(app.baseUrl, 'POST', '/api/imports/epoch-clusters/sync', { headers: await app.as('analyst') });
      expect(run.status).toBe(409);
      expect(run.body.message).toContain('EPOCH_CLUSTERS_URL');
    } finally {
      await app.close();
    }
  });
});

describe('with EPOCH_CLUSTERS_URL', () => {
  beforeAll(async () => {
    process.env.EPOCH_CLUSTERS_URL = `${server.url('/epoch/gpu_clusters.csv')}?key=secret`;
    first = await startTestApp();
    // A second instance over the same database, as behind a load balancer.
    second = await startTestApp({ reuseDatabase: true });
  });

  it('fetches and imports the file once per period, whatever the number of instances', async () => {
    await runDue(first, second);
    expect(server.requestsTo('/epoch/gpu_clusters.csv')).toHaveLength(1);
    const shown = await status(second, first);
    // The address without its query string; the run dated by the file's Last-Modified.
    expect(shown).toMatchObject({ url: server.url('/epoch/gpu_clusters.csv'), everyHours: 24, credit: CREDIT });
    expect(shown.lastRun).toMatchObject({
      url: server.url('/epoch/gpu_clusters.csv'),
      ok: true,
      error: null,
      report: { rows: 7, valid: 6, records: 7, created: 7, updated: 0, unchanged: 0, credit: CREDIT },
    });
    expect(shown.lastRun.report.errors).toEqual([
      { line: 9, field: 'Status', message: 'must be Existing, Planned or Decommissioned', value: 'Rumoured' },
    ]);
    const records = (await http(first.baseUrl, 'GET', '/api/commitments?limit=100', { headers: await first.as('viewer') })).body.items;
    expect(records.find((record: any) => record.key === 'epoch:Beta Lab Tenant').announcedOn).toBe('2025-12-10');

    // Nothing more within the period.
    await runDue(first, second);
    expect(server.requestsTo('/epoch/gpu_clusters.csv')).toHaveLength(1);
  });

  it('imports again at the next period, changing nothing for the same file', async () => {
    const database = first.app.get<DataSource>(getDataSourceToken());
    // The period has passed.
    await database.query(`UPDATE job_schedules SET next_run_at = now() WHERE name = 'epoch-clusters'`);
    await runDue(first, second);
    expect(server.requestsTo('/epoch/gpu_clusters.csv')).toHaveLength(2);
    expect((await status(first)).lastRun).toMatchObject({ ok: true, report: { created: 0, updated: 0, unchanged: 7 } });
  });

  it('keeps a failed run with its reason, for the import page', async () => {
    server.routes.set('/epoch/gpu_clusters.csv', { body: 'gone', status: 404, contentType: 'text/plain' });
    const run = await http(first.baseUrl, 'POST', '/api/imports/epoch-clusters/sync', { headers: await first.as('analyst') });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ ok: false, report: null, error: `${server.url('/epoch/gpu_clusters.csv')} answered 404` });
    expect((await status(second, first)).lastRun).toMatchObject({
      ok: false,
      error: `${server.url('/epoch/gpu_clusters.csv')} answered 404`,
    });
    const viewer = await http(first.baseUrl, 'POST', '/api/imports/epoch-clusters/sync', { headers: await first.as('viewer') });
    expect(viewer.status).toBe(403);
  });
});
