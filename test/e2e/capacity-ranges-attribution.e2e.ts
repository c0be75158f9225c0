import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityResponse, CapacitySummaryResponse } from '../../src/contracts/capacity.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// Ranges through wholes and parts (DESIGN.md, "Ranges and certainty" and "Counting"), over HTTP against the real
// database: a cloud fleet with a tenant's share and a phase inside it, each with its own range, under both
// attributions. Every figure is worked out by hand in the comments.
let testApp: TestApp;
let analyst: Record<string, string>;
const call = (method: string, path: string, json?: unknown) =>
  http(testApp.baseUrl, method, path, json === undefined ? { headers: analyst } : { json, headers: analyst });
const capacity = async (parameters: string): Promise<CapacityResponse> => {
  const response = await http<CapacityResponse>(testApp.baseUrl, 'GET', `/api/capacity?metric=units&${parameters}`, { headers: analyst });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};
const bands = (report: CapacityResponse) =>
  Object.fromEntries(report.series.map(({ label, values, low, high }) => [label, { values, low, high }]));
const ids: Record<string, { id: string; version: number }> = {};
const companies: Record<string, string> = {};

beforeAll(async () => {
  testApp = await startTestApp({ demoData: false });
  analyst = await testApp.as('analyst');
  const chips: { id: string; name: string }[] = (await call('GET', '/api/accelerators')).body;
  const h100 = chips.find((chip) => chip.name === 'H100 SXM')!.id;
  for (const [name, kind] of [
    ['Range Cloud', 'hyperscaler'],
    ['Range Lab', 'ai_lab'],
  ]) {
    companies[name] = (await call('POST', '/api/companies', { name, kind, country: 'US' })).body.id;
  }
  const commit = async (name: string, fields: object) => {
    const response = await call('POST', '/api/commitments', {
      acceleratorId: h100,
      announcedOn: '2031-01-15',
      status: 'announced',
      sources: [{ title: `${name} announcement` }],
      ...fields,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids[name] = { id: response.body.id, version: response.body.version };
  };
  // The fleet: about 40,000 over 2031 — 10,000 a quarter, 9,000 to 11,000.
  await commit('fleet', {
    companyId: companies['Range Cloud'],
    quantity: 40_000,
    quantityQualifier: 'approximate',
    deliveryFrom: '2031-Q1',
    deliveryBy: '2031-Q4',
  });
  // Range Lab's share of it, hosted by Range Cloud: up to 8,000 in the first half — 4,000 a quarter, 0 to 4,000.
  await commit('share', {
    companyId: companies['Range Lab'],
    hostCompanyId: companies['Range Cloud'],
    partOfId: ids.fleet.id,
    quantity: 8_000,
    quantityQualifier: 'up_to',
    deliveryFrom: '2031-Q1',
    deliveryBy: '2031-Q2',
  });
  // A phase of Range Lab's inside the fleet: at least 2,000 in 2031-Q3 (2,000 to 2,000, no upper bound).
  await commit('phase', {
    companyId: companies['Range Lab'],
    partOfId: ids.fleet.id,
    quantity: 2_000,
    quantityQualifier: 'at_least',
    deliveryFrom: '2031-Q3',
    deliveryBy: '2031-Q3',
  });
});
afterAll(() => testApp.close());

describe('ranges through wholes and parts', () => {
  it('user: the parts keep their ranges, the fleet’s remainder is the interval difference', async () => {
    const report = await capacity('attribution=user');
    expect(bands(report)).toEqual({
      // Q1, Q2: 10,000 − 4,000 = 6,000, low 9,000 − 4,000 (the share's high) = 5,000, high 11,000 − 0 (its low).
      // Q3: 10,000 − 2,000 = 8,000, low 9,000 − 2,000 = 7,000, high 11,000 − 2,000 = 9,000. Q4: the fleet as it is.
      'Range Cloud': { values: [6_000, 6_000, 8_000, 10_000], low: [5_000, 5_000, 7_000, 9_000], high: [11_000, 11_000, 9_000, 11_000] },
      'Range Lab': { values: [4_000, 4_000, 2_000, 0], low: [0, 0, 2_000, 0], high: [4_000, 4_000, 2_000, 0] },
    });
    // Low 26,000 + 2,000; high 42,000 + 10,000; only the phase has no upper bound.
    expect([report.total, report.low, report.high, report.openAbove]).toEqual([40_000, 28_000, 52_000, 1]);
  });

  it('owner: the parts count 0 (low and high 0), the fleet max(whole, Σ parts) bound by bound, open through its phase', async () => {
    const report = await capacity('attribution=owner');
    // Each quarter: max(10,000, parts) = 10,000, low max(9,000, parts' lows) = 9,000, high max(11,000, parts' highs).
    expect(bands(report)).toEqual({
      'Range Cloud': {
        values: [10_000, 10_000, 10_000, 10_000],
        low: [9_000, 9_000, 9_000, 9_000],
        high: [11_000, 11_000, 11_000, 11_000],
      },
    });
    // The fleet holds the at-least phase, so it has no upper bound either: still one record counted as open.
    expect([report.total, report.low, report.high, report.openAbove]).toEqual([40_000, 36_000, 44_000, 1]);
    const summary = await http<CapacitySummaryResponse>(testApp.baseUrl, 'GET', '/api/capacity/summary?metric=units&attribution=owner', {
      headers: analyst,
    });
    expect(summary.body).toMatchObject({ total: 40_000, low: 36_000, high: 44_000, openAbove: 1 });
  });

  it('keeps the ranges by country and company kind, and follows a change of a part’s bounds at once', async () => {
    const byKind = await capacity('attribution=user&groupBy=companyKind');
    expect(bands(byKind)).toEqual({
      Hyperscaler: { values: [6_000, 6_000, 8_000, 10_000], low: [5_000, 5_000, 7_000, 9_000], high: [11_000, 11_000, 9_000, 11_000] },
      'AI lab': { values: [4_000, 4_000, 2_000, 0], low: [0, 0, 2_000, 0], high: [4_000, 4_000, 2_000, 0] },
    });
    const byCountry = await capacity('attribution=user&groupBy=country');
    expect([byCountry.series.map((series) => series.key), byCountry.low, byCountry.high]).toEqual([['US'], 28_000, 52_000]);
    // The share now at least 6,000 (of up to 8,000): 3,000 a quarter at least, so the fleet's high in Q1 and Q2 is
    // 11,000 − 3,000 = 8,000.
    const patched = await call('PATCH', `/api/commitments/${ids.share.id}`, { version: ids.share.version, amountLow: 6_000 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const report = await capacity('attribution=user');
    expect(bands(report)['Range Cloud'].high).toEqual([8_000, 8_000, 9_000, 11_000]);
    expect(bands(report)['Range Lab'].low).toEqual([3_000, 3_000, 2_000, 0]);
  });
});
