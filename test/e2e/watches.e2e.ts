import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// Evaluations run only when a test asks (runDue), so each write's notifications are seen before the next write.
const pollSetting = process.env.JOB_POLL_SECONDS;
process.env.JOB_POLL_SECONDS = '0';

let app: TestApp;
let analyst: Record<string, string>;
let viewer: Record<string, string>;
let alpha: string;
let beta: string;
let h100: string;

const call = (method: string, path: string, json?: unknown, headers = analyst) => http(app.baseUrl, method, path, { json, headers });
const settle = async () => {
  const jobs = app.app.get(JobsService);
  while ((await jobs.runDue()) > 0) await jobs.idle();
};
const newRecord = async (fields: Record<string, unknown>) => {
  const response = await call('POST', '/api/commitments', {
    announcedOn: '2025-02-01',
    status: 'announced',
    sources: [{ title: 'A note written for this test' }],
    ...fields,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  await settle();
  return response.body as { id: string; version: number };
};
const newWatch = async (name: string, filter: Record<string, unknown>, headers: Record<string, string>) => {
  const response = await call('POST', '/api/watches', { name, filter }, headers);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; total: number };
};
type Notification = { id: string; watchId: string; commitmentId: string; change: string; before: number; after: number; at: string };
const notifications = async (headers: Record<string, string>, unread = false) =>
  (await call('GET', `/api/notifications${unread ? '?unread=true' : ''}`, undefined, headers)).body as {
    items: Notification[];
    total: number;
  };
/** A watch's notifications, oldest first, as [change, commitment, before, after]. */
const trail = async (headers: Record<string, string>, watchId: string) =>
  (await notifications(headers)).items
    .filter((item) => item.watchId === watchId)
    .reverse()
    .map((item) => [item.change, item.commitmentId, item.before, item.after]);

beforeAll(async () => {
  app = await startTestApp();
  analyst = await app.as('analyst');
  viewer = await app.as('viewer');
  const company = async (name: string) => {
    const response = await call('POST', '/api/companies', { name, country: 'US', kind: 'ai_lab' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.id as string;
  };
  alpha = await company('Alpha Watch Labs');
  beta = await company('Beta Watch Cloud');
  h100 = ((await call('GET', '/api/accelerators')).body as { id: string; name: string }[]).find((chip) => chip.name === 'H100 SXM')!.id;
});
afterAll(async () => {
  await app?.close();
  if (pollSetting === undefined) delete process.env.JOB_POLL_SECONDS;
  else process.env.JOB_POLL_SECONDS = pollSetting;
});

describe('watches and notifications', () => {
  it('refuse a bad watch naming the field, and need a signed-in user', async () => {
    const refusals = [
      [{ filter: {} }, 'name'],
      [{ name: 'x' }, 'filter'],
      [{ name: 'x', filter: { kind: ['tpu'] } }, 'filter.kind'],
      [{ name: 'x', filter: { companyId: ['not-a-uuid'] } }, 'filter.companyId'],
      [{ name: 'x', filter: { colour: ['red'] } }, 'filter.colour'],
    ] as const;
    for (const [body, field] of refusals) {
      const response = await call('POST', '/api/watches', body, viewer);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(JSON.stringify(response.body.details)).toContain(field);
    }
    expect((await call('GET', '/api/watches', undefined, {})).status).toBe(401);
    expect((await call('GET', '/api/notifications', undefined, {})).status).toBe(401);
  });

  it('notify each change that moves a watch’s total, with the totals before and after', async () => {
    // H100 SXM is the reference chip: 1 unit = 1 H100e (BF16), so every total below is a plain sum.
    const alphaWatch = await newWatch('Alpha', { companyId: [alpha] }, viewer);
    const rumours = await newWatch('Rumours', { status: ['rumored'] }, viewer);
    const everything = await newWatch('Everything', {}, analyst);
    expect([alphaWatch.total, rumours.total, everything.total]).toEqual([0, 0, 0]);

    const a1 = await newRecord({ companyId: alpha, acceleratorId: h100, quantity: 1000 });
    const b1 = await newRecord({ companyId: beta, acceleratorKind: 'gpu', statedH100e: 5000 });
    const edited = await call('PATCH', `/api/commitments/${a1.id}`, { version: a1.version, quantity: 1500 });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await settle();
    // A revision of Alpha's record: only the newest of the chain counts (4,000 instead of 1,500).
    const a2 = await newRecord({ companyId: alpha, acceleratorId: h100, quantity: 4000, supersedesId: a1.id });
    // A rumour counts only where rumours are counted.
    const rumour = await newRecord({ companyId: alpha, acceleratorId: h100, quantity: 700, status: 'rumored' });
    // Deleting the revision makes the revised record count again: 1,500.
    expect((await call('DELETE', `/api/commitments/${a2.id}`)).status).toBe(204);
    await settle();
    // A note changes no total: no notification.
    const current = (await call('GET', `/api/commitments/${b1.id}`)).body;
    expect((await call('PATCH', `/api/commitments/${b1.id}`, { version: current.version, notes: 'Checked again.' })).status).toBe(200);
    await settle();

    expect(await trail(viewer, alphaWatch.id)).toEqual([
      ['created', a1.id, 0, 1000],
      ['updated', a1.id, 1000, 1500],
      ['superseded', a1.id, 1500, 4000],
      ['deleted', a2.id, 4000, 1500],
    ]);
    expect(await trail(viewer, rumours.id)).toEqual([['created', rumour.id, 0, 700]]);
    expect(await trail(analyst, everything.id)).toEqual([
      ['created', a1.id, 0, 1000],
      ['created', b1.id, 1000, 6000],
      ['updated', a1.id, 6000, 6500],
      ['superseded', a1.id, 6500, 9000],
      ['deleted', a2.id, 9000, 6500],
    ]);
    const watches = (await call('GET', '/api/watches', undefined, viewer)).body as { id: string; total: number }[];
    expect(watches.map(({ id, total }) => [id, total])).toEqual([
      [alphaWatch.id, 1500],
      [rumours.id, 700],
    ]);
    // Each user sees their own watches and notifications only.
    expect((await call('GET', '/api/watches', undefined, analyst)).body.map((watch: { id: string }) => watch.id)).toEqual([everything.id]);
    expect((await notifications(viewer)).total).toBe(5);
  });

  it('count unread notifications, mark them read, and keep them to their owner', async () => {
    expect((await notifications(viewer, true)).total).toBe(5);
    const [newest] = (await notifications(viewer, true)).items;
    expect((await call('POST', `/api/notifications/${newest.id}/read`, undefined, analyst)).status).toBe(404);
    const read = await call('POST', `/api/notifications/${newest.id}/read`, undefined, viewer);
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect((await notifications(viewer, true)).total).toBe(4);
    expect((await notifications(viewer, true)).items.map((item) => item.id)).not.toContain(newest.id);
    expect((await notifications(viewer)).total).toBe(5);
    expect((await call('POST', '/api/notifications/00000000-0000-4000-8000-000000000000/read', undefined, viewer)).status).toBe(404);

    const [watch] = (await call('GET', '/api/watches', undefined, viewer)).body as { id: string }[];
    expect((await call('DELETE', `/api/watches/${watch.id}`, undefined, analyst)).status).toBe(404);
    expect((await call('DELETE', `/api/watches/${watch.id}`, undefined, viewer)).status).toBe(204);
    expect((await notifications(viewer)).items.map((item) => item.watchId)).not.toContain(watch.id);
  });
});
