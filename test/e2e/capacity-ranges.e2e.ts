import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityResponse, CapacitySummaryResponse, TopCompaniesResponse } from '../../src/contracts/capacity.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// Every capacity answer with its range (DESIGN.md, "Ranges and certainty"), over HTTP against the real database,
// on records made for the test; each figure is worked out by hand in the comments.
let testApp: TestApp;
let analyst: Record<string, string>;
const call = (method: string, path: string, json?: unknown) =>
  http(testApp.baseUrl, method, path, json === undefined ? { headers: analyst } : { json, headers: analyst });
const capacity = async (parameters: string): Promise<CapacityResponse> => {
  const response = await http<CapacityResponse>(testApp.baseUrl, 'GET', `/api/capacity${parameters}`, { headers: analyst });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};
const ids: Record<string, string> = {};

async function start(): Promise<void> {
  testApp = await startTestApp({ demoData: false });
  analyst = await testApp.as('analyst');
  const chips: { id: string; name: string }[] = (await call('GET', '/api/accelerators')).body;
  const h100 = chips.find((chip) => chip.name === 'H100 SXM')!.id;
  for (const name of ['Approx Lab', 'Upto Lab', 'Floor Lab', 'Guess Lab', 'Bounded Lab']) {
    ids[name] = (await call('POST', '/api/companies', { name, kind: 'ai_lab' })).body.id;
  }
  const commit = async (company: string, fields: object) => {
    const response = await call('POST', '/api/commitments', {
      companyId: ids[company],
      acceleratorId: h100,
      announcedOn: '2030-01-15',
      status: 'announced',
      sources: [{ title: `${company} announcement` }],
      ...fields,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };
  // About 40,000 over 2030-Q1..Q4: 10,000 a quarter, 9,000 to 11,000.
  await commit('Approx Lab', { quantity: 40_000, quantityQualifier: 'approximate', deliveryBy: '2030-Q4' });
  // Up to 8,000 in 2030-Q2: 0 to 8,000.
  await commit('Upto Lab', { quantity: 8_000, quantityQualifier: 'up_to', deliveryFrom: '2030-Q2' });
  // At least 6,000 in 2030-Q3: 6,000 to 6,000, and no upper bound.
  await commit('Floor Lab', { quantity: 6_000, quantityQualifier: 'at_least', deliveryFrom: '2030-Q3' });
  // A speculative 4,000 in 2030-Q1: 0 to 4,000.
  await commit('Guess Lab', { quantity: 4_000, certainty: 'speculative', deliveryFrom: '2030-Q1' });
  // 2,000 "between 1,500 and 3,000" in 2030-Q4; a stated 700 H100e (up to 1,000) in 2030-Q4.
  await commit('Bounded Lab', { quantity: 2_000, amountLow: 1_500, amountHigh: 3_000, deliveryFrom: '2030-Q4' });
  await commit('Bounded Lab', {
    acceleratorId: null,
    acceleratorKind: 'custom',
    statedH100e: 700,
    amountHigh: 1_000,
    deliveryFrom: '2030-Q4',
  });
}

describe('ranges in the capacity answers', () => {
  beforeAll(start);
  afterAll(() => testApp.close());

  it('gives each series its low and high per quarter, and the totals and openAbove', async () => {
    const report = await capacity('?metric=units');
    expect(report.quarters).toEqual(['2030-Q1', '2030-Q2', '2030-Q3', '2030-Q4']);
    const byLabel = Object.fromEntries(report.series.map(({ label, values, low, high }) => [label, { values, low, high }]));
    expect(byLabel).toEqual({
      'Approx Lab': { values: [10_000, 10_000, 10_000, 10_000], low: [9_000, 9_000, 9_000, 9_000], high: [11_000, 11_000, 11_000, 11_000] },
      'Upto Lab': { values: [0, 8_000, 0, 0], low: [0, 0, 0, 0], high: [0, 8_000, 0, 0] },
      'Floor Lab': { values: [0, 0, 6_000, 0], low: [0, 0, 6_000, 0], high: [0, 0, 6_000, 0] },
      'Guess Lab': { values: [4_000, 0, 0, 0], low: [0, 0, 0, 0], high: [4_000, 0, 0, 0] },
      'Bounded Lab': { values: [0, 0, 0, 2_000], low: [0, 0, 0, 1_500], high: [0, 0, 0, 3_000] },
    });
    // 40,000 + 8,000 + 6,000 + 4,000 + 2,000; low 36,000 + 0 + 6,000 + 0 + 1,500; high 44,000 + 8,000 + 6,000 + 4,000 + 3,000.
    expect([report.total, report.low, report.high, report.openAbove]).toEqual([60_000, 43_500, 65_000, 1]);
    // Only the at-least record has no upper bound, and only where its quarter is in the period.
    expect((await capacity('?metric=units&from=2030-Q4')).openAbove).toBe(0);
  });

  it('scales explicit bounds to H100e, and bounds a stated figure in its own unit', async () => {
    const report = await capacity(`?companyId=${ids['Bounded Lab']}&groupBy=kind`);
    // H100 SXM: 1 H100e per chip, so 2,000 (1,500–3,000); the custom chip's stated 700 H100e (700–1,000).
    expect(report.series.map(({ key, values, low, high }) => ({ key, values, low, high }))).toEqual([
      { key: 'gpu', values: [2_000], low: [1_500], high: [3_000] },
      { key: 'custom', values: [700], low: [700], high: [1_000] },
    ]);
    expect([report.total, report.low, report.high]).toEqual([2_700, 2_200, 4_000]);
  });

  it('runs the bands cumulatively, and folds them into Others with top', async () => {
    const cumulative = await capacity('?metric=units&groupBy=kind&cumulative=true&from=2030-Q3');
    // Carried into 2030-Q3: 20,000 + 8,000 + 4,000 (low 18,000 + 0 + 0, high 22,000 + 8,000 + 4,000), then 2030-Q3 and Q4.
    expect(cumulative.series.map(({ key, values, low, high }) => ({ key, values, low, high }))).toEqual([
      {
        key: 'gpu',
        values: [32_000 + 16_000, 48_000 + 12_000],
        low: [18_000 + 15_000, 33_000 + 10_500],
        high: [34_000 + 17_000, 51_000 + 14_000],
      },
    ]);
    const top = await capacity('?metric=units&top=2');
    expect(top.series.map(({ label, low, high }) => ({ label, low, high }))).toEqual([
      { label: 'Approx Lab', low: [9_000, 9_000, 9_000, 9_000], high: [11_000, 11_000, 11_000, 11_000] },
      { label: 'Upto Lab', low: [0, 0, 0, 0], high: [0, 8_000, 0, 0] },
      // Floor, Guess and Bounded.
      { label: 'Others', low: [0, 0, 6_000, 1_500], high: [4_000, 0, 6_000, 3_000] },
    ]);
  });

  it('carries the range in the summary and the top companies', async () => {
    const summary = await http<CapacitySummaryResponse>(testApp.baseUrl, 'GET', '/api/capacity/summary?metric=units', { headers: analyst });
    expect(summary.body).toMatchObject({ total: 60_000, low: 43_500, high: 65_000, openAbove: 1 });
    const top = await http<TopCompaniesResponse>(testApp.baseUrl, 'GET', '/api/capacity/top-companies?metric=units&limit=2', {
      headers: analyst,
    });
    expect(top.body.companies.map(({ name, total, low, high }) => ({ name, total, low, high }))).toEqual([
      { name: 'Approx Lab', total: 40_000, low: 36_000, high: 44_000 },
      { name: 'Upto Lab', total: 8_000, low: 0, high: 8_000 },
    ]);
  });

  it('follows a change of a record’s bounds at once', async () => {
    const [record] = (await call('GET', `/api/commitments?companyId=${ids['Floor Lab']}`)).body.items;
    const patched = await call('PATCH', `/api/commitments/${record.id}`, { version: record.version, amountHigh: 9_000 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const report = await capacity(`?metric=units&companyId=${ids['Floor Lab']}`);
    expect([report.total, report.low, report.high, report.openAbove]).toEqual([6_000, 6_000, 9_000, 0]);
  });
});

describe('APPROXIMATE_MARGIN', () => {
  beforeAll(async () => {
    process.env.APPROXIMATE_MARGIN = '0.25';
    await start();
  });
  afterAll(async () => {
    delete process.env.APPROXIMATE_MARGIN;
    await testApp.close();
  });

  it('sets how far an approximate amount ranges: ±25 % makes about 40,000 run from 30,000 to 50,000', async () => {
    const report = await capacity(`?metric=units&companyId=${ids['Approx Lab']}`);
    expect([report.total, report.low, report.high]).toEqual([40_000, 30_000, 50_000]);
    expect(report.series[0].low).toEqual([7_500, 7_500, 7_500, 7_500]);
  });
});
