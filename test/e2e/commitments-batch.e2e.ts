import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
let analyst: Record<string, string>;
let analystId: string;
let companyId: string;
let h100Id: string;

const call = (method: string, path: string, json?: unknown) => http(testApp.baseUrl, method, path, { json, headers: analyst });
const total = async () => (await call('GET', '/api/commitments?limit=1')).body.total as number;

beforeAll(async () => {
  testApp = await startTestApp();
  const session = await testApp.session('analyst');
  analyst = session.headers;
  analystId = session.user.id;
  companyId = (await call('POST', '/api/companies', { name: 'Batch Lab', kind: 'ai_lab' })).body.id;
  h100Id = (await call('GET', '/api/accelerators')).body.find((chip: { name: string }) => chip.name === 'H100 SXM').id;
});
afterAll(() => testApp.close());

const source = {
  title: 'Batch Lab akan memasang GPU',
  publisher: 'Catatan uji',
  publishedOn: '2024-02-28',
  language: 'id',
  quote: 'Batch Lab berencana memasang sekitar 20.000 GPU H100 pada akhir tahun ini.',
};

describe('POST /api/commitments/batch', () => {
  it('creates every item in one go, in order, each with its source and its own audit entry', async () => {
    const response = await call('POST', '/api/commitments/batch', {
      items: [
        {
          companyId,
          acceleratorId: h100Id,
          quantity: 20000,
          quantityQualifier: 'approximate',
          announcedOn: '2024-02-28',
          deliveryBy: '2024-Q4',
          status: 'announced',
          sources: [source],
        },
        { companyId, acceleratorKind: 'custom', announcedOn: '2024-02-28', deliveryBy: '2024-Q4', status: 'announced', sources: [source] },
      ],
    });
    expect(response.status).toBe(201);
    expect(response.body).toHaveLength(2);
    const [gpus, custom] = response.body;
    expect(gpus).toMatchObject({
      company: { id: companyId, name: 'Batch Lab' },
      accelerator: { id: h100Id, name: 'H100 SXM' },
      quantity: 20000,
      quantityQualifier: 'approximate',
      window: { from: '2024-Q1', to: '2024-Q4' },
      version: 1,
      createdBy: analystId,
      sources: [source],
      // H100 SXM is the reference chip: factor 1; 20,000 × 700 W = 14 MW.
      metrics: { units: 20000, h100e: 20000, power_mw: 14 },
    });
    expect(custom).toMatchObject({ accelerator: null, acceleratorKind: 'custom', quantity: null, metrics: { units: null, h100e: null } });
    expect(await total()).toBe(2);
    for (const record of response.body) {
      const history = await call('GET', `/api/commitments/${record.id}/history`);
      expect(history.body.map((entry: { action: string }) => entry.action)).toEqual(['create']);
      expect(history.body[0].actor.id).toBe(analystId);
    }
  });

  it('refuses a batch with an invalid item naming items[i].field, and writes none of it', async () => {
    const before = await total();
    const valid = { companyId, acceleratorId: h100Id, quantity: 10, announcedOn: '2024-03-01', status: 'announced', sources: [source] };
    const response = await call('POST', '/api/commitments/batch', {
      items: [
        valid,
        { ...valid, quantity: 0, deliveryFrom: '2024-Q3', deliveryBy: '2024-Q2' },
        { ...valid, sources: [{ publisher: 'x' }] },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.details.map((detail: { field: string }) => detail.field)).toEqual([
      'items[1].quantity',
      'items[1].deliveryFrom',
      'items[2].sources[0].url',
      'items[2].sources[0].title',
    ]);
    expect(await total()).toBe(before);
  });

  it('refuses an item the service rejects (a company that does not exist) after earlier items were written, and keeps none', async () => {
    const before = await total();
    const missing = '00000000-0000-4000-8000-000000000000';
    const valid = { companyId, acceleratorKind: 'gpu', quantity: 5, announcedOn: '2024-03-01', status: 'confirmed', sources: [source] };
    const response = await call('POST', '/api/commitments/batch', { items: [valid, valid, { ...valid, companyId: missing }] });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(`items[2].companyId: company ${missing} does not exist`);
    expect(response.body.details).toEqual([
      { field: 'items[2].companyId', messages: [`company ${missing} does not exist`], value: missing },
    ]);
    expect(await total()).toBe(before);
    const audit = await http(testApp.baseUrl, 'GET', '/api/audit?entityType=commitment&action=create&limit=100', {
      headers: await testApp.as('admin'),
    });
    expect(audit.body.total).toBe(2);
  });

  it('refuses an empty batch, a missing items field and unknown fields', async () => {
    expect((await call('POST', '/api/commitments/batch', { items: [] })).body.details).toEqual([
      { field: 'items', messages: ['items must hold at least one commitment'] },
    ]);
    expect((await call('POST', '/api/commitments/batch', {})).status).toBe(400);
    const unknown = await call('POST', '/api/commitments/batch', { items: [{}], extra: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.map((detail: { field: string }) => detail.field)).toContain('extra');
    expect(unknown.body.details.map((detail: { field: string }) => detail.field)).toContain('items[0].companyId');
  });

  it('is closed to viewers', async () => {
    const viewer = await testApp.as('viewer');
    const response = await http(testApp.baseUrl, 'POST', '/api/commitments/batch', { json: { items: [] }, headers: viewer });
    expect(response.status).toBe(403);
  });
});
