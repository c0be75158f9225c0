import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
let analyst: Record<string, string>;
// An analyst makes every call: reading and entering announcements is an analyst's work.
const call = (method: string, path: string, options: Parameters<typeof http>[3] = {}) =>
  http(testApp.baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });

beforeAll(async () => {
  testApp = await startTestApp({ demoData: true });
  analyst = await testApp.as('analyst');
});
afterAll(() => testApp.close());

async function chipId(name: string): Promise<string> {
  const chips = (await call('GET', '/api/accelerators')).body as { id: string; name: string }[];
  return chips.find((chip) => chip.name === name)!.id;
}

async function createCompany(name: string): Promise<string> {
  const response = await call('POST', '/api/companies', { json: { name, kind: 'ai_lab', country: 'us' } });
  expect(response.status).toBe(201);
  return response.body.id;
}

const source = { title: 'Our own test note', publisher: 'Ledger tests' };

describe('health', () => {
  it('reports the database up', async () => {
    const response = await call('GET', '/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up' });
    expect(response.headers.get('x-request-id')).toMatch(/.+/);
  });
});

describe('demo data and catalog', () => {
  it('lists the 15 demo commitments with their derived metrics and sources', async () => {
    const response = await call('GET', '/api/commitments?limit=100');
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(15);
    expect(response.body.items).toHaveLength(15);
    const meta = response.body.items.find((item: any) => item.key === 'meta-h100-2024');
    expect(meta.company.name).toBe('Meta');
    expect(meta.accelerator.name).toBe('H100 SXM');
    expect(meta.metrics).toEqual({ units: 350000, h100e: 350000, power_mw: 245 });
    expect(meta.window).toEqual({ from: '2024-Q1', to: '2024-Q4' });
    expect(meta.sources[0].title).toBe("Meta will have 350,000 of Nvidia's fastest AI GPUs by end of year");
    const mtia = response.body.items.find((item: any) => item.key === 'meta-mtia-2024');
    expect(mtia.metrics).toEqual({ units: null, h100e: null, power_mw: null });
    const tesla35 = response.body.items.find((item: any) => item.key === 'tesla-h100-35k');
    const tesla50 = response.body.items.find((item: any) => item.key === 'tesla-cortex-50k');
    expect(tesla50.supersedesId).toBe(tesla35.id);
    expect(tesla35.supersededById).toBe(tesla50.id);
  });

  it('gives each chip its H100-equivalent factor, null where the BF16 rate is unknown', async () => {
    const chips = (await call('GET', '/api/accelerators')).body as any[];
    expect(chips).toHaveLength(19);
    const byName = new Map(chips.map((chip) => [chip.name, chip]));
    expect(byName.get('H100 SXM').h100eFactor).toBe(1);
    expect(byName.get('B200').h100eFactor).toBe(2250 / 989);
    expect(byName.get('MI300X').h100eFactorFp8).toBe(2615 / 1979);
    expect(byName.get('GB300').h100eFactor).toBeNull();
    expect(byName.get('GB300').tdpWatts).toBeNull();
    // At every precision; max: the highest dense rate ÷ 1979 (TPU v6e: INT8 1,836 beats BF16 918).
    expect(byName.get('TPU v6e').h100eFactors).toEqual({ bf16: 918 / 989, fp8: null, max: 1836 / 1979 });
    expect(byName.get('GB300').h100eFactors).toEqual({ bf16: null, fp8: null, max: null });
    expect(byName.get('A100 SXM')).toMatchObject({ denseFp32Tflops: null, denseInt8Tops: 624, releasePriceUsd: null });
    expect(byName.get('H100 SXM').aliases).toEqual(['H100', 'H100 SXM5', 'Hopper H100']);
  });
});

describe('validation', () => {
  it('rejects a negative quantity, a bad quarter and an unknown field in one 400 naming all three, writing nothing', async () => {
    const companyId = await createCompany('Validation Lab');
    const response = await call('POST', '/api/commitments', {
      json: {
        companyId,
        acceleratorId: await chipId('H100 SXM'),
        quantity: -5,
        deliveryBy: '2024-Q5',
        announcedOn: '2024-02-01',
        status: 'announced',
        sources: [source],
        colour: 'green',
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.statusCode).toBe(400);
    expect(response.body.error).toBe('Bad Request');
    const fields = response.body.details.map((detail: any) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['quantity', 'deliveryBy', 'colour']));
    const list = await call('GET', `/api/commitments?companyId=${companyId}`);
    expect(list.body.total).toBe(0);
  });

  it('names nested source fields and requires a url or a title', async () => {
    const companyId = await createCompany('Source Lab');
    const response = await call('POST', '/api/commitments', {
      json: { companyId, acceleratorKind: 'gpu', announcedOn: '2024-02-30', status: 'announced', sources: [{ publisher: 'x' }] },
    });
    expect(response.status).toBe(400);
    const fields = response.body.details.map((detail: any) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['announcedOn', 'sources[0].url']));
  });

  it('answers a malformed id with 400 and an unknown one with 404', async () => {
    const malformed = await call('GET', '/api/commitments/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('id');
    const missing = await call('GET', '/api/commitments/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('rejects a duplicate company name, whatever its case, with 409', async () => {
    await createCompany('Duplicate Compute');
    const response = await call('POST', '/api/companies', { json: { name: 'duplicate compute' } });
    expect(response.status).toBe(409);
    expect(response.body.details[0].field).toBe('name');
  });

  it('answers malformed JSON with 400', async () => {
    const response = await fetch(`${testApp.baseUrl}/api/companies`, {
      method: 'POST',
      headers: { ...analyst, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { statusCode: number }).statusCode).toBe(400);
  });

  it('rejects list parameters it does not know or cannot read', async () => {
    expect((await call('GET', '/api/commitments?colour=red')).status).toBe(400);
    expect((await call('GET', '/api/commitments?from=2024-Q7')).body.details[0].field).toBe('from');
    expect((await call('GET', '/api/commitments?to=9999-Q4')).body.details[0].field).toBe('to');
    expect((await call('GET', '/api/commitments?limit=0')).status).toBe(400);
    expect((await call('GET', '/api/commitments?sort=price')).status).toBe(400);
  });
});

describe('commitments', () => {
  it('creates, reads, updates with the version and refuses a stale one', async () => {
    const companyId = await createCompany('Edit Lab');
    const created = await call('POST', '/api/commitments', {
      json: {
        companyId,
        acceleratorId: await chipId('B200'),
        quantity: 20000,
        quantityQualifier: 'up_to',
        announcedOn: '2025-03-10',
        deliveryFrom: '2025-Q3',
        deliveryBy: '2026-Q2',
        status: 'announced',
        certainty: 'likely',
        sources: [{ url: 'https://example.org/edit-lab', title: 'Edit Lab expands', language: 'en' }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    expect(created.body.acceleratorKind).toBe('gpu');
    expect(created.body.metrics).toEqual({ units: 20000, h100e: (20000 * 2250) / 989, power_mw: 20 });
    const id = created.body.id;

    const read = await call('GET', `/api/commitments/${id}`);
    // The version, then a digest of the record's view.
    expect(read.headers.get('etag')).toMatch(/^"1\.[\w-]+"$/);

    const updated = await call('PATCH', `/api/commitments/${id}`, { json: { version: 1, quantity: 25000 } });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    expect(updated.body.quantity).toBe(25000);
    expect(updated.body.quantityQualifier).toBe('up_to');
    expect(updated.body.deliveryFrom).toBe('2025-Q3');
    expect(updated.body.sources).toHaveLength(1);

    const stale = await call('PATCH', `/api/commitments/${id}`, { json: { version: 1, quantity: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current.quantity).toBe(25000);

    const viaIfMatch = await call('PATCH', `/api/commitments/${id}`, { json: { status: 'confirmed' }, headers: { 'If-Match': '"2"' } });
    expect(viaIfMatch.status).toBe(200);
    expect(viaIfMatch.body.version).toBe(3);

    const withoutVersion = await call('PATCH', `/api/commitments/${id}`, { json: { status: 'delivered' } });
    expect(withoutVersion.status).toBe(400);
    expect(withoutVersion.body.details[0].field).toBe('version');

    expect((await call('DELETE', `/api/commitments/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/commitments/${id}`)).status).toBe(404);
  });

  it('checks supersession: same company, not twice, target alive', async () => {
    const companyId = await createCompany('Revision Lab');
    const otherId = await createCompany('Other Lab');
    const base = { acceleratorKind: 'custom', announcedOn: '2024-05-01', status: 'announced', sources: [source] };
    const first = await call('POST', '/api/commitments', { json: { ...base, companyId, quantity: 100 } });
    const second = await call('POST', '/api/commitments', { json: { ...base, companyId, quantity: 200, supersedesId: first.body.id } });
    expect(second.status).toBe(201);
    const twice = await call('POST', '/api/commitments', { json: { ...base, companyId, quantity: 300, supersedesId: first.body.id } });
    expect(twice.status).toBe(409);
    expect(twice.body.details[0].field).toBe('supersedesId');
    const foreign = await call('POST', '/api/commitments', { json: { ...base, companyId: otherId, supersedesId: second.body.id } });
    expect(foreign.status).toBe(400);
    const cycle = await call('PATCH', `/api/commitments/${first.body.id}`, { json: { version: 1, supersedesId: second.body.id } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.details[0].field).toBe('supersedesId');
    const third = await call('POST', '/api/commitments', { json: { ...base, companyId, quantity: 300, supersedesId: second.body.id } });
    expect(third.status).toBe(201);
    const current = await call('GET', `/api/commitments?companyId=${companyId}&superseded=false`);
    expect(current.body.items.map((item: any) => item.quantity)).toEqual([300]);
  });

  it('filters, searches, sorts and pages the list', async () => {
    const gpus = await call('GET', '/api/commitments?kind=custom&sort=announcedOn&limit=100');
    expect(gpus.body.items.every((item: any) => item.acceleratorKind === 'custom')).toBe(true);
    const dates = gpus.body.items.map((item: any) => item.announcedOn);
    expect(dates).toEqual([...dates].sort());

    const nvidia = await call('GET', '/api/commitments?vendor=nvidia,AMD&status=delivered');
    expect(nvidia.body.items.map((item: any) => item.key).sort()).toEqual(
      ['abci-3', 'indosat-gb200', 'isambard-ai', 'tesla-cortex-50k', 'tesla-h100-35k', 'xai-colossus-100k'].sort(),
    );

    const period = await call('GET', '/api/commitments?from=2026-Q3&to=2026-Q3&sort=company');
    expect(period.body.items.map((item: any) => item.key)).toEqual([
      'anthropic-google-tpu',
      'mistral-gb200',
      'openai-amd-first-gw',
      'oracle-mi450-2026',
    ]);

    const search = await call('GET', '/api/commitments?q=zettascale');
    expect(search.body.items.map((item: any) => item.key)).toEqual(['oracle-gb200-zettascale']);

    const page1 = await call('GET', '/api/commitments?limit=4&page=1&sort=-announcedOn');
    const page2 = await call('GET', '/api/commitments?limit=4&page=2&sort=-announcedOn');
    expect(page1.body.items).toHaveLength(4);
    expect(page1.body.page).toBe(1);
    expect(page1.body.limit).toBe(4);
    expect(page2.body.items[0].announcedOn <= page1.body.items[3].announcedOn).toBe(true);
    expect(new Set([...page1.body.items, ...page2.body.items].map((item: any) => item.id)).size).toBe(8);
  });

  it('counts in total every record that passes the filters, not only the page', async () => {
    const filters = [
      '',
      'vendor=nvidia,AMD&status=delivered',
      'q=zettascale',
      'superseded=false',
      'superseded=true',
      'kind=custom',
      'sort=-quantity',
    ];
    for (const filter of filters) {
      const all = await call('GET', `/api/commitments?${filter}&limit=100`);
      const page = await call('GET', `/api/commitments?${filter}&limit=2&page=2`);
      expect(page.body.total, filter).toBe(all.body.items.length);
      expect(all.body.total, filter).toBe(all.body.items.length);
    }
  });
});
