import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
let admin: Record<string, string>;
let analyst: Record<string, string>;
let analystId: string;
/** A second analyst, to edit at the same moment as the first. */
let rival: Record<string, string>;
let rivalId: string;

const call = (method: string, path: string, options?: Parameters<typeof http>[3]) => http(testApp.baseUrl, method, path, options);
const source = { title: 'Audit test note' };

beforeAll(async () => {
  testApp = await startTestApp({ demoData: true });
  admin = await testApp.as('admin');
  const session = await testApp.session('analyst');
  analyst = session.headers;
  analystId = session.user.id;
  const created = await call('POST', '/api/users', {
    json: { email: 'rival@ledger.test', password: 'rival password for tests', role: 'analyst' },
    headers: admin,
  });
  rivalId = created.body.id;
  const login = await call('POST', '/api/auth/login', { json: { email: 'rival@ledger.test', password: 'rival password for tests' } });
  rival = { authorization: `Bearer ${login.body.accessToken}` };
});
afterAll(() => testApp.close());

async function createCompany(name: string): Promise<string> {
  const response = await call('POST', '/api/companies', { json: { name, kind: 'ai_lab' }, headers: analyst });
  expect(response.status).toBe(201);
  return response.body.id;
}

async function createCommitment(companyId: string, extra: Record<string, unknown> = {}) {
  const response = await call('POST', '/api/commitments', {
    json: {
      companyId,
      acceleratorKind: 'gpu',
      quantity: 1000,
      announcedOn: '2025-06-02',
      status: 'announced',
      sources: [source],
      ...extra,
    },
    headers: analyst,
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; version: number };
}

const history = async (id: string) => (await call('GET', `/api/commitments/${id}/history`, { headers: analyst })).body as any[];

describe('two analysts editing the same record at the same moment', () => {
  it('lets exactly one win, answers the other 409 with the winner’s record, and records exactly one change', async () => {
    const companyId = await createCompany('Race Lab');
    // Several rounds, each on a fresh record, so the two requests really overlap in some of them.
    for (let round = 0; round < 5; round++) {
      const { id } = await createCommitment(companyId, { notes: `round ${round}` });
      const [first, second] = await Promise.all([
        call('PATCH', `/api/commitments/${id}`, { json: { version: 1, quantity: 2000 }, headers: analyst }),
        call('PATCH', `/api/commitments/${id}`, { json: { version: 1, quantity: 3000 }, headers: rival }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const [winner, loser] = first.status === 200 ? [first, second] : [second, first];
      const winnerId = first.status === 200 ? analystId : rivalId;
      const loserQuantity = first.status === 200 ? 3000 : 2000;

      expect(winner.body.version).toBe(2);
      expect(loser.body.details.current.version).toBe(2);
      expect(loser.body.details.current.quantity).toBe(winner.body.quantity);
      expect(loser.body.details.current.updatedBy).toBe(winnerId);

      const stored = await call('GET', `/api/commitments/${id}`, { headers: analyst });
      expect(stored.body.quantity).toBe(winner.body.quantity);
      // The tag carries the version, then a digest of the record's view.
      expect(stored.headers.get('etag')).toMatch(/^"2\.[\w-]+"$/);

      const entries = await history(id);
      expect(entries.map((entry) => entry.action)).toEqual(['create', 'update']);
      expect(entries[1].actor.id).toBe(winnerId);
      expect(entries[1].before.quantity).toBe(1000);
      expect(entries[1].after.quantity).toBe(winner.body.quantity);

      // The loser re-applies their edit on the version they were shown: nothing is lost.
      const retry = await call('PATCH', `/api/commitments/${id}`, {
        json: { quantity: loserQuantity },
        headers: { ...(first.status === 200 ? rival : analyst), 'If-Match': stored.headers.get('etag')! },
      });
      expect(retry.status).toBe(200);
      expect(retry.body.version).toBe(3);
      expect((await history(id)).map((entry) => [entry.action, entry.before?.quantity ?? null, entry.after?.quantity ?? null])).toEqual([
        ['create', null, 1000],
        ['update', 1000, winner.body.quantity],
        ['update', winner.body.quantity, loserQuantity],
      ]);
    }
  });
});

describe('the history of a commitment', () => {
  it('lists create, update, supersession and delete, oldest first, with who and the values before and after', async () => {
    const companyId = await createCompany('History Lab');
    const older = await createCommitment(companyId);
    const updated = await call('PATCH', `/api/commitments/${older.id}`, { json: { version: 1, status: 'confirmed' }, headers: analyst });
    expect(updated.status).toBe(200);
    const newer = await createCommitment(companyId, { quantity: 5000, supersedesId: older.id });
    expect((await call('DELETE', `/api/commitments/${newer.id}`, { headers: rival })).status).toBe(204);

    const olderHistory = await history(older.id);
    expect(olderHistory.map((entry) => [entry.action, entry.actor?.email])).toEqual([
      ['create', 'analyst@ledger.test'],
      ['update', 'analyst@ledger.test'],
      ['supersede', 'analyst@ledger.test'],
      ['supersede', 'rival@ledger.test'],
    ]);
    expect(olderHistory[0].before).toBeNull();
    expect(olderHistory[0].after).toMatchObject({ id: older.id, quantity: 1000, status: 'announced', version: 1 });
    expect(olderHistory[1].before).toMatchObject({ status: 'announced', version: 1 });
    expect(olderHistory[1].after).toMatchObject({ status: 'confirmed', version: 2 });
    expect(olderHistory[2].before).toEqual({ supersededById: null });
    expect(olderHistory[2].after).toEqual({ supersededById: newer.id });
    expect(olderHistory[3].before).toEqual({ supersededById: newer.id });
    expect(olderHistory[3].after).toEqual({ supersededById: null });
    const times = olderHistory.map((entry) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // A deleted record keeps its history.
    const newerHistory = await history(newer.id);
    expect(newerHistory.map((entry) => [entry.action, entry.actor?.email])).toEqual([
      ['create', 'analyst@ledger.test'],
      ['delete', 'rival@ledger.test'],
    ]);
    expect(newerHistory[0].after.supersedesId).toBe(older.id);
    expect(newerHistory[1].before).toMatchObject({ id: newer.id, quantity: 5000 });
    expect(newerHistory[1].after).toBeNull();
  });

  it('writes nothing when the change fails', async () => {
    const companyId = await createCompany('Failure Lab');
    const { id } = await createCommitment(companyId);
    const invalid = await call('PATCH', `/api/commitments/${id}`, {
      json: { version: 1, deliveryFrom: '2026-Q4', deliveryBy: '2026-Q1' },
      headers: analyst,
    });
    expect(invalid.status).toBe(400);
    const stale = await call('PATCH', `/api/commitments/${id}`, { json: { version: 7, quantity: 5 }, headers: analyst });
    expect(stale.status).toBe(409);
    const staleDelete = await call('DELETE', `/api/commitments/${id}`, { headers: { ...analyst, 'If-Match': '"7"' } });
    expect(staleDelete.status).toBe(409);
    expect(staleDelete.body.details.current).toMatchObject({ id, version: 1, quantity: 1000 });
    expect((await call('GET', `/api/commitments/${id}`, { headers: analyst })).status).toBe(200);
    expect((await history(id)).map((entry) => entry.action)).toEqual(['create']);
  });

  it('answers 404 for a record that never existed and 400 for a malformed id', async () => {
    expect((await call('GET', '/api/commitments/00000000-0000-4000-8000-000000000000/history', { headers: analyst })).status).toBe(404);
    expect((await call('GET', '/api/commitments/nope/history', { headers: analyst })).status).toBe(400);
  });

  it('records the demo data set as imported by the application itself', async () => {
    const list = await call('GET', '/api/commitments?q=zettascale', { headers: analyst });
    const entries = await history(list.body.items[0].id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'import', actor: null, entityType: 'commitment', before: null });
    expect(entries[0].after.key).toBe('oracle-gb200-zettascale');
  });
});

describe('the audit log (admin)', () => {
  it('filters by entity, actor, action and time, newest first, and pages', async () => {
    const companyId = await createCompany('Filter Lab');
    const { id } = await createCommitment(companyId);
    await call('PATCH', `/api/commitments/${id}`, { json: { version: 1, quantity: 1500 }, headers: rival });
    await call('PATCH', `/api/commitments/${id}`, { json: { version: 2, quantity: 1600 }, headers: analyst });

    const forRecord = await call('GET', `/api/audit?entityType=commitment&entityId=${id}`, { headers: admin });
    expect(forRecord.status).toBe(200);
    expect(forRecord.body.total).toBe(3);
    expect(forRecord.body.items.map((entry: any) => [entry.action, entry.after.quantity])).toEqual([
      ['update', 1600],
      ['update', 1500],
      ['create', 1000],
    ]);

    const byRival = await call('GET', `/api/audit?entityId=${id}&actorId=${rivalId}`, { headers: admin });
    expect(byRival.body.items.map((entry: any) => entry.after.quantity)).toEqual([1500]);
    const creations = await call('GET', `/api/audit?entityId=${id}&action=create`, { headers: admin });
    expect(creations.body.total).toBe(1);

    const company = await call('GET', `/api/audit?entityType=company&entityId=${companyId}`, { headers: admin });
    expect(company.body.items.map((entry: any) => [entry.action, entry.actor.email, entry.after.name])).toEqual([
      ['create', 'analyst@ledger.test', 'Filter Lab'],
    ]);

    const future = await call('GET', `/api/audit?entityId=${id}&from=2999-01-01`, { headers: admin });
    expect(future.body.total).toBe(0);
    const past = await call('GET', `/api/audit?entityId=${id}&to=2000-01-01T00:00:00Z`, { headers: admin });
    expect(past.body.total).toBe(0);
    const now = await call('GET', `/api/audit?entityId=${id}&from=2000-01-01&to=2999-01-01`, { headers: admin });
    expect(now.body.total).toBe(3);

    const page2 = await call('GET', `/api/audit?entityId=${id}&limit=2&page=2`, { headers: admin });
    expect(page2.body).toMatchObject({ total: 3, page: 2, limit: 2 });
    expect(page2.body.items.map((entry: any) => entry.action)).toEqual(['create']);
  });

  it('holds the chip catalog and the demo data, written by the application on first start', async () => {
    const catalog = await call('GET', '/api/audit?entityType=accelerator&action=create&limit=100', { headers: admin });
    expect(catalog.body.total).toBe(19);
    expect(catalog.body.items.every((entry: any) => entry.actor === null)).toBe(true);
    const imported = await call('GET', '/api/audit?entityType=commitment&action=import&limit=100', { headers: admin });
    expect(imported.body.total).toBe(15);
  });

  it('names every bad filter', async () => {
    const response = await call('GET', '/api/audit?entityType=planet&actorId=x&from=yesterday&limit=0', { headers: admin });
    expect(response.status).toBe(400);
    expect(response.body.details.map((detail: any) => detail.field).sort()).toEqual(['actorId', 'entityType', 'from', 'limit']);
  });

  it('cannot be changed: no route writes it, and the database refuses UPDATE and DELETE', async () => {
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      expect((await call(method, '/api/audit', { json: {}, headers: admin })).status).toBe(404);
    }
    const client = new pg.Client({ connectionString: testApp.databaseUrl });
    await client.connect();
    try {
      const before = (await client.query('SELECT count(*)::int AS count FROM audit_entries')).rows[0].count;
      await expect(client.query(`UPDATE audit_entries SET action = 'create'`)).rejects.toThrow(
        'audit entries cannot be changed or deleted',
      );
      await expect(client.query('DELETE FROM audit_entries')).rejects.toThrow('audit entries cannot be changed or deleted');
      expect((await client.query('SELECT count(*)::int AS count FROM audit_entries')).rows[0].count).toBe(before);
    } finally {
      await client.end();
    }
  });
});

describe('optimistic locking of companies and chips', () => {
  it('gives companies an ETag, needs the version to edit, and answers a stale one 409 with the current record', async () => {
    const id = await createCompany('Locking Lab');
    const read = await call('GET', `/api/companies/${id}`, { headers: analyst });
    expect(read.headers.get('etag')).toBe('"1"');

    const withoutVersion = await call('PATCH', `/api/companies/${id}`, { json: { country: 'FR' }, headers: analyst });
    expect(withoutVersion.status).toBe(400);
    expect(withoutVersion.body.details[0].field).toBe('version');

    const [first, second] = await Promise.all([
      call('PATCH', `/api/companies/${id}`, { json: { country: 'FR' }, headers: { ...analyst, 'If-Match': '"1"' } }),
      call('PATCH', `/api/companies/${id}`, { json: { version: 1, country: 'DE' }, headers: rival }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const [winner, loser] = first.status === 200 ? [first, second] : [second, first];
    expect(winner.headers.get('etag')).toBe('"2"');
    expect(loser.body.details.current).toMatchObject({ id, version: 2, country: winner.body.country });

    const trail = await call('GET', `/api/audit?entityType=company&entityId=${id}`, { headers: admin });
    expect(trail.body.items.map((entry: any) => [entry.action, entry.before?.country ?? null, entry.after.country])).toEqual([
      ['update', null, winner.body.country],
      ['create', null, null],
    ]);
  });

  it('does the same for chips', async () => {
    const created = await call('POST', '/api/accelerators', {
      json: { name: 'Test Chip 1', vendor: 'Test Vendor', kind: 'custom', denseBf16Tflops: 500 },
      headers: analyst,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const id = created.body.id;
    const updated = await call('PATCH', `/api/accelerators/${id}`, { json: { version: 1, denseBf16Tflops: 989 }, headers: analyst });
    expect(updated.status).toBe(200);
    expect(updated.body.h100eFactor).toBe(1);
    const stale = await call('PATCH', `/api/accelerators/${id}`, { json: { version: 1, denseBf16Tflops: 100 }, headers: rival });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current.denseBf16Tflops).toBe(989);
    const trail = await call('GET', `/api/audit?entityType=accelerator&entityId=${id}`, { headers: admin });
    expect(trail.body.items.map((entry: any) => [entry.action, entry.actor.email, entry.after.denseBf16Tflops])).toEqual([
      ['update', 'analyst@ledger.test', 989],
      ['create', 'analyst@ledger.test', 500],
    ]);
  });
});
