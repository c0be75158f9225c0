import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let analyst: Record<string, string>;
let alpha: string;
let beta: string;

const call = (method: string, path: string, json?: unknown) => http(app.baseUrl, method, path, { json, headers: analyst });
const ok = async (method: string, path: string, json?: unknown) => {
  const response = await call(method, path, json);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body as { id: string; version: number };
};
const read = async <T>(path: string) => {
  const response = await call('GET', path);
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(200);
  return response.body as T;
};
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

interface Drift {
  dates: string[];
  values: number[];
  low: number[];
  high: number[];
}

const DATES = [
  '2026-03-01',
  '2026-03-02',
  '2026-03-03',
  '2026-03-04',
  '2026-03-05',
  '2026-03-06',
  '2026-03-07',
  '2026-03-08',
  '2026-03-09',
  '2026-03-10',
];

/**
 * The moments the writes are given, in the order they are made (one write, one transaction, one instant of the
 * versions): the history the drift follows.
 */
const WRITTEN_AT = [
  '2026-03-02T09:00:00Z', // r1: Alpha, 1,000 H100 over 2026-Q1..Q2
  '2026-03-02T15:00:00Z', // r2: Beta, about 2,000 H100 over 2026-Q3..2027-Q2
  '2026-03-03T10:00:00Z', // whole: Alpha, 4,000 H100 over 2026-Q3..Q4
  '2026-03-04T11:00:00Z', // r1 edited to 1,500
  '2026-03-04T18:00:00Z', // r3: Beta, 3,000 H100 in 2026-Q4, supersedes r2
  '2026-03-05T12:00:00Z', // part: Beta, 1,000 H100 over 2026-Q3..Q4, part of the whole
  '2026-03-06T08:00:00Z', // r3 deleted: r2 counts again
  '2026-03-07T09:00:00Z', // r2's delivery moved to 2026-Q3..Q4
  '2026-03-08T14:00:00Z', // r4: Beta, 500 H100 in 2026-Q2, hosted by Alpha
  '2026-03-09T10:00:00Z', // r1 deleted
];

beforeAll(async () => {
  app = await startTestApp();
  analyst = await app.as('analyst');
  const company = async (name: string) => (await ok('POST', '/api/companies', { name, country: 'US', kind: 'ai_lab' })).id;
  alpha = await company('Alpha Drift Labs');
  beta = await company('Beta Drift Cloud');
  const h100 = (await read<{ id: string; name: string }[]>('/api/accelerators')).find((chip) => chip.name === 'H100 SXM')!.id;
  const commitment = (fields: Record<string, unknown>) =>
    ok('POST', '/api/commitments', {
      acceleratorId: h100,
      announcedOn: '2026-01-15',
      status: 'confirmed',
      sources: [{ title: 'Drift desk note', publisher: 'Test desk' }],
      ...fields,
    });

  const r1 = await commitment({ companyId: alpha, quantity: 1_000, deliveryFrom: '2026-Q1', deliveryBy: '2026-Q2' });
  const r2 = await commitment({
    companyId: beta,
    quantity: 2_000,
    quantityQualifier: 'approximate',
    deliveryFrom: '2026-Q3',
    deliveryBy: '2027-Q2',
  });
  const whole = await commitment({ companyId: alpha, quantity: 4_000, deliveryFrom: '2026-Q3', deliveryBy: '2026-Q4' });
  await ok('PATCH', `/api/commitments/${r1.id}`, { version: r1.version, quantity: 1_500 });
  const r3 = await commitment({ companyId: beta, quantity: 3_000, deliveryFrom: '2026-Q4', deliveryBy: '2026-Q4', supersedesId: r2.id });
  await commitment({ companyId: beta, quantity: 1_000, deliveryFrom: '2026-Q3', deliveryBy: '2026-Q4', partOfId: whole.id });
  await ok('DELETE', `/api/commitments/${r3.id}`);
  const r2Now = await read<{ version: number }>(`/api/commitments/${r2.id}`);
  await ok('PATCH', `/api/commitments/${r2.id}`, { version: r2Now.version, deliveryFrom: '2026-Q3', deliveryBy: '2026-Q4' });
  await commitment({ companyId: beta, hostCompanyId: alpha, quantity: 500, deliveryFrom: '2026-Q2', deliveryBy: '2026-Q2' });
  await ok('DELETE', `/api/commitments/${r1.id}`);

  // The versions the writes kept, moved to the chosen moments: the n-th instant at which versions began or ended
  // (the n-th write's transaction time) becomes WRITTEN_AT[n].
  const database = app.app.get(DataSource);
  const instants: { count: number }[] = await database.query(
    `SELECT count(DISTINCT t)::int AS count FROM (SELECT valid_from AS t FROM commitment_versions
       UNION ALL SELECT valid_to FROM commitment_versions WHERE valid_to IS NOT NULL) moments`,
  );
  expect(instants[0].count).toBe(WRITTEN_AT.length);
  await database.query(
    `WITH instants AS (
       SELECT t, row_number() OVER (ORDER BY t)::int AS n
       FROM (SELECT valid_from AS t FROM commitment_versions UNION SELECT valid_to FROM commitment_versions WHERE valid_to IS NOT NULL) moments
     )
     UPDATE commitment_versions v SET
       valid_from = ($1::timestamptz[])[(SELECT n FROM instants WHERE t = v.valid_from)],
       valid_to = ($1::timestamptz[])[(SELECT n FROM instants WHERE t = v.valid_to)]`,
    [WRITTEN_AT],
  );
});
afterAll(() => app?.close());

describe('GET /api/capacity/drift over a history of chosen moments', () => {
  const variants = [
    { name: 'every company, attribution user', filter: '' },
    { name: 'Alpha, attribution user', filter: '&companyId=__ALPHA__' },
    { name: 'Alpha, attribution owner', filter: '&companyId=__ALPHA__&attribution=owner' },
    { name: 'Beta, attribution user', filter: '&companyId=__BETA__' },
  ];
  const filterOf = (filter: string) => filter.replace('__ALPHA__', alpha).replace('__BETA__', beta);

  it.each(variants)('equals, date by date, the summary as of each date ($name)', async ({ filter }) => {
    const drift = await read<Drift>(`/api/capacity/drift?quarter=2026-Q4&from=${DATES[0]}&to=${DATES.at(-1)}&step=day${filterOf(filter)}`);
    expect(drift.dates).toEqual(DATES);
    for (const [index, date] of DATES.entries()) {
      const summary = await read<{ total: number; low: number; high: number }>(
        `/api/capacity/summary?to=2026-Q4&asOf=${date}${filterOf(filter)}`,
      );
      expect([drift.values[index], drift.low[index], drift.high[index]], date).toEqual([
        round6(summary.total),
        round6(summary.low),
        round6(summary.high),
      ]);
    }
    // Asked again: the same answer.
    expect(
      await read<Drift>(`/api/capacity/drift?quarter=2026-Q4&from=${DATES[0]}&to=${DATES.at(-1)}&step=day${filterOf(filter)}`),
    ).toEqual(drift);
  });

  it('follows the hand-computed totals of the history (H100 SXM: 1 H100e each; cumulative up to 2026-Q4, by delivery)', async () => {
    const drift = (filter: string) =>
      read<Drift>(`/api/capacity/drift?quarter=2026-Q4&from=${DATES[0]}&to=${DATES.at(-1)}&step=day${filterOf(filter)}`);
    const all = await drift('');
    // 03-01: nothing yet. 03-02: r1 1,000 + r2 half of its 2,000 by 2026-Q4 (about: ±10 %, 900..1,100).
    // 03-03: + the whole's 4,000. 03-04: r1 1,500, r3 3,000 instead of r2: 1,500 + 4,000 + 3,000 = 8,500, exact.
    // 03-05: the part's 1,000 is taken from the whole's 4,000: unchanged. 03-06: r3 deleted, r2 back: 1,500 + 4,000
    // + 1,000 (900..1,100). 03-07: r2 all within 2026-Q3..Q4: 2,000 (1,800..2,200) → 7,500. 03-08: + r4's 500.
    // 03-09: r1 deleted: − 1,500. 03-10: no change.
    const expected = [
      [0, 0, 0],
      [2_000, 1_900, 2_100],
      [6_000, 5_900, 6_100],
      [8_500, 8_500, 8_500],
      [8_500, 8_500, 8_500],
      [6_500, 6_400, 6_600],
      [7_500, 7_300, 7_700],
      [8_000, 7_800, 8_200],
      [6_500, 6_300, 6_700],
      [6_500, 6_300, 6_700],
    ];
    expected.forEach(([value, low, high], index) => {
      expect(all.values[index], DATES[index]).toBeCloseTo(value, 6);
      expect(all.low[index], DATES[index]).toBeCloseTo(low, 6);
      expect(all.high[index], DATES[index]).toBeCloseTo(high, 6);
    });

    // Alpha (user): r1 and the whole. The part (Beta's) leaves the whole 3,000 from 03-05: 1,500 + 3,000.
    expect((await drift('&companyId=__ALPHA__')).values).toEqual([0, 1_000, 5_000, 5_500, 4_500, 4_500, 4_500, 4_500, 3_000, 3_000]);
    // Alpha (owner): the whole holds its part (4,000 throughout); r4, hosted by Alpha, is Beta's record, and the
    // company filter picks records by their own company.
    expect((await drift('&companyId=__ALPHA__&attribution=owner')).values).toEqual([
      0, 1_000, 5_000, 5_500, 5_500, 5_500, 5_500, 5_500, 4_000, 4_000,
    ]);
    // Beta (user): r2 1,000, then r3 3,000 in its place (03-04), + the part 1,000 (03-05), r2 back instead of r3
    // (03-06: 1,000 + 1,000), r2 2,000 (03-07), + r4 500 (03-08).
    expect((await drift('&companyId=__BETA__')).values).toEqual([0, 1_000, 1_000, 3_000, 4_000, 2_000, 3_000, 3_500, 3_500, 3_500]);
  });

  it('answers by week and by month from the same history, equal to the daily answer on their dates', async () => {
    const daily = await read<Drift>(`/api/capacity/drift?quarter=2026-Q4&from=2026-02-20&to=2026-03-10&step=day`);
    const weekly = await read<Drift>(`/api/capacity/drift?quarter=2026-Q4&from=2026-02-20&to=2026-03-10&step=week`);
    // Sundays 2026-02-22, 03-01 and 03-08, then the last date.
    expect(weekly.dates).toEqual(['2026-02-22', '2026-03-01', '2026-03-08', '2026-03-10']);
    expect(weekly.values).toEqual([0, 0, 8_000, 6_500]);
    for (const [index, date] of weekly.dates.entries()) {
      const day = daily.dates.indexOf(date);
      expect([weekly.values[index], weekly.low[index], weekly.high[index]], date).toEqual([
        daily.values[day],
        daily.low[day],
        daily.high[day],
      ]);
    }
    const monthly = await read<Drift>(`/api/capacity/drift?quarter=2026-Q4&from=2026-01-15&to=2026-04-10&step=month`);
    expect(monthly.dates).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-10']);
    expect(monthly.values).toEqual([0, 0, 6_500, 6_500]);
    expect(monthly.low).toEqual([0, 0, 6_300, 6_300]);
  });
});
