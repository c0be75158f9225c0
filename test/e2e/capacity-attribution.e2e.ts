import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildCapacityRollup } from '../../src/database/capacity-rollup.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
let analyst: Record<string, string>;
let google: string;
let anthropic: string;
let humain: string;
let h100: string;
const ids: Record<string, { id: string; version: number }> = {};

const call = (method: string, path: string, json?: unknown) => http(testApp.baseUrl, method, path, { json, headers: analyst });
const source = { title: 'Counting test desk', publisher: 'Test desk', publishedOn: '2025-01-10' };
const PERIOD = 'metric=h100e&from=2025-Q1&to=2025-Q4';

/** The series of an answer by key, and its total. */
async function capacity(parameters: string): Promise<{ series: Record<string, number[]>; total: number }> {
  const response = await call('GET', `/api/capacity?${PERIOD}&${parameters}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return {
    series: Object.fromEntries(response.body.series.map((series: { key: string; values: number[] }) => [series.key, series.values])),
    total: response.body.total,
  };
}

/** The rollup as the writes left it equals a rebuild from the base tables (then rolled back). */
async function expectRollupEqualsRebuild(): Promise<void> {
  const rows = 'SELECT * FROM capacity_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12';
  const runner = testApp.app.get(DataSource).createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    const kept = await runner.query(rows);
    await rebuildCapacityRollup(runner.manager);
    expect(kept).toEqual(await runner.query(rows));
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

async function create(name: string, fields: Record<string, unknown>): Promise<void> {
  const response = await call('POST', '/api/commitments', {
    acceleratorId: h100,
    announcedOn: '2025-01-10',
    status: 'announced',
    sources: [source],
    ...fields,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  ids[name] = { id: response.body.id, version: response.body.version };
}

beforeAll(async () => {
  testApp = await startTestApp();
  analyst = (await testApp.session('analyst')).headers;
  google = (await call('POST', '/api/companies', { name: 'Count Google', kind: 'hyperscaler', country: 'US' })).body.id;
  anthropic = (await call('POST', '/api/companies', { name: 'Count Anthropic', kind: 'ai_lab', country: 'US' })).body.id;
  humain = (await call('POST', '/api/companies', { name: 'Count Humain', kind: 'sovereign', country: 'SA' })).body.id;
  h100 = (await call('GET', '/api/accelerators')).body.find((chip: { name: string }) => chip.name === 'H100 SXM').id;
  // H100 SXM is the reference chip: its H100e are its units.
  // Google's fleet: 400,000 over 2025 (100,000 a quarter). Anthropic's share of it, hosted by Google: 80,000 in the
  // first half (40,000 a quarter), deployed in the US. Humain's own 20,000 in Q1; Anthropic's own 10,000 in Q3.
  await create('fleet', { companyId: google, quantity: 400_000, deliveryFrom: '2025-Q1', deliveryBy: '2025-Q4' });
  await create('share', {
    companyId: anthropic,
    hostCompanyId: google,
    partOfId: ids.fleet.id,
    siteCountry: 'US',
    quantity: 80_000,
    deliveryFrom: '2025-Q1',
    deliveryBy: '2025-Q2',
  });
  await create('humain', { companyId: humain, quantity: 20_000, deliveryFrom: '2025-Q1', deliveryBy: '2025-Q1' });
  await create('own', { companyId: anthropic, quantity: 10_000, deliveryFrom: '2025-Q3', deliveryBy: '2025-Q3' });
});
afterAll(() => testApp.close());

describe('GET /api/capacity with attribution and the new groupings', () => {
  it('user (the default): the share under Anthropic, the fleet less the share in each quarter', async () => {
    const user = await capacity('groupBy=company');
    expect(user.series).toEqual({
      [google]: [60_000, 60_000, 100_000, 100_000],
      [anthropic]: [40_000, 40_000, 10_000, 0],
      [humain]: [20_000, 0, 0, 0],
    });
    expect(user.total).toBe(430_000);
    expect(await capacity('groupBy=company&attribution=user')).toEqual(user);
  });

  it('owner: the fleet in full under Google, the share 0; the same grand total', async () => {
    const owner = await capacity('groupBy=company&attribution=owner');
    expect(owner.series).toEqual({
      [google]: [100_000, 100_000, 100_000, 100_000],
      [anthropic]: [0, 0, 10_000, 0],
      [humain]: [20_000, 0, 0, 0],
    });
    expect(owner.total).toBe(430_000);
    const summary = await call('GET', `/api/capacity/summary?${PERIOD}&attribution=owner`);
    expect(summary.body.total).toBe(430_000);
    const top = await call('GET', `/api/capacity/top-companies?${PERIOD}&attribution=owner&limit=1`);
    // Exact records: the range is the total itself.
    expect(top.body.companies).toEqual([{ id: google, name: 'Count Google', total: 400_000, low: 400_000, high: 400_000 }]);
  });

  it('groups by country (site, else the company’s) and by company kind', async () => {
    // US: Google's 320,000 (its country) + the share's 80,000 (its site) + Anthropic's own 10,000; SA: Humain's.
    const byCountry = await capacity('groupBy=country');
    expect(byCountry.series).toEqual({ US: [100_000, 100_000, 110_000, 100_000], SA: [20_000, 0, 0, 0] });
    const response = await call('GET', `/api/capacity?${PERIOD}&groupBy=country`);
    expect(response.body.series.map((series: { key: string; label: string }) => series.label)).toEqual(['US', 'SA']);
    const kinds = await call('GET', `/api/capacity?${PERIOD}&groupBy=companyKind`);
    expect(
      kinds.body.series.map(({ key, label, values }: { key: string; label: string; values: number[] }) => ({ key, label, values })),
    ).toEqual([
      { key: 'hyperscaler', label: 'Hyperscaler', values: [60_000, 60_000, 100_000, 100_000] },
      { key: 'ai_lab', label: 'AI lab', values: [40_000, 40_000, 10_000, 0] },
      { key: 'sovereign', label: 'Sovereign programme', values: [20_000, 0, 0, 0] },
    ]);
    const ownerKinds = await capacity('groupBy=companyKind&attribution=owner');
    expect(ownerKinds.series).toEqual({
      hyperscaler: [100_000, 100_000, 100_000, 100_000],
      ai_lab: [0, 0, 10_000, 0],
      sovereign: [20_000, 0, 0, 0],
    });
    const bad = await call('GET', `/api/capacity?${PERIOD}&attribution=tenant`);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('attribution');
  });

  it('counts a part against the newest record of its whole’s chain, and the rollup equals a rebuild after each write', async () => {
    await expectRollupEqualsRebuild();
    // Google revises its fleet to 500,000 (125,000 a quarter): the share now counts against the revision.
    await create('revision', {
      companyId: google,
      quantity: 500_000,
      deliveryFrom: '2025-Q1',
      deliveryBy: '2025-Q4',
      supersedesId: ids.fleet.id,
    });
    await expectRollupEqualsRebuild();
    const user = await capacity('groupBy=company');
    expect(user.series[google]).toEqual([85_000, 85_000, 125_000, 125_000]);
    expect(user.total).toBe(530_000);
    const owner = await capacity('groupBy=company&attribution=owner');
    expect(owner.series[google]).toEqual([125_000, 125_000, 125_000, 125_000]);
    expect(owner.total).toBe(530_000);
    // A record filter chooses what is shown, not what is counted: Google's fleet less the share of another company.
    const googleOnly = await capacity(`groupBy=company&companyId=${google}`);
    expect(googleOnly.series).toEqual({ [google]: [85_000, 85_000, 125_000, 125_000] });

    // The share is released: the revision counts in full again, in the rollup.
    const share = (await call('GET', `/api/commitments/${ids.share.id}`)).body;
    const released = await call('PATCH', `/api/commitments/${share.id}`, {
      partOfId: null,
      hostCompanyId: null,
      siteCountry: null,
      version: share.version,
    });
    expect(released.status).toBe(200);
    await expectRollupEqualsRebuild();
    const after = await capacity('groupBy=company&attribution=owner');
    expect(after.series[google]).toEqual([125_000, 125_000, 125_000, 125_000]);
    expect(after.series[anthropic]).toEqual([40_000, 40_000, 10_000, 0]);
    expect(after.total).toBe(610_000);
    // Deleting the part brings nothing back twice either.
    expect((await call('DELETE', `/api/commitments/${share.id}`)).status).toBe(204);
    await expectRollupEqualsRebuild();
    expect((await capacity('groupBy=company')).total).toBe(530_000);
  });
});
