import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOUNCEMENTS_HEADER, announcementRow } from '../support/announcement-rows.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// The list's pages and the records are answered from memory until a write changes the ledger version: every kind
// of write that changes what they show must reach them at once, on this instance and on any other.
const minimal = { acceleratorKind: 'gpu', status: 'announced', sources: [{ title: 'A report' }] };
let testApp: TestApp;
let analyst: Record<string, string>;
const call = (method: string, path: string, options: Parameters<typeof http>[3] = {}) =>
  http(testApp.baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });

beforeAll(async () => {
  testApp = await startTestApp({ demoData: false });
  analyst = await testApp.as('analyst');
});
afterAll(() => testApp.close());

async function created(path: string, json: object): Promise<Record<string, any>> {
  const response = await call('POST', path, { json });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('reading commitments between writes', () => {
  it('shows every change to a record, its sources, its company, its chip and what revises it, in its view and in the list', async () => {
    const company = await created('/api/companies', { name: 'Readback Lab', kind: 'ai_lab' });
    const chip = await created('/api/accelerators', { name: 'Readback X1', vendor: 'Readback', kind: 'gpu', denseBf16Tflops: 989 });
    const record = await created('/api/commitments', {
      companyId: company.id,
      acceleratorId: chip.id,
      quantity: 1000,
      announcedOn: '2025-01-15',
      status: 'announced',
      sources: [{ title: 'First report' }],
    });
    const view = async () => (await call('GET', `/api/commitments/${record.id}`)).body;
    const page = async (query = `companyId=${company.id}`) => (await call('GET', `/api/commitments?${query}`)).body;
    expect(await view()).toMatchObject({ quantity: 1000, version: 1, company: { name: 'Readback Lab' } });
    expect((await page()).total).toBe(1);

    expect((await call('PATCH', `/api/commitments/${record.id}`, { json: { version: 1, notes: 'Checked twice' } })).status).toBe(200);
    expect(await view()).toMatchObject({ notes: 'Checked twice', version: 2 });
    expect((await page()).items[0]).toMatchObject({ notes: 'Checked twice', version: 2 });

    const sources = { version: 2, sources: [{ title: 'Second report' }, { title: 'Third report' }] };
    expect((await call('PATCH', `/api/commitments/${record.id}`, { json: sources })).status).toBe(200);
    expect((await view()).sources.map((source: { title: string }) => source.title)).toEqual(['Second report', 'Third report']);
    expect((await page('q=Third%20report')).items.map((item: { id: string }) => item.id)).toEqual([record.id]);

    const renamed = await call('PATCH', `/api/companies/${company.id}`, { json: { name: 'Readback Labs', version: company.version } });
    expect(renamed.status).toBe(200);
    expect((await view()).company.name).toBe('Readback Labs');
    expect((await page('q=Readback%20Labs')).total).toBe(1);

    expect((await call('PATCH', `/api/accelerators/${chip.id}`, { json: { name: 'Readback X2', version: chip.version } })).status).toBe(
      200,
    );
    expect((await view()).accelerator.name).toBe('Readback X2');
    expect((await page()).items[0].accelerator.name).toBe('Readback X2');

    const revision = await created('/api/commitments', {
      companyId: company.id,
      acceleratorId: chip.id,
      quantity: 1500,
      announcedOn: '2025-02-01',
      status: 'confirmed',
      supersedesId: record.id,
      sources: [{ title: 'Revised report' }],
    });
    expect((await view()).supersededById).toBe(revision.id);
    expect((await page()).total).toBe(2);

    const csv = `${ANNOUNCEMENTS_HEADER}\n${announcementRow({
      company: 'Readback Labs',
      accelerator: 'Readback X2',
      quantity: '700',
      announced_on: '2025-03-01',
      status: 'announced',
      source_title: 'Imported report',
    })}\n`;
    const imported = await call('POST', '/api/imports', { text: csv, contentType: 'text/csv' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect((await page()).total).toBe(3);

    expect((await call('DELETE', `/api/commitments/${revision.id}`)).status).toBe(204);
    expect((await call('GET', `/api/commitments/${revision.id}`)).status).toBe(404);
    expect((await view()).supersededById).toBeNull();
    expect((await page()).total).toBe(2);
  });

  it("answers 304 to a record's version and to a page's ETag until a write changes them", async () => {
    const company = await created('/api/companies', { name: 'Etag Lab', kind: 'ai_lab' });
    const record = await created('/api/commitments', {
      ...minimal,
      companyId: company.id,
      quantity: 10,
      announcedOn: '2025-01-01',
    });
    const read = await call('GET', `/api/commitments/${record.id}`);
    const recordTag = read.headers.get('etag')!;
    expect(recordTag).toMatch(/^"1\.[\w-]+"$/);
    expect((await call('GET', `/api/commitments/${record.id}`, { headers: { 'if-none-match': recordTag } })).status).toBe(304);

    const path = `/api/commitments?companyId=${company.id}`;
    const listed = await call('GET', path);
    const etag = listed.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await call('GET', path, { headers: { 'if-none-match': etag } })).status).toBe(304);

    expect((await call('PATCH', `/api/commitments/${record.id}`, { json: { version: 1, quantity: 20 } })).status).toBe(200);
    const changed = await call('GET', `/api/commitments/${record.id}`, { headers: { 'if-none-match': recordTag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toMatch(/^"2\.[\w-]+"$/);
    const relisted = await call('GET', path, { headers: { 'if-none-match': etag } });
    expect(relisted.status).toBe(200);
    expect(relisted.body.items[0].quantity).toBe(20);
  });

  it("changes a record's ETag when another record supersedes it, though its version stays", async () => {
    const company = await created('/api/companies', { name: 'Superseded Tag Lab', kind: 'ai_lab' });
    const older = await created('/api/commitments', { ...minimal, companyId: company.id, quantity: 100, announcedOn: '2025-02-01' });
    const read = await call('GET', `/api/commitments/${older.id}`);
    expect(read.body).toMatchObject({ version: 1, supersededById: null });
    const tag = read.headers.get('etag')!;
    expect((await call('GET', `/api/commitments/${older.id}`, { headers: { 'if-none-match': tag } })).status).toBe(304);

    const newer = await created('/api/commitments', {
      ...minimal,
      companyId: company.id,
      quantity: 150,
      announcedOn: '2025-03-01',
      supersedesId: older.id,
    });
    const after = await call('GET', `/api/commitments/${older.id}`, { headers: { 'if-none-match': tag } });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ version: 1, supersededById: newer.id });
    expect(after.headers.get('etag')).not.toBe(tag);
    expect(after.headers.get('etag')).toMatch(/^"1\.[\w-]+"$/);
    // The new tag is good for an edit: its version is what If-Match checks.
    const edit = await call('PATCH', `/api/commitments/${older.id}`, {
      json: { notes: 'revised since' },
      headers: { 'if-match': after.headers.get('etag')! },
    });
    expect(edit.status).toBe(200);
    expect(edit.body.version).toBe(2);
  });

  it('shows on one instance a write made through another', async () => {
    let other: TestApp | undefined;
    try {
      other = await startTestApp({ reuseDatabase: true });
      const otherUrl = other.baseUrl;
      const company = await created('/api/companies', { name: 'Two Instances Lab', kind: 'ai_lab' });
      const record = await created('/api/commitments', {
        ...minimal,
        companyId: company.id,
        quantity: 5,
        announcedOn: '2025-01-01',
      });
      const path = `/api/commitments?companyId=${company.id}`;
      expect((await call('GET', `/api/commitments/${record.id}`)).body.quantity).toBe(5);
      expect((await call('GET', path)).body.total).toBe(1);

      const written = await http(otherUrl, 'PATCH', `/api/commitments/${record.id}`, {
        json: { version: 1, quantity: 6 },
        headers: analyst,
      });
      expect(written.status).toBe(200);
      expect((await call('GET', `/api/commitments/${record.id}`)).body.quantity).toBe(6);
      const added = await http(otherUrl, 'POST', '/api/commitments', {
        json: { ...minimal, companyId: company.id, quantity: 7, announcedOn: '2025-02-01' },
        headers: analyst,
      });
      expect(added.status).toBe(201);
      expect((await call('GET', path)).body.total).toBe(2);
    } finally {
      await other?.close();
    }
  });
});
