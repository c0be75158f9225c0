import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOUNCEMENTS_HEADER, announcementRow } from '../support/announcement-rows.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
let admin: Record<string, string>;
let analyst: Record<string, string>;

const call = (method: string, path: string, options?: Parameters<typeof http>[3]) => http(testApp.baseUrl, method, path, options);

beforeAll(async () => {
  testApp = await startTestApp({ demoData: true });
  admin = await testApp.as('admin');
  analyst = await testApp.as('analyst');
});
afterAll(() => testApp.close());

/** A company named like a spreadsheet formula, with one record revised by a second. */
async function formulaCompanyWithRevision(name = '=HYPERLINK("http://x.test")') {
  const company = await call('POST', '/api/companies', { json: { name, kind: 'other' }, headers: analyst });
  expect(company.status).toBe(201);
  const chips = (await call('GET', '/api/accelerators', { headers: analyst })).body as { id: string; name: string }[];
  const base = {
    companyId: company.body.id,
    acceleratorId: chips.find((chip) => chip.name === 'H100 SXM')!.id,
    announcedOn: '2025-05-05',
    status: 'announced',
    sources: [{ title: '-1 test source' }],
  };
  const first = await call('POST', '/api/commitments', { json: { ...base, quantity: 1000 }, headers: analyst });
  const second = await call('POST', '/api/commitments', {
    json: { ...base, quantity: 2500, supersedesId: first.body.id },
    headers: analyst,
  });
  expect([first.status, second.status]).toEqual([201, 201]);
  return { companyId: company.body.id as string, first: first.body.id as string, second: second.body.id as string };
}

describe('the audit trail names what it records', () => {
  it('labels commitments by company, chip and amount, and the records a supersession links', async () => {
    const { first, second, companyId } = await formulaCompanyWithRevision();
    const page = await call('GET', '/api/audit?entityType=commitment&limit=2', { headers: admin });
    expect(page.status).toBe(200);
    // Newest first: the older record's supersede entry, then the newer record's create.
    expect(page.body.items.map((entry: { action: string; entityId: string }) => [entry.action, entry.entityId])).toEqual([
      ['supersede', first],
      ['create', second],
    ]);
    expect(page.body.labels[first]).toBe('=HYPERLINK("http://x.test") · H100 SXM · 1,000');
    expect(page.body.labels[second]).toBe('=HYPERLINK("http://x.test") · H100 SXM · 2,500');
    // The company and chip the created record names are labelled too.
    expect(page.body.labels[companyId]).toBe('=HYPERLINK("http://x.test")');
    expect(Object.values(page.body.labels)).toContain('H100 SXM');

    const users = await call('GET', '/api/audit?entityType=user', { headers: admin });
    const analystUser = (await testApp.session('analyst')).user;
    expect(users.body.labels[analystUser.id]).toBe('analyst@ledger.test');
  });

  it('keeps the label of a deleted record', async () => {
    const { second } = await formulaCompanyWithRevision('Deleted Record Lab');
    const removed = await call('DELETE', `/api/commitments/${second}`, { headers: analyst });
    expect(removed.status).toBe(204);
    const page = await call('GET', `/api/audit?entityId=${second}`, { headers: admin });
    expect(page.body.items.map((entry: { action: string }) => entry.action)).toEqual(['delete', 'create']);
    expect(page.body.labels[second]).toBe('Deleted Record Lab · H100 SXM · 2,500');
  });
});

describe('exporting the audit trail', () => {
  it('writes every entry the filters select as CSV, newest first, with names and formulas neutralised', async () => {
    const { first, second } = await formulaCompanyWithRevision('+SUM(A1:A9)');
    const response = await fetch(`${testApp.baseUrl}/api/audit/export?format=csv&entityType=commitment&from=2000-01-01`, {
      headers: admin,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="audit.csv"');
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    const list = await call('GET', '/api/audit?entityType=commitment&limit=100', { headers: admin });
    // The same entries as the list, in its order.
    expect(rows.map((row) => Number(row.id))).toEqual(list.body.items.map((entry: { id: number }) => entry.id));
    expect(Object.keys(rows[0])).toEqual([
      'id',
      'at',
      'actor',
      'action',
      'record_type',
      'record_id',
      'record',
      'changed',
      'before',
      'after',
    ]);
    const [supersede, create] = rows;
    expect([supersede.action, supersede.record_id, supersede.actor]).toEqual(['supersede', first, 'analyst@ledger.test']);
    // A label starting with + is written with a leading ' so that a spreadsheet shows it as text.
    expect(supersede.record).toBe(`'+SUM(A1:A9) · H100 SXM · 1,000`);
    expect(supersede.changed).toBe('supersededById');
    expect(JSON.parse(supersede.after)).toEqual({ supersededById: second });
    expect(create.record).toBe(`'+SUM(A1:A9) · H100 SXM · 2,500`);
    expect(create.before).toBe('');
    expect(JSON.parse(create.after)).toMatchObject({ quantity: 2500, supersedesId: first });
    expect(create.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('streams a trail longer than one batch whole', async () => {
    // 1,500 imported rows: 1,500 import entries and one for the new company, past the export's batches of 1,000.
    const rows = Array.from({ length: 1_500 }, (_, index) =>
      announcementRow({
        key: `batch-${index}`,
        company: 'Batch Export Co',
        accelerator: 'H100 SXM',
        quantity: String(100 + index),
        announced_on: '2025-02-02',
        status: 'announced',
        source_title: `Batch report ${index}`,
      }),
    );
    const imported = await call('POST', '/api/imports?dryRun=false', {
      text: [ANNOUNCEMENTS_HEADER, ...rows].join('\n') + '\n',
      contentType: 'text/csv',
      headers: analyst,
    });
    expect(imported.status).toBe(200);
    const before = await call('GET', '/api/audit?limit=1', { headers: admin });
    const csv = await (await fetch(`${testApp.baseUrl}/api/audit/export`, { headers: admin })).text();
    const written = parse(csv, { columns: true }) as { id: string; action: string; record: string }[];
    expect(before.body.total).toBeGreaterThan(1_500);
    expect(written).toHaveLength(before.body.total);
    expect(written.filter((row) => row.action === 'import' && row.record.startsWith('Batch Export Co · H100 SXM · '))).toHaveLength(1_500);
    const ids = written.map((row) => Number(row.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is for admins only and refuses unknown parameters', async () => {
    expect((await call('GET', '/api/audit/export', { headers: analyst })).status).toBe(403);
    expect((await call('GET', '/api/audit/export')).status).toBe(401);
    const bad = await call('GET', '/api/audit/export?format=xlsx&page=2', { headers: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['format', 'page']);
  });
});
