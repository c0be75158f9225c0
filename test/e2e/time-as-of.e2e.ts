import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let analyst: Record<string, string>;
let alpha: string;
let beta: string;
let h100: string;

const call = (method: string, path: string, options: { json?: unknown; text?: string; contentType?: string } = {}) =>
  http(app.baseUrl, method, path, { ...options, headers: analyst });
const ok = async (method: string, path: string, options: { json?: unknown; text?: string; contentType?: string } = {}) => {
  const response = await call(method, path, options);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
};

/** The reads whose answers are captured at each moment and asked again later with `asOf`. */
const READS = [
  '/api/capacity?groupBy=company&cumulative=true',
  '/api/capacity?groupBy=kind&metric=units&basis=announced',
  '/api/capacity?groupBy=company&attribution=owner&status=announced,confirmed,delivered,rumored',
  '/api/capacity/summary',
  '/api/capacity/top-companies',
  '/api/capacity/excluded?metric=units',
  '/api/commitments?limit=100&sort=createdAt',
  '/api/commitments?limit=100&superseded=false&companyId=__ALPHA__',
  '/api/commitments/export?format=json',
  '/api/commitments/export?format=csv',
];
const withAsOf = (path: string, asOf: string) => `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}`;
const read = async (path: string) => {
  const response = await call('GET', path.replace('__ALPHA__', alpha));
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(200);
  return response.body as unknown;
};

/** Each moment of the test's history (an ISO date-time taken after a write answered) and what every read said then. */
const moments: { label: string; at: string; answers: unknown[] }[] = [];
const capture = async (label: string) => {
  const at = new Date().toISOString();
  moments.push({ label, at, answers: await Promise.all(READS.map(read)) });
};
const source = (title: string) => [{ title, publisher: 'Test desk' }];

beforeAll(async () => {
  app = await startTestApp();
  analyst = await app.as('analyst');
  const company = async (name: string) =>
    ((await ok('POST', '/api/companies', { json: { name, country: 'US', kind: 'ai_lab' } })) as { id: string }).id;
  alpha = await company('Alpha Asof Labs');
  beta = await company('Beta Asof Cloud');
  h100 = ((await call('GET', '/api/accelerators')).body as { id: string; name: string }[]).find((chip) => chip.name === 'H100 SXM')!.id;
});
afterAll(() => app?.close());

describe('asOf: the ledger as it stood at a moment', () => {
  it('answers, later, exactly what each read answered at moments across creates, edits, supersessions, imports and deletes', async () => {
    await capture('before the first record');

    const first = (await ok('POST', '/api/commitments', {
      json: {
        companyId: alpha,
        acceleratorId: h100,
        quantity: 10_000,
        quantityQualifier: 'approximate',
        announcedOn: '2025-01-15',
        deliveryFrom: '2025-Q1',
        deliveryBy: '2025-Q4',
        status: 'announced',
        sources: source('Alpha plans ten thousand H100'),
      },
    })) as { id: string; version: number };
    await capture('one record');

    const batch = (await ok('POST', '/api/commitments/batch', {
      json: {
        items: [
          {
            companyId: beta,
            statedH100e: 5_000,
            acceleratorKind: 'gpu',
            announcedOn: '2025-04-02',
            status: 'confirmed',
            sources: source('Beta states 5k H100e'),
          },
          {
            companyId: beta,
            hostCompanyId: alpha,
            acceleratorId: h100,
            quantity: 2_000,
            quantityQualifier: 'up_to',
            announcedOn: '2025-05-10',
            deliveryBy: '2025-Q3',
            status: 'announced',
            sources: source('Beta rents up to 2k H100 from Alpha'),
          },
        ],
      },
    })) as { id: string }[];
    await capture('a batch with a hosted record');

    const edited = (await ok('PATCH', `/api/commitments/${first.id}`, { json: { version: first.version, quantity: 12_000 } })) as {
      version: number;
    };
    await capture('an edit');

    const revision = (await ok('POST', '/api/commitments', {
      json: {
        companyId: alpha,
        acceleratorId: h100,
        quantity: 20_000,
        announcedOn: '2025-06-01',
        deliveryBy: '2026-Q1',
        status: 'confirmed',
        supersedesId: first.id,
        sources: source('Alpha doubles its order'),
      },
    })) as { id: string; version: number };
    await capture('a supersession');

    const csv = [
      'key,company,accelerator,accelerator_kind,quantity,announced_on,delivery_by,status,source_title',
      'gamma-1,Gamma Asof Import,H100 SXM,gpu,3000,2025-07-01,2025-Q4,announced,Gamma buys 3k H100',
      'gamma-2,Gamma Asof Import,,custom,,2025-07-02,2026-Q2,rumored,Gamma custom chip rumour',
    ].join('\n');
    await ok('POST', '/api/imports?dryRun=false', { text: csv, contentType: 'text/csv' });
    await capture('an import');

    await ok('DELETE', `/api/commitments/${batch[0].id}`);
    await capture('a deletion');

    await ok('PATCH', `/api/commitments/${revision.id}`, {
      json: { version: revision.version, sources: source('Alpha doubles its order (corrected title)') },
    });
    await capture('a change of sources only');

    await ok('PATCH', `/api/commitments/${first.id}`, { json: { version: edited.version, status: 'cancelled' } });
    await capture('the superseded record cancelled');

    expect(moments.length).toBe(9);
    // The first moment saw nothing; the others differ from one another.
    const [empty] = moments[0].answers as [{ quarters: unknown[]; series: unknown[]; total: number }];
    expect(empty).toMatchObject({ quarters: [], series: [], total: 0 });
    for (const [index, moment] of moments.entries()) {
      if (index > 0) expect(moment.answers, moment.label).not.toEqual(moments[index - 1].answers);
    }

    for (const moment of moments) {
      for (const [index, path] of READS.entries()) {
        const expected = moment.answers[index];
        // Twice: computed, then from the store of settled answers.
        expect(await read(withAsOf(path, moment.at)), `${moment.label}: ${path}`).toEqual(expected);
        expect(await read(withAsOf(path, moment.at)), `${moment.label}: ${path} (again)`).toEqual(expected);
      }
    }
  });

  it('reads a date as the end of that UTC day: nothing before today, everything by the end of today', async () => {
    const now = await Promise.all(READS.map(read));
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    for (const [index, path] of READS.entries()) expect(await read(withAsOf(path, today)), path).toEqual(now[index]);
    const before = (await read(withAsOf(READS[0], yesterday))) as { quarters: unknown[]; series: unknown[] };
    expect(before).toMatchObject({ quarters: [], series: [] });
    expect(await read(withAsOf('/api/commitments', yesterday))).toMatchObject({ items: [], total: 0 });
    // A moment not yet past answers as the ledger stands now.
    expect(await read(withAsOf(READS[3], '2999-01-01'))).toEqual(now[3]);
  });

  it('refuses a malformed asOf with a 400 naming the field', async () => {
    const paths = ['/api/capacity', '/api/capacity/summary', '/api/capacity/top-companies', '/api/commitments', '/api/commitments/export'];
    for (const value of ['soon', '2025-02-30', '2025-13-01', '2025-06-01T25:00Z', '2025-06-01 10:00']) {
      for (const path of paths) {
        const response = await call('GET', withAsOf(path, value));
        expect(response.status, `${path} asOf=${value}`).toBe(400);
        expect(response.body.details.map((detail: { field: string }) => detail.field)).toEqual(['asOf']);
      }
    }
  });
});

describe('GET /api/capacity/drift', () => {
  it("follows a quarter's cumulative total by day over the test's own history, as asOf reads it", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const dayBefore = (date: string, days: number) =>
      new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
    const from = dayBefore(today, 3);
    const drift = (await read(`/api/capacity/drift?quarter=2025-Q3&from=${from}&to=${today}&step=day`)) as {
      quarter: string;
      dates: string[];
      values: number[];
      low: number[];
      high: number[];
    };
    expect(drift.quarter).toBe('2025-Q3');
    expect(drift.dates).toEqual([dayBefore(today, 3), dayBefore(today, 2), dayBefore(today, 1), today]);
    // Every record of this test was written today: nothing stood before, and today ends with the ledger as it is.
    const now = (await read('/api/capacity/summary?to=2025-Q3')) as { total: number; low: number; high: number };
    expect(now.total).toBeGreaterThan(0);
    expect(drift.values).toEqual([0, 0, 0, now.total]);
    expect(drift.low).toEqual([0, 0, 0, now.low]);
    expect(drift.high).toEqual([0, 0, 0, now.high]);

    // Each earlier moment of the history, read by asOf, gives the cumulative total the drift is made of: the
    // hand-computed figures of three moments (H100e, BF16 factor 1 for the H100 SXM; delivery basis up to 2025-Q3).
    const totalAt = async (at: string) => ((await read(withAsOf('/api/capacity/summary?to=2025-Q3', at))) as { total: number }).total;
    const at = (label: string) => moments.find((moment) => moment.label === label)!.at;
    // 10,000 over 2025-Q1..Q4: three quarters of it by Q3.
    expect(await totalAt(at('one record'))).toBeCloseTo(7_500, 6);
    // + Beta's stated 5,000 (2025-Q2) + the hosted 2,000 over 2025-Q2..Q3.
    expect(await totalAt(at('a batch with a hosted record'))).toBeCloseTo(14_500, 6);
    // 12,000 instead of 10,000: 9,000 by Q3.
    expect(await totalAt(at('an edit'))).toBeCloseTo(16_000, 6);
  });

  it('answers by week and by month, ending at the last date', async () => {
    const drift = (await read('/api/capacity/drift?quarter=2026-Q1&from=2025-03-01&to=2025-03-11&step=week')) as {
      dates: string[];
      values: number[];
    };
    expect(drift.dates).toEqual(['2025-03-02', '2025-03-09', '2025-03-11']);
    expect(drift.values).toEqual([0, 0, 0]);
    const monthly = (await read('/api/capacity/drift?quarter=2026-Q1&from=2025-01-15&to=2025-04-10&step=month')) as { dates: string[] };
    expect(monthly.dates).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-10']);
  });

  it('keeps an answer until the next write: its ETag answers If-None-Match with a 304, and a write shows at once', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const path = `/api/capacity/drift?quarter=2027-Q4&from=${yesterday}&to=${today}&step=day`;
    const before = await call('GET', path);
    expect(before.status).toBe(200);
    const etag = before.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await http(app.baseUrl, 'GET', path, { headers: { ...analyst, 'if-none-match': etag } });
    expect(again.status).toBe(304);

    // 3,000 H100 SXM (H100e factor 1) delivered in 2027-Q4, inside the cumulative total up to it.
    const added = (await ok('POST', '/api/commitments', {
      json: {
        companyId: beta,
        acceleratorId: h100,
        quantity: 3_000,
        announcedOn: '2027-01-10',
        deliveryFrom: '2027-Q4',
        deliveryBy: '2027-Q4',
        status: 'confirmed',
        sources: source('Beta adds three thousand H100 for 2027'),
      },
    })) as { id: string };
    const after = await http(app.baseUrl, 'GET', path, { headers: { ...analyst, 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const [dayBefore, now] = before.body.values as number[];
    expect(after.body.values[0]).toBe(dayBefore);
    expect(after.body.values[1]).toBeCloseTo(now + 3_000, 6);
    await ok('DELETE', `/api/commitments/${added.id}`);
    expect(((await read(path)) as { values: number[] }).values[1]).toBeCloseTo(now, 6);
  });

  it('refuses bad parameters with a 400 naming the field', async () => {
    const refusals = [
      ['/api/capacity/drift', 'quarter'],
      ['/api/capacity/drift?quarter=2025-Q5', 'quarter'],
      ['/api/capacity/drift?quarter=2025-Q1&from=2025-02-30', 'from'],
      ['/api/capacity/drift?quarter=2025-Q1&from=2025-03-01&to=2025-02-01', 'from'],
      ['/api/capacity/drift?quarter=2025-Q1&step=hour', 'step'],
      ['/api/capacity/drift?quarter=2025-Q1&from=1990-01-01&to=2025-01-01&step=day', 'step'],
      ['/api/capacity/drift?quarter=2025-Q1&asOf=2025-01-01', 'asOf'],
    ] as const;
    for (const [path, field] of refusals) {
      const response = await call('GET', path);
      expect(response.status, path).toBe(400);
      expect(
        response.body.details.map((detail: { field: string }) => detail.field),
        path,
      ).toEqual([field]);
    }
  });
});
