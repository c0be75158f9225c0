import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
let analyst: Record<string, string>;
let companyId: string;
let otherId: string;
const ids: Record<string, string> = {};

const call = (method: string, path: string, json?: unknown) => http(testApp.baseUrl, method, path, { json, headers: analyst });
const source = { title: 'Excluded Labs fleet plans', publisher: 'Test desk', publishedOn: '2025-01-10' };

beforeAll(async () => {
  testApp = await startTestApp();
  analyst = (await testApp.session('analyst')).headers;
  companyId = (await call('POST', '/api/companies', { name: 'Excluded Labs', kind: 'ai_lab' })).body.id;
  otherId = (await call('POST', '/api/companies', { name: 'Elsewhere Inc', kind: 'enterprise' })).body.id;
  const h100 = (await call('GET', '/api/accelerators')).body.find((chip: { name: string }) => chip.name === 'H100 SXM').id;
  // A chip in the catalog without its dense BF16 rate or TDP: its records have no H100e or power from a quantity.
  const bare = await call('POST', '/api/accelerators', { name: 'Mystery X1', vendor: 'Nowhere', kind: 'gpu' });
  expect(bare.status, JSON.stringify(bare.body)).toBe(201);
  const base = {
    companyId,
    announcedOn: '2025-01-10',
    deliveryFrom: '2025-Q1',
    deliveryBy: '2025-Q2',
    status: 'announced',
    sources: [source],
  };
  const records: Record<string, Record<string, unknown>> = {
    counted: { ...base, acceleratorId: h100, quantity: 1000 },
    stated: { ...base, acceleratorKind: 'custom', statedH100e: 500 },
    undisclosed: { ...base, acceleratorId: h100 },
    noChip: { ...base, acceleratorKind: 'gpu', quantity: 300 },
    bareChip: { ...base, acceleratorId: bare.body.id, quantity: 200 },
    cancelled: { ...base, acceleratorId: h100, status: 'cancelled' },
    later: { ...base, acceleratorKind: 'gpu', quantity: 10, deliveryFrom: '2026-Q1', deliveryBy: '2026-Q1' },
    elsewhere: { ...base, companyId: otherId, acceleratorKind: 'gpu', quantity: 5 },
    old: { ...base, acceleratorKind: 'custom' },
  };
  for (const [name, record] of Object.entries(records)) {
    const response = await call('POST', '/api/commitments', record);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids[name] = response.body.id;
  }
  // `old` (no amount at all) is revised by a record with a stated figure: it no longer counts, so it is not listed.
  const revision = await call('POST', '/api/commitments', { ...base, acceleratorKind: 'custom', statedH100e: 50, supersedesId: ids.old });
  expect(revision.status).toBe(201);
  ids.revision = revision.body.id;
});
afterAll(() => testApp.close());

const byId = (items: { id: string; reason: string }[]) => Object.fromEntries(items.map((item) => [item.id, item.reason]));

describe('GET /api/capacity/excluded', () => {
  it('lists the records behind excluded, with their reasons, matching the capacity answer', async () => {
    const query = `metric=h100e&companyId=${companyId}&from=2025-Q1&to=2025-Q4`;
    const excluded = await call('GET', `/api/capacity/excluded?${query}`);
    expect(excluded.status).toBe(200);
    // Counted: `counted`, `stated` and the revision. Left out: no quantity, no chip, a chip without BF16; not the
    // cancelled record, the superseded one, the one after the period or another company's.
    expect(byId(excluded.body.items)).toEqual({
      [ids.undisclosed]: 'quantity_undisclosed',
      [ids.noChip]: 'chip_unknown',
      [ids.bareChip]: 'chip_spec_missing',
    });
    expect(excluded.body.items[0]).toMatchObject({ companyId, company: 'Excluded Labs' });
    expect(excluded.body.total).toBe(3);
    const capacity = await call('GET', `/api/capacity?${query}`);
    expect(capacity.body.excluded).toEqual({
      count: 3,
      reasons: { quantity_undisclosed: 1, chip_unknown: 1, chip_spec_missing: 1 },
    });
  });

  it('follows the metric, the statuses and the period', async () => {
    // In units only the quantity matters: the records without one, stated H100e or not.
    const units = await call('GET', `/api/capacity/excluded?metric=units&companyId=${companyId}&from=2025-Q1&to=2025-Q4`);
    expect(byId(units.body.items)).toEqual({
      [ids.undisclosed]: 'quantity_undisclosed',
      [ids.stated]: 'quantity_undisclosed',
      [ids.revision]: 'quantity_undisclosed',
    });
    const withCancelled = await call(
      'GET',
      `/api/capacity/excluded?metric=units&status=announced,cancelled&companyId=${companyId}&from=2025-Q1&to=2025-Q4`,
    );
    expect(withCancelled.body.items.map((item: { id: string }) => item.id)).toContain(ids.cancelled);
    const later = await call('GET', `/api/capacity/excluded?metric=power_mw&companyId=${companyId}&from=2026-Q1`);
    expect(byId(later.body.items)).toEqual({ [ids.later]: 'chip_unknown' });
  });

  it('pages, and refuses a bad parameter with a 400 naming it', async () => {
    // With no period, every quarter: the three of 2025 and `later` (2026, no chip).
    const first = await call('GET', `/api/capacity/excluded?metric=h100e&companyId=${companyId}&limit=3`);
    expect(first.body).toMatchObject({ total: 4, page: 1, limit: 3 });
    expect(first.body.items).toHaveLength(3);
    const second = await call('GET', `/api/capacity/excluded?metric=h100e&companyId=${companyId}&limit=3&page=2`);
    expect(second.body.items).toHaveLength(1);
    const all = new Set([...first.body.items, ...second.body.items].map((item: { id: string }) => item.id));
    expect(all).toEqual(new Set([ids.undisclosed, ids.noChip, ids.bareChip, ids.later]));
    expect((await call('GET', `/api/capacity?metric=h100e&companyId=${companyId}`)).body.excluded.count).toBe(4);
    const bad = await call('GET', '/api/capacity/excluded?metric=flops');
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('metric');
  });
});
