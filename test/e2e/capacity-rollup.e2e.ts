import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityResponse, CapacitySummaryResponse } from '../../src/contracts/capacity.js';
import {
  type CapacityChip,
  type CapacityLedger,
  type CapacityMeasure,
  type CapacityQuery,
  computeCapacity,
  summarizeCapacity,
} from '../../src/domain/capacity.js';
import { http as plainHttp, startTestApp, type TestApp } from '../support/test-app.js';

/** Every call is an analyst's (roles are tested in auth.e2e.ts). */
let analyst: Record<string, string> = {};
const http = <T = any>(baseUrl: string, method: string, path: string, options: Parameters<typeof plainHttp>[3] = {}) =>
  plainHttp<T>(baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });

/** The rollup sums amounts before the arithmetic divides them, so figures may differ in the last bits, no more. */
const RELATIVE_TOLERANCE = 1e-12;

/** mulberry32: the same sequence of writes on every run. */
function randomSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The capacity arithmetic over every live record read straight from the base tables, as it ran before the rollup. */
async function ledgerFromBaseTables(databaseUrl: string): Promise<CapacityLedger> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const records = (
      await client.query(
        `SELECT c.id, c.company_id AS "companyId", company.name AS "companyName", c.accelerator_id AS "acceleratorId",
           c.accelerator_kind AS "acceleratorKind", c.quantity, c.stated_h100e AS "statedH100e", c.stated_power_mw AS "statedPowerMw",
           to_char(c.announced_on, 'YYYY-MM-DD') AS "announcedOn", c.delivery_from AS "deliveryFrom", c.delivery_by AS "deliveryBy", c.status,
           c.quantity_qualifier AS "quantityQualifier", c.certainty, c.amount_low AS "amountLow", c.amount_high AS "amountHigh"
         FROM commitments c JOIN companies company ON company.id = c.company_id WHERE c.deleted_at IS NULL`,
      )
    ).rows;
    const chips: CapacityChip[] = (
      await client.query(
        `SELECT id, name, vendor, kind, dense_bf16_tflops AS "denseBf16Tflops", dense_fp8_tflops AS "denseFp8Tflops", tdp_watts AS "tdpWatts"
         FROM accelerators`,
      )
    ).rows;
    const revisions = (
      await client.query(
        `SELECT id, supersedes_id AS "supersedesId", deleted_at IS NOT NULL AS deleted FROM commitments WHERE supersedes_id IS NOT NULL`,
      )
    ).rows;
    return { records, chips: new Map(chips.map((chip) => [chip.id, chip])), revisions };
  } finally {
    await client.end();
  }
}

function expectClose(actual: number, expected: number, what: string): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  if (Math.abs(actual - expected) > RELATIVE_TOLERANCE * scale) expect.fail(`${what}: ${actual} ≠ ${expected}`);
}

function expectSameCapacity(answer: CapacityResponse, expected: ReturnType<typeof computeCapacity>, what: string): void {
  expect(answer.quarters, what).toEqual(expected.quarters);
  expect(answer.excluded, what).toEqual(expected.excluded);
  expect(
    answer.series.map(({ key, label }) => ({ key, label })),
    what,
  ).toEqual(expected.series.map(({ key, label }) => ({ key, label })));
  answer.series.forEach((series, index) =>
    series.values.forEach((value, quarter) => {
      expectClose(value, expected.series[index].values[quarter], `${what} ${series.key} ${quarter}`);
      // The range, read from the rollup's sums, is the range the arithmetic gives the records, and holds the value.
      expectClose(series.low[quarter], expected.series[index].low[quarter], `${what} ${series.key} ${quarter} low`);
      expectClose(series.high[quarter], expected.series[index].high[quarter], `${what} ${series.key} ${quarter} high`);
      expect(series.low[quarter], `${what} ${series.key} ${quarter}`).toBeLessThanOrEqual(value);
      expect(series.high[quarter], `${what} ${series.key} ${quarter}`).toBeGreaterThanOrEqual(value);
    }),
  );
  expectClose(answer.total, expected.total, `${what} total`);
  expectClose(answer.low, expected.low, `${what} low`);
  expectClose(answer.high, expected.high, `${what} high`);
  expect(answer.openAbove, what).toBe(expected.openAbove);
}

const QUERIES: { path: string; query: CapacityQuery; kind?: 'gpu' | 'custom' }[] = [
  { path: '', query: { metric: 'h100e', precision: 'bf16', basis: 'delivery', groupBy: 'company', cumulative: false } },
  {
    path: 'groupBy=vendor&metric=units',
    query: { metric: 'units', precision: 'bf16', basis: 'delivery', groupBy: 'vendor', cumulative: false },
  },
  {
    path: 'groupBy=accelerator&metric=power_mw&basis=announced',
    query: { metric: 'power_mw', precision: 'bf16', basis: 'announced', groupBy: 'accelerator', cumulative: false },
  },
  {
    path: 'groupBy=kind&precision=fp8&cumulative=true&from=2024-Q3&to=2025-Q2',
    query: { metric: 'h100e', precision: 'fp8', basis: 'delivery', groupBy: 'kind', cumulative: true, from: '2024-Q3', to: '2025-Q2' },
  },
  {
    path: 'status=rumored,cancelled,announced&top=2',
    query: {
      metric: 'h100e',
      precision: 'bf16',
      basis: 'delivery',
      groupBy: 'company',
      cumulative: false,
      statuses: ['rumored', 'cancelled', 'announced'],
      top: 2,
    },
  },
  {
    path: 'kind=custom&groupBy=accelerator&from=2025-Q1',
    query: { metric: 'h100e', precision: 'bf16', basis: 'delivery', groupBy: 'accelerator', cumulative: false, from: '2025-Q1' },
    kind: 'custom',
  },
];

const SUMMARIES: { path: string; measure: CapacityMeasure }[] = [
  { path: 'metric=units&from=2024-Q2', measure: { metric: 'units', precision: 'bf16', basis: 'delivery', from: '2024-Q2' } },
  {
    path: 'metric=h100e&from=2024-Q3&to=2025-Q1',
    measure: { metric: 'h100e', precision: 'bf16', basis: 'delivery', from: '2024-Q3', to: '2025-Q1' },
  },
  {
    path: 'metric=power_mw&basis=announced&to=2024-Q2',
    measure: { metric: 'power_mw', precision: 'bf16', basis: 'announced', to: '2024-Q2' },
  },
];

describe('capacity rollup', () => {
  let testApp: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    analyst = await testApp.as('analyst');
    baseUrl = testApp.baseUrl;
  });

  afterAll(() => testApp.close());

  async function expectAnswersFromBaseTables(step: string): Promise<void> {
    const ledger = await ledgerFromBaseTables(testApp.databaseUrl);
    for (const { path, query, kind } of QUERIES) {
      const response = await http<CapacityResponse>(baseUrl, 'GET', `/api/capacity?${path}`);
      expect(response.status).toBe(200);
      const filtered = kind ? { ...ledger, records: ledger.records.filter((record) => record.acceleratorKind === kind) } : ledger;
      expectSameCapacity(response.body, computeCapacity(filtered, query), `${step}: /api/capacity?${path}`);
    }
    for (const { path, measure } of SUMMARIES) {
      const summary = await http<CapacitySummaryResponse>(baseUrl, 'GET', `/api/capacity/summary?${path}`);
      const figures = summarizeCapacity(ledger, measure);
      const what = `${step}: /api/capacity/summary?${path}`;
      expect(summary.body.recordsCounted, what).toBe(figures.records);
      expect(summary.body.companies, what).toBe(figures.companies);
      expect(summary.body.excluded, what).toEqual(figures.excluded);
      expect(summary.body.latestAnnouncedOn, what).toBe(figures.latestAnnouncedOn);
      expectClose(summary.body.total, figures.total, `${what} total`);
      expectClose(summary.body.low, figures.low, `${what} low`);
      expectClose(summary.body.high, figures.high, `${what} high`);
      expect(summary.body.openAbove, what).toBe(figures.openAbove);
    }
  }

  it('answers as the arithmetic over the base tables after every write of a random sequence', async () => {
    const next = randomSequence(8);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const companies: string[] = [];
    for (const name of ['Alpha Compute', 'Beta Labs', 'Gamma Cloud']) {
      companies.push((await http(baseUrl, 'POST', '/api/companies', { json: { name, kind: 'neocloud' } })).body.id);
    }
    const chips: { id: string; name: string }[] = (await http(baseUrl, 'GET', '/api/accelerators')).body;
    const chipChoices = [...chips.filter((chip) => ['H100 SXM', 'MI300X', 'TPU v7', 'Trainium2', 'B200'].includes(chip.name)), null];
    const quarter = () => `${2024 + Math.floor(next() * 2)}-Q${1 + Math.floor(next() * 4)}`;
    const amounts = () => {
      const roll = next();
      if (roll < 0.15) return { quantity: null };
      if (roll < 0.25) return { quantity: null, statedH100e: 1000 + Math.floor(next() * 9000) / 7 };
      if (roll < 0.3) return { quantity: 500, statedPowerMw: 12.5 };
      return { quantity: 1000 + Math.floor(next() * 100_000) };
    };
    /** How sure: a qualifier, a certainty, and bounds around the primary amount (quantity, else the stated figure). */
    const certainty = (amount: { quantity: number | null; statedH100e?: number }) => {
      const primary = amount.quantity ?? amount.statedH100e ?? null;
      const bounds =
        primary === null || next() < 0.6
          ? {}
          : next() < 0.5
            ? { amountLow: primary * 0.75 }
            : { amountLow: primary / 3, amountHigh: primary * 1.4 };
      return {
        ...(amount.quantity === null ? {} : { quantityQualifier: pick(['exact', 'approximate', 'at_least', 'up_to']) }),
        certainty: pick(['confirmed', 'likely', 'speculative']),
        ...bounds,
      };
    };
    const live: { id: string; version: number; companyId: string }[] = [];
    const create = async (extra: object = {}) => {
      const chip = pick(chipChoices);
      const from = quarter();
      const response = await http(baseUrl, 'POST', '/api/commitments', {
        json: {
          companyId: pick(companies),
          ...(chip ? { acceleratorId: chip.id } : { acceleratorKind: next() < 0.5 ? 'gpu' : 'custom' }),
          ...((amount) => ({ ...amount, ...certainty(amount) }))(amounts()),
          announcedOn: `2024-0${1 + Math.floor(next() * 9)}-15`,
          ...(next() < 0.7 ? { deliveryFrom: from, deliveryBy: from.replace(/^2024/, '2025') } : {}),
          status: pick(['announced', 'confirmed', 'delivered', 'rumored', 'cancelled']),
          sources: [{ title: 'Synthetic announcement' }],
          ...extra,
        },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      live.push({ id: response.body.id, version: response.body.version, companyId: response.body.companyId });
      return response.body;
    };

    for (let index = 0; index < 8; index++) await create();
    await expectAnswersFromBaseTables('after the first records');

    const writes: Record<string, () => Promise<string>> = {
      create: async () => (await create(), 'create'),
      quantity: async () => patch({ quantity: 1 + Math.floor(next() * 50_000), amountLow: null, amountHigh: null }, 'quantity'),
      range: async () => {
        const record = pick(live);
        const current = (await http(baseUrl, 'GET', `/api/commitments/${record.id}`)).body;
        const primary = current.quantity ?? current.statedH100e ?? current.statedPowerMw;
        if (primary === null) return 'range (skipped: no amount)';
        return patch({ amountHigh: primary * 2, quantityQualifier: current.quantity === null ? null : 'at_least' }, 'range', record);
      },
      window: async () => {
        const from = quarter();
        return patch({ deliveryFrom: from, deliveryBy: from }, 'window');
      },
      chip: async () => {
        const chip = pick(chipChoices);
        return patch(chip ? { acceleratorId: chip.id } : { acceleratorId: null, acceleratorKind: 'custom' }, 'chip');
      },
      status: async () => patch({ status: pick(['announced', 'confirmed', 'delivered', 'rumored', 'cancelled']) }, 'status'),
      company: async () => {
        // Only a record that neither revises nor is revised may move, as a revision stays within one company.
        const record = live[Math.floor(next() * live.length)];
        const current = (await http(baseUrl, 'GET', `/api/commitments/${record.id}`)).body;
        if (current.supersedesId || current.supersededById) return 'company (skipped: part of a chain)';
        return patch({ companyId: pick(companies) }, 'company', record);
      },
      delete: async () => {
        const index = Math.floor(next() * live.length);
        const [record] = live.splice(index, 1);
        expect((await http(baseUrl, 'DELETE', `/api/commitments/${record.id}`)).status).toBe(204);
        return 'delete';
      },
      supersede: async () => {
        const target = pick(live);
        const current = (await http(baseUrl, 'GET', `/api/commitments/${target.id}`)).body;
        if (current.supersededById) return 'supersede (skipped: already revised)';
        await create({ companyId: target.companyId, supersedesId: target.id });
        return 'supersede';
      },
      chipSpec: async () => {
        const chip = pick(chipChoices.filter((choice) => choice !== null));
        const current = (await http(baseUrl, 'GET', `/api/accelerators/${chip!.id}`)).body;
        const denseBf16Tflops =
          current.denseBf16Tflops === null ? 1000 + Math.floor(next() * 2000) : next() < 0.3 ? null : current.denseBf16Tflops * 1.1;
        const response = await http(baseUrl, 'PATCH', `/api/accelerators/${chip!.id}`, {
          json: { denseBf16Tflops, version: current.version },
        });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        return 'chip spec';
      },
    };
    async function patch(changes: object, what: string, record = pick(live)): Promise<string> {
      const response = await http(baseUrl, 'PATCH', `/api/commitments/${record.id}`, { json: { ...changes, version: record.version } });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      record.version = response.body.version;
      record.companyId = response.body.companyId;
      return what;
    }

    const kinds = Object.keys(writes);
    for (let step = 0; step < 36; step++) {
      const what = await writes[live.length < 3 ? 'create' : pick(kinds)]();
      await expectAnswersFromBaseTables(`step ${step} (${what})`);
    }
  });

  it('answers 304 to the ETag of an unchanged answer and a new answer after a write', async () => {
    const first = await http<CapacityResponse>(baseUrl, 'GET', '/api/capacity?groupBy=kind');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');

    const unchanged = await http(baseUrl, 'GET', '/api/capacity?groupBy=kind', { headers: { 'if-none-match': etag! } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBeNull();
    // The same query written differently is the same answer.
    const reordered = await http(baseUrl, 'GET', '/api/capacity?basis=delivery&groupBy=kind&metric=h100e', {
      headers: { 'if-none-match': etag! },
    });
    expect(reordered.status).toBe(304);

    const company = (await http(baseUrl, 'POST', '/api/companies', { json: { name: 'Delta Systems', kind: 'ai_lab' } })).body;
    // A chip of this test's own: the random writes above changed the catalog's specs.
    const chip = (
      await http(baseUrl, 'POST', '/api/accelerators', { json: { name: 'Test H100', vendor: 'Nvidia', kind: 'gpu', denseBf16Tflops: 989 } })
    ).body;
    const created = await http(baseUrl, 'POST', '/api/commitments', {
      json: {
        companyId: company.id,
        acceleratorId: chip.id,
        quantity: 4000,
        announcedOn: '2031-02-01',
        status: 'confirmed',
        sources: [{ title: 'Delta buys 4,000 H100' }],
      },
    });
    expect(created.status).toBe(201);

    const changed = await http<CapacityResponse>(baseUrl, 'GET', '/api/capacity?groupBy=kind', { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.body.quarters.at(-1)).toBe('2031-Q1');
    // 4,000 chips at 989 dense BF16 TFLOP/s in 2031-Q1 are 4,000 H100e, the only amount in that quarter.
    expect(changed.body.series.find((series) => series.key === 'gpu')!.values.at(-1)).toBe(4000);

    // A company's new name reaches the cached answers.
    const before = await http<CapacityResponse>(baseUrl, 'GET', '/api/capacity?from=2031-Q1');
    expect(before.body.series).toEqual([{ key: company.id, label: 'Delta Systems', values: [4000], low: [4000], high: [4000] }]);
    const renamed = await http(baseUrl, 'PATCH', `/api/companies/${company.id}`, {
      json: { name: 'Delta Compute', version: company.version },
    });
    expect(renamed.status).toBe(200);
    const after = await http<CapacityResponse>(baseUrl, 'GET', '/api/capacity?from=2031-Q1', {
      headers: { 'if-none-match': before.headers.get('etag')! },
    });
    expect(after.status).toBe(200);
    expect(after.body.series).toEqual([{ key: company.id, label: 'Delta Compute', values: [4000], low: [4000], high: [4000] }]);

    // A chip spec change reaches them too: at 1,978 dense BF16 TFLOP/s the chip counts twice (1,978 ÷ 989 = 2).
    const specs = await http(baseUrl, 'PATCH', `/api/accelerators/${chip.id}`, { json: { denseBf16Tflops: 1978, version: chip.version } });
    expect(specs.status).toBe(200);
    const doubled = await http<CapacityResponse>(baseUrl, 'GET', '/api/capacity?from=2031-Q1');
    expect(doubled.body.series).toEqual([{ key: company.id, label: 'Delta Compute', values: [8000], low: [8000], high: [8000] }]);
  });
});
