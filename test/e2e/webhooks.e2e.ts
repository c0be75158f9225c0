import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { signatureMatches } from '../../src/webhooks/webhook-crypto.js';
import { ANNOUNCEMENTS_HEADER, announcementRow } from '../support/announcement-rows.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// Jobs run only when a test asks (runDue), so every attempt is seen as it happens and nothing waits on a clock.
const pollSetting = process.env.JOB_POLL_SECONDS;
process.env.JOB_POLL_SECONDS = '0';

const receiver = new WebhookReceiver();
let first: TestApp;
let second: TestApp;
let admin: Record<string, string>;
let analyst: Record<string, string>;
let database: DataSource;
let companyId: string;
let chipId: string;

const SECRET = 'a receiver secret for this test';

const call = (method: string, path: string, json?: unknown, headers = analyst) => http(first.baseUrl, method, path, { json, headers });
/**
 * Passes of the job workers of these apps, run at the same time, each until every instance has finished what it
 * started, until a pass finds nothing due; returns the number of jobs run.
 */
const runJobs = async (...apps: TestApp[]) => {
  let total = 0;
  for (;;) {
    const started = (await Promise.all(apps.map((app) => app.app.get(JobsService).runDue()))).reduce((a, b) => a + b, 0);
    await Promise.all(apps.map((app) => app.app.get(JobsService).idle()));
    if (started === 0) return total;
    total += started;
  }
};
/** Deliveries waiting for their retry become due now, as if their delay had passed. */
const fastForward = () => database.query(`UPDATE jobs SET run_at = now() WHERE queue = 'webhooks.deliver' AND state = 'pending'`);
const newWebhook = async (path: string, events: string[], secret: string | null = SECRET) => {
  const response = await call('POST', '/api/webhooks', { url: receiver.url(path), events, ...(secret ? { secret } : {}) }, admin);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; secret: string };
};
const newCommitment = async (fields: Record<string, unknown> = {}) => {
  const response = await call('POST', '/api/commitments', {
    companyId,
    acceleratorId: chipId,
    quantity: 1000,
    announcedOn: '2025-02-01',
    status: 'announced',
    sources: [{ title: 'A note written for this test' }],
    ...fields,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number };
};
const bodies = (path: string) => receiver.to(path).map((hook) => JSON.parse(hook.body) as { event: string; at: string; commitment: any });
const deliveries = async (webhookId: string) => (await call('GET', `/api/webhooks/${webhookId}/deliveries`, undefined, admin)).body;

beforeAll(async () => {
  await receiver.start();
  first = await startTestApp();
  second = await first.startAnotherInstance();
  database = first.app.get<DataSource>(getDataSourceToken());
  admin = await first.as('admin');
  analyst = await first.as('analyst');
  const company = await call('POST', '/api/companies', { name: 'Hookline Labs', country: 'US', kind: 'ai_lab' });
  expect(company.status, JSON.stringify(company.body)).toBe(201);
  companyId = company.body.id;
  const chips = (await call('GET', '/api/accelerators')).body as { id: string; name: string }[];
  chipId = chips.find((chip) => chip.name === 'H100 SXM')!.id;
});
afterAll(async () => {
  await second?.close();
  await first?.close();
  await receiver.stop();
  if (pollSetting === undefined) delete process.env.JOB_POLL_SECONDS;
  else process.env.JOB_POLL_SECONDS = pollSetting;
});

describe('webhooks', () => {
  it('are an admin’s to manage, and refuse bad input naming the field', async () => {
    expect((await call('POST', '/api/webhooks', { url: receiver.url('/x'), events: ['commitment.created'] })).status).toBe(403);
    expect((await call('GET', '/api/webhooks', undefined, await first.as('viewer'))).status).toBe(403);
    const refusals = [
      [{ url: 'ftp://127.0.0.1/hook', events: ['commitment.created'] }, 'url'],
      [{ url: receiver.url('/x'), events: ['commitment.renamed'] }, 'events'],
      [{ url: receiver.url('/x'), events: [] }, 'events'],
      [{ url: receiver.url('/x'), events: ['commitment.created'], secret: 'short' }, 'secret'],
      [{ url: receiver.url('/x'), events: ['commitment.created'], colour: 'red' }, 'colour'],
    ] as const;
    for (const [body, field] of refusals) {
      const response = await call('POST', '/api/webhooks', body, admin);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain(field);
    }
    expect((await call('GET', '/api/webhooks/not-a-uuid/deliveries', undefined, admin)).status).toBe(400);
    expect((await call('DELETE', '/api/webhooks/00000000-0000-4000-8000-000000000000', undefined, admin)).status).toBe(404);
  });

  it('show the secret once, keep it encrypted, and generate one when none is given', async () => {
    const given = await newWebhook('/secret-check', ['commitment.deleted']);
    expect(given.secret).toBe(SECRET);
    const generated = await newWebhook('/secret-check', ['commitment.deleted'], null);
    expect(generated.secret).toMatch(/^[\w-]{43}$/);
    const listed = (await call('GET', '/api/webhooks', undefined, admin)).body as Record<string, unknown>[];
    expect(listed.map((webhook) => webhook.id)).toEqual(expect.arrayContaining([given.id, generated.id]));
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect(JSON.stringify(listed)).not.toContain(generated.secret);
    const stored: { secret_ciphertext: string }[] = await database.query('SELECT secret_ciphertext FROM webhooks');
    for (const { secret_ciphertext } of stored) {
      expect(secret_ciphertext).not.toContain(SECRET);
      expect(secret_ciphertext).not.toContain(generated.secret);
    }
    for (const id of [given.id, generated.id]) expect((await call('DELETE', `/api/webhooks/${id}`, undefined, admin)).status).toBe(204);
  });

  it('deliver each change of every write path, signed with the webhook’s secret', async () => {
    const hook = await newWebhook('/all', ['commitment.created', 'commitment.updated', 'commitment.superseded', 'commitment.deleted']);
    const onlyDeletes = await newWebhook('/deletes', ['commitment.deleted']);

    const older = await newCommitment({ quantity: 2000 });
    const edited = await call('PATCH', `/api/commitments/${older.id}`, { version: older.version, quantity: 2500 });
    expect(edited.status).toBe(200);
    const newer = await newCommitment({ quantity: 3000, supersedesId: older.id });
    expect((await call('DELETE', `/api/commitments/${newer.id}`)).status).toBe(204);
    const imported = await http(first.baseUrl, 'POST', '/api/imports?dryRun=false', {
      text: `${ANNOUNCEMENTS_HEADER}\n${announcementRow({
        key: 'hookline-import-1',
        company: 'Hookline Labs',
        accelerator: 'H100 SXM',
        quantity: '4000',
        announced_on: '2025-03-01',
        status: 'announced',
        source_title: 'An imported note',
      })}\n`,
      contentType: 'text/csv',
      headers: analyst,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    // A refused batch writes nothing, so it has nothing to deliver.
    const refused = await call('POST', '/api/commitments/batch', {
      items: [
        { companyId, quantity: 1, announcedOn: '2025-02-01', status: 'announced', acceleratorKind: 'gpu', sources: [{ title: 'x' }] },
        {
          companyId: '00000000-0000-4000-8000-000000000000',
          quantity: 1,
          announcedOn: '2025-02-01',
          status: 'announced',
          acceleratorKind: 'gpu',
          sources: [{ title: 'x' }],
        },
      ],
    });
    expect(refused.status).toBe(400);

    expect(await runJobs(first)).toBe(7);
    const importedId = (await call('GET', '/api/commitments?q=hookline-import-1')).body.items[0]?.id;
    const received = bodies('/all');
    expect(received.map(({ event, commitment }) => [event, commitment.id])).toEqual(
      expect.arrayContaining([
        ['commitment.created', older.id],
        ['commitment.updated', older.id],
        ['commitment.created', newer.id],
        ['commitment.superseded', older.id],
        ['commitment.deleted', newer.id],
        ['commitment.created', importedId ?? 'the imported record'],
      ]),
    );
    expect(received).toHaveLength(6);
    // Each body shows the record as that change left it.
    const quantityAt = (event: string, id: string) =>
      received.find((body) => body.event === event && body.commitment.id === id)?.commitment.quantity;
    expect([quantityAt('commitment.created', older.id), quantityAt('commitment.updated', older.id)]).toEqual([2000, 2500]);
    expect(received.find((body) => body.event === 'commitment.superseded')?.commitment.supersededById).toBe(newer.id);
    for (const body of received) expect(new Date(body.at).toISOString()).toBe(body.at);
    for (const request of receiver.to('/all')) {
      expect(signatureMatches(request.body, SECRET, request.headers['x-ledger-signature'] as string)).toBe(true);
      expect(request.headers['x-ledger-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-ledger-event']).toBe(JSON.parse(request.body).event);
    }
    expect(bodies('/deletes').map(({ event, commitment }) => [event, commitment.id])).toEqual([['commitment.deleted', newer.id]]);
    expect(
      signatureMatches(
        receiver.to('/deletes')[0].body,
        'another secret entirely',
        receiver.to('/deletes')[0].headers['x-ledger-signature'] as string,
      ),
    ).toBe(false);

    const log = await deliveries(hook.id);
    expect(log.total).toBe(6);
    expect(log.items.every((item: any) => item.state === 'delivered' && item.attempts === 1 && item.lastStatus === 200)).toBe(true);
    expect((await call('GET', '/api/webhooks', undefined, admin)).body.find((webhook: any) => webhook.id === hook.id).deliveries).toEqual({
      pending: 0,
      delivered: 6,
      failed: 0,
    });
    expect(await runJobs(first, second)).toBe(0);
    for (const id of [hook.id, onlyDeletes.id]) await call('DELETE', `/api/webhooks/${id}`, undefined, admin);
  });

  it('retry a receiver that fails twice with backoff, then deliver the same signed body once', async () => {
    const hook = await newWebhook('/flaky', ['commitment.created']);
    receiver.failures.set('/flaky', [500, 503]);
    const record = await newCommitment();

    expect(await runJobs(first)).toBe(1);
    let log = (await deliveries(hook.id)).items;
    expect(log).toMatchObject([{ state: 'pending', attempts: 1, lastStatus: 500, commitmentId: record.id, event: 'commitment.created' }]);
    expect(log[0].lastError).toContain('500');
    // The first retry is due about 30 s after the failure (up to 20 % later), not now.
    const waits = (item: any) => (new Date(item.nextAttemptAt).getTime() - new Date(item.lastAttemptAt).getTime()) / 1000;
    expect(waits(log[0])).toBeGreaterThanOrEqual(30);
    expect(waits(log[0])).toBeLessThanOrEqual(36);
    expect(await runJobs(first, second)).toBe(0);

    await fastForward();
    expect(await runJobs(first, second)).toBe(1);
    log = (await deliveries(hook.id)).items;
    expect(log).toMatchObject([{ state: 'pending', attempts: 2, lastStatus: 503 }]);
    expect(waits(log[0])).toBeGreaterThanOrEqual(60);
    expect(waits(log[0])).toBeLessThanOrEqual(72);

    await fastForward();
    expect(await runJobs(first, second)).toBe(1);
    log = (await deliveries(hook.id)).items;
    expect(log).toMatchObject([{ state: 'delivered', attempts: 3, lastStatus: 200, lastError: null, nextAttemptAt: null }]);
    const requests = receiver.to('/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);
    expect(new Set(requests.map((request) => request.headers['x-ledger-event-id'])).size).toBe(1);
    expect(requests.every((request) => signatureMatches(request.body, SECRET, request.headers['x-ledger-signature'] as string))).toBe(true);

    await fastForward();
    expect(await runJobs(first, second)).toBe(0);
    expect(receiver.to('/flaky')).toHaveLength(3);
    await call('DELETE', `/api/webhooks/${hook.id}`, undefined, admin);
  });

  it('give a delivery up once its 24 hours are over', async () => {
    const hook = await newWebhook('/down', ['commitment.created']);
    receiver.failures.set('/down', Array(10).fill(503));
    await newCommitment();
    expect(await runJobs(first)).toBe(1);
    expect((await deliveries(hook.id)).items).toMatchObject([{ state: 'pending', attempts: 1 }]);
    // As if the day had nearly passed: the next retry would fall after it.
    await database.query("UPDATE webhook_deliveries SET give_up_at = now() + interval '1 second' WHERE webhook_id = $1", [hook.id]);
    await fastForward();
    expect(await runJobs(first)).toBe(1);
    expect((await deliveries(hook.id)).items).toMatchObject([{ state: 'failed', attempts: 2, lastStatus: 503, nextAttemptAt: null }]);
    await fastForward();
    expect(await runJobs(first, second)).toBe(0);
    expect(receiver.to('/down')).toHaveLength(2);
    await call('DELETE', `/api/webhooks/${hook.id}`, undefined, admin);
  });

  it('deliver each event exactly once with two instances working at once', async () => {
    const hook = await newWebhook('/both', ['commitment.created', 'commitment.deleted']);
    const created = await call('POST', '/api/commitments/batch', {
      items: Array.from({ length: 12 }, (_, index) => ({
        companyId,
        acceleratorId: chipId,
        quantity: 100 + index,
        announcedOn: '2025-02-01',
        status: 'announced',
        sources: [{ title: 'A note written for this test' }],
      })),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ids = (created.body as { id: string }[]).map((item) => item.id);
    // Through the second instance too: either may queue and either may deliver.
    for (const id of ids.slice(0, 6)) {
      expect((await http(second.baseUrl, 'DELETE', `/api/commitments/${id}`, { headers: analyst })).status).toBe(204);
    }
    expect(await runJobs(first, second)).toBe(18);
    const received = bodies('/both');
    expect(received).toHaveLength(18);
    const eventIds = receiver.to('/both').map((request) => request.headers['x-ledger-event-id']);
    expect(new Set(eventIds).size).toBe(18);
    expect(
      received
        .filter((body) => body.event === 'commitment.created')
        .map((body) => body.commitment.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(
      received
        .filter((body) => body.event === 'commitment.deleted')
        .map((body) => body.commitment.id)
        .sort(),
    ).toEqual(ids.slice(0, 6).sort());
    const log = await deliveries(hook.id);
    expect(log.total).toBe(18);
    expect(log.items.every((item: any) => item.state === 'delivered' && item.attempts === 1)).toBe(true);
  });
});
