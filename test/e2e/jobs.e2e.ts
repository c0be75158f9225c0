import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Job, JobsService, RetryLater } from '../../src/jobs/jobs.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The apps here run jobs only when a test asks (runDue), so each step is seen as it happens.
const pollSetting = process.env.JOB_POLL_SECONDS;
process.env.JOB_POLL_SECONDS = '0';

let first: TestApp;
let second: TestApp;
let jobsOf: (app: TestApp) => JobsService;
let database: DataSource;

/** What each handler saw, by queue. */
const seen = new Map<string, Job[]>();
const record = (job: Job): void => void seen.set(job.queue, [...(seen.get(job.queue) ?? []), job]);

beforeAll(async () => {
  first = await startTestApp();
  // The second instance shares the first one's database (startTestApp would empty it again).
  second = await startTestApp({ reuseDatabase: true });
  jobsOf = (app) => app.app.get(JobsService);
  database = first.app.get<DataSource>(getDataSourceToken());
  for (const app of [first, second]) {
    const jobs = jobsOf(app);
    jobs.register('test.ok', async (job) => record(job));
    // Slow enough that both instances claim while the other's jobs still run.
    jobs.register(
      'test.slow',
      async (job) => {
        record(job);
        await new Promise((resolve) => setTimeout(resolve, 200));
      },
      { concurrency: 5 },
    );
    jobs.register(
      'test.flaky',
      async (job) => {
        record(job);
        if (job.attempt <= 2) throw new Error(`refused on attempt ${job.attempt}`);
      },
      { retry: { baseSeconds: 60, maxSeconds: 600 } },
    );
    jobs.register('test.later', async (job) => {
      record(job);
      if (job.attempt === 1 && (seen.get('test.later')?.length ?? 0) === 1) throw new RetryLater('busy, come back', 30);
    });
  }
});
afterAll(async () => {
  await second?.close();
  await first?.close();
  if (pollSetting === undefined) delete process.env.JOB_POLL_SECONDS;
  else process.env.JOB_POLL_SECONDS = pollSetting;
});

const jobRow = async (id: string) =>
  (await database.query('SELECT state, attempts, last_error, run_at > now() AS later FROM jobs WHERE id = $1', [id]))[0];
/** Makes a job that waits for its retry due now, as if the delay had passed. */
const fastForward = (id: string) => database.query('UPDATE jobs SET run_at = now() WHERE id = $1', [id]);
const runBoth = async () => {
  const started = (await Promise.all([jobsOf(first).runDue(), jobsOf(second).runDue()])).reduce((a, b) => a + b, 0);
  await Promise.all([jobsOf(first).idle(), jobsOf(second).idle()]);
  return started;
};

describe('background jobs', () => {
  it('exist only when the transaction that queued them commits', async () => {
    const kept = await database.transaction((manager) => jobsOf(first).enqueue(manager, 'test.ok', { n: 1 }));
    await database
      .transaction(async (manager) => {
        await jobsOf(first).enqueue(manager, 'test.ok', { n: 2 });
        throw new Error('the write fails');
      })
      .catch(() => undefined);
    expect(await runBoth()).toBe(1);
    expect(seen.get('test.ok')?.map((job) => job.payload)).toEqual([{ n: 1 }]);
    expect(await jobRow(kept!)).toMatchObject({ state: 'done', attempts: 1, last_error: null });
  });

  it('run once each with two instances claiming at the same moment', async () => {
    for (let n = 0; n < 20; n++) await jobsOf(first).enqueue(database.manager, 'test.slow', { n });
    // Each instance claims up to five at once: four rounds at least, whatever the interleaving.
    let started = 0;
    for (let round = 0; round < 10 && started < 20; round++) started += await runBoth();
    expect(started).toBe(20);
    const payloads = (seen.get('test.slow') ?? []).map((job) => (job.payload as { n: number }).n).sort((a, b) => a - b);
    expect(payloads).toEqual([...Array(20).keys()]);
  });

  it('retry a failure with a growing delay, then succeed, keeping the last error until then', async () => {
    const id = (await jobsOf(first).enqueue(database.manager, 'test.flaky', {}, { retryForSeconds: 86_400 }))!;
    await runBoth();
    expect(await jobRow(id)).toMatchObject({ state: 'pending', attempts: 1, last_error: 'refused on attempt 1', later: true });
    // Not due yet: nothing runs.
    expect(await runBoth()).toBe(0);
    await fastForward(id);
    await runBoth();
    expect(await jobRow(id)).toMatchObject({ state: 'pending', attempts: 2, last_error: 'refused on attempt 2', later: true });
    const [{ delay }] = await database.query('SELECT extract(epoch FROM run_at - now()) AS delay FROM jobs WHERE id = $1', [id]);
    // The second retry waits twice the base (120 s) plus up to 20 % jitter.
    expect(Number(delay)).toBeGreaterThan(110);
    expect(Number(delay)).toBeLessThanOrEqual(145);
    await fastForward(id);
    await runBoth();
    expect(await jobRow(id)).toMatchObject({ state: 'done', attempts: 3, last_error: null });
    expect(seen.get('test.flaky')?.map((job) => job.attempt)).toEqual([1, 2, 3]);
  });

  it('fail for good once the retry period is over', async () => {
    const id = (await jobsOf(first).enqueue(database.manager, 'test.flaky', {}))!;
    await runBoth();
    expect(await jobRow(id)).toMatchObject({ state: 'failed', attempts: 1, last_error: 'refused on attempt 1' });
    await fastForward(id);
    expect(await runBoth()).toBe(0);
  });

  it('come back later without using an attempt when the handler asks', async () => {
    const id = (await jobsOf(first).enqueue(database.manager, 'test.later', {}))!;
    await runBoth();
    expect(await jobRow(id)).toMatchObject({ state: 'pending', attempts: 0, last_error: 'busy, come back', later: true });
    await fastForward(id);
    await runBoth();
    expect(await jobRow(id)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('keep one pending job per singleton key', async () => {
    const a = await jobsOf(first).enqueue(database.manager, 'test.ok', { feed: 'a' }, { singletonKey: 'feed-a' });
    const b = await jobsOf(second).enqueue(database.manager, 'test.ok', { feed: 'a again' }, { singletonKey: 'feed-a' });
    expect(a).not.toBeNull();
    expect(b).toBeNull();
    await runBoth();
    // Once the first has run, the key is free again.
    expect(await jobsOf(first).enqueue(database.manager, 'test.ok', { feed: 'a' }, { singletonKey: 'feed-a' })).not.toBeNull();
    await runBoth();
  });

  it('run a schedule once per period whatever the number of instances', async () => {
    seen.delete('test.ok');
    await jobsOf(first).schedule(database.manager, 'every-hour', 'test.ok', { scheduled: true }, 3600);
    await runBoth();
    await runBoth();
    expect(seen.get('test.ok')?.map((job) => job.payload)).toEqual([{ scheduled: true }]);
    const [{ next }] = await database.query(
      `SELECT extract(epoch FROM next_run_at - now()) AS next FROM job_schedules WHERE name = 'every-hour'`,
    );
    expect(Number(next)).toBeGreaterThan(3500);
    // The period passes: it runs once more.
    await database.query(`UPDATE job_schedules SET next_run_at = now() WHERE name = 'every-hour'`);
    await runBoth();
    expect(seen.get('test.ok')).toHaveLength(2);
    await jobsOf(first).unschedule(database.manager, 'every-hour');
    await database.query(`UPDATE job_schedules SET next_run_at = now()`);
    await runBoth();
    expect(seen.get('test.ok')).toHaveLength(2);
  });
});
