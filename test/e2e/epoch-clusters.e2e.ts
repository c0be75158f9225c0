import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../src/common/csv-table.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/epoch/${name}`, import.meta.url), 'utf8');
const SMALL = fixture('gpu_clusters_small.csv');
const SAMPLE = fixture('gpu_clusters_sample.csv');
const HARDWARE = fixture('ml_hardware.csv');
const CREDIT = 'Epoch AI, "Data on GPU Clusters", epoch.ai/data/gpu-clusters (CC BY 4.0)';
const PUBLISHED_ON = '2025-12-10';
/** The newer file of the small set: two rows changed. */
const NEWER_EDITS = {
  'Alpha Campus Phase 2': { 'Chip quantity (primary)': '32000.0', 'H100 equivalents': '32000.0' },
  'Delta Custom': { 'H100 equivalents': '1500.0' },
};

let testApp: TestApp;
let analyst: Record<string, string>;
const call = (method: string, path: string, options: Parameters<typeof http>[3] = {}) =>
  http(testApp.baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });
const importClusters = (csv: string, dryRun = false, headers: Record<string, string> = {}) =>
  call('POST', `/api/imports/epoch-clusters?dryRun=${dryRun}&publishedOn=${PUBLISHED_ON}`, { text: csv, contentType: 'text/csv', headers });

/** Every live record, by key. */
async function records(): Promise<Map<string, Record<string, any>>> {
  const all: Record<string, any>[] = [];
  for (let page = 1; ; page++) {
    const { body } = await call('GET', `/api/commitments?limit=200&page=${page}&sort=announcedOn`);
    all.push(...body.items);
    if (all.length >= body.total) break;
  }
  return new Map(all.map((record) => [record.key ?? record.id, record]));
}
const companyId = async (name: string) =>
  ((await call('GET', '/api/companies')).body as { id: string; name: string }[]).find((company) => company.name === name)!.id;
const maxH100e = async (company: string) =>
  (await call('GET', `/api/capacity?precision=max&companyId=${await companyId(company)}`)).body.total as number;

/** A copy of a file with cells changed: by the row's Name, column → new cell. */
function changed(csv: string, edits: Record<string, Record<string, string>>): string {
  const { header, rows } = readCsvTable(csv);
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = rows.map((row) => header.map((column) => quote(edits[row.cells.Name]?.[column] ?? row.cells[column] ?? '')).join(','));
  return [header.map(quote).join(','), ...lines].join('\n') + '\n';
}

beforeAll(async () => {
  testApp = await startTestApp();
  analyst = await testApp.as('analyst');
});
afterAll(() => testApp.close());

describe("importing a small file in the shape of Epoch AI's GPU Clusters data set", () => {
  it('previews on a dry run: every row imported or reported by line, nothing written', async () => {
    const response = await importClusters(SMALL, true);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // Seven rows; "Broken Row" (line 9: Beta's note holds a line break) has a status Epoch does not use. The six
    // others give seven records: Gamma Mixed names a secondary chip type.
    expect(response.body).toMatchObject({
      rows: 7,
      valid: 6,
      records: 7,
      created: 7,
      updated: 0,
      unchanged: 0,
      errors: [{ line: 9, field: 'Status', message: 'must be Existing, Planned or Decommissioned', value: 'Rumoured' }],
      credit: CREDIT,
    });
    // Delta's chip is not in the catalog; a warning, and the record counts Epoch's figure.
    expect(response.body.warnings).toContainEqual({
      line: 8,
      field: 'Chip type (primary)',
      message: 'not in the chip catalog: the record has no chip',
      value: 'Delta Accelerator X',
    });
    expect((await records()).size).toBe(0);
  });

  it('imports the rows that map, with their companies, chips, dates, sources and supersession', async () => {
    const response = await importClusters(SMALL);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ rows: 7, valid: 6, records: 7, created: 7, updated: 0, unchanged: 0 });
    const stored = await records();
    expect([...stored.keys()].sort()).toEqual([
      'epoch:Alpha Campus Phase 1',
      'epoch:Alpha Campus Phase 2',
      'epoch:Beta Lab Tenant',
      'epoch:Delta Custom',
      'epoch:Epsilon Cloud Fleet',
      'epoch:Gamma Mixed',
      'epoch:Gamma Mixed#2',
    ]);
    const alpha1 = stored.get('epoch:Alpha Campus Phase 1')!;
    const alpha2 = stored.get('epoch:Alpha Campus Phase 2')!;
    // "Superseded by": Phase 2 supersedes Phase 1.
    expect(alpha2.supersedesId).toBe(alpha1.id);
    expect(alpha2).toMatchObject({
      quantity: 30_000,
      quantityQualifier: 'exact',
      status: 'delivered',
      certainty: 'likely',
      announcedOn: '2025-03-15',
      deliveryFrom: '2025-Q1',
      deliveryBy: '2025-Q1',
      statedH100e: null,
    });
    expect(alpha2.sources.map((source: any) => [source.url, source.publisher])).toEqual([
      ['https://www.example.org/alpha-2', 'example.org'],
      ['https://web.archive.org/web/20250101000000/https://news.example.net/alpha', 'news.example.net'],
    ]);
    expect(alpha1.sources[0]).toMatchObject({ url: 'https://example.com/alpha-1', quote: '10k H100s are live' });
    // Planned H2 2026, announced on the file's date; the note and the credit in the notes.
    expect(stored.get('epoch:Beta Lab Tenant')).toMatchObject({
      status: 'announced',
      announcedOn: PUBLISHED_ON,
      deliveryFrom: '2026-Q3',
      deliveryBy: '2026-Q4',
      notes: `From ${CREDIT}, row "Beta Lab Tenant".\n\nA tenant's share of the Epsilon fleet,\nreserved for two years`,
    });
    // No owner: the first user is the company. Unlikely: speculative.
    const gamma = stored.get('epoch:Gamma Mixed')!;
    expect(gamma).toMatchObject({ quantity: 1000, certainty: 'speculative', deliveryFrom: '2026-Q3', deliveryBy: '2026-Q3' });
    expect(stored.get('epoch:Gamma Mixed#2')).toMatchObject({ quantity: 2000, companyId: gamma.companyId });
    // A row citing no source cites the data set.
    expect(gamma.sources).toEqual([
      {
        url: 'https://epoch.ai/data/gpu-clusters',
        title: 'Data on GPU Clusters',
        publisher: 'Epoch AI',
        publishedOn: PUBLISHED_ON,
        language: 'en',
        quote: null,
      },
    ]);
    // Neither owner nor user; a chip the catalog lacks: Epoch's figure stated. A source that is not an address: a title.
    expect(stored.get('epoch:Delta Custom')).toMatchObject({
      companyId: await companyId('Undisclosed owner'),
      acceleratorId: null,
      acceleratorKind: 'gpu',
      quantity: 800,
      statedH100e: 1200,
      sources: [{ url: null, title: 'Delta press release', publisher: null }],
    });
  });

  it('counts with precision=max the H100e Epoch publishes (hand-checked)', async () => {
    // H100 SXM: max(989, 1979) ÷ 1979 = 1 a chip; Phase 1 is superseded by Phase 2: 30,000.
    expect(await maxH100e('Alpha Cloud')).toBe(30_000);
    expect(await maxH100e('Epsilon Cloud')).toBe(50_000);
    // GB200 at 5,000 FP8 TFLOP/s: 1,000 × 5000 ÷ 1979 = 2,526.5285…, plus 2,000 H100s; Epoch's 4,526.5285….
    expect(await maxH100e('Gamma AI')).toBeCloseTo(1000 * (5000 / 1979) + 2000, 6);
    expect(Math.abs((await maxH100e('Gamma AI')) / 4526.528549772 - 1)).toBeLessThan(0.005);
    expect(await maxH100e('Undisclosed owner')).toBe(1200);
  });

  it("exports Epoch's records with its credit in their notes", async () => {
    const exported = await call('GET', '/api/commitments/export?format=csv&q=Gamma');
    expect(exported.status).toBe(200);
    const { rows } = readCsvTable(exported.body as string);
    expect(rows.map((row) => [row.cells.key, row.cells.notes])).toEqual([
      ['epoch:Gamma Mixed', `From ${CREDIT}, row "Gamma Mixed".`],
      ['epoch:Gamma Mixed#2', `From ${CREDIT}, row "Gamma Mixed".`],
    ]);
  });

  it("finds every Epoch record by its credit, as the dashboard asks, and exports each one's credit in JSON", async () => {
    const all = await records();
    expect(all.size).toBe(7);
    const found = await call('GET', `/api/commitments?limit=1&q=${encodeURIComponent(CREDIT)}`);
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(7);
    const exported = await call('GET', `/api/commitments/export?format=json&q=${encodeURIComponent(CREDIT)}`);
    expect(exported.status).toBe(200);
    const items = exported.body as { key: string; notes: string }[];
    expect(items.map((item) => item.key).sort()).toEqual([...all.keys()].sort());
    for (const item of items) expect(item.notes.startsWith(`From ${CREDIT}, row "`), item.key).toBe(true);
  });

  it('changes nothing on a second import of the same file', async () => {
    const before = await records();
    const response = await importClusters(SMALL);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ rows: 7, valid: 6, records: 7, created: 0, updated: 0, unchanged: 7 });
    const after = await records();
    expect([...after.values()].map((record) => [record.key, record.version])).toEqual(
      [...before.values()].map((record) => [record.key, record.version]),
    );
  });

  it("updates exactly the changed rows of a newer file, audited as an import, and leaves analysts' records alone", async () => {
    const own = await call('POST', '/api/commitments', {
      json: {
        key: 'analyst-alpha-extra',
        companyId: await companyId('Alpha Cloud'),
        acceleratorKind: 'gpu',
        quantity: 700,
        statedH100e: 700,
        announcedOn: '2025-06-01',
        deliveryBy: '2025-Q4',
        status: 'announced',
        sources: [{ title: 'An analyst note' }],
      },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const before = await records();
    const response = await importClusters(changed(SMALL, NEWER_EDITS));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ rows: 7, valid: 6, records: 7, created: 0, updated: 2, unchanged: 5 });
    const after = await records();
    const bumped = [...after.values()].filter((record) => record.version !== before.get(record.key ?? record.id)!.version);
    expect(bumped.map((record) => record.key).sort()).toEqual(['epoch:Alpha Campus Phase 2', 'epoch:Delta Custom']);
    expect(after.get('analyst-alpha-extra')).toEqual(before.get('analyst-alpha-extra'));
    expect(await maxH100e('Alpha Cloud')).toBe(32_000 + 700);
    expect(await maxH100e('Undisclosed owner')).toBe(1500);
    const audit = await call('GET', `/api/audit?entityId=${after.get('epoch:Delta Custom')!.id}`, { headers: await testApp.as('admin') });
    expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    expect(audit.body.items.map((entry: any) => entry.action)).toEqual(['import', 'import']);
  });

  it('refuses what is not the data set with a 4xx naming the columns, never a 5xx', async () => {
    const wrong = await importClusters('key,company\nx,Meta\n');
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain('Name');
    const notCsv = await call('POST', '/api/imports/epoch-clusters', { json: { Name: 'x' } });
    expect(notCsv.status).toBe(415);
    const badDate = await call('POST', '/api/imports/epoch-clusters?publishedOn=2025-13-01', { text: SMALL, contentType: 'text/csv' });
    expect(badDate.status).toBe(400);
    expect(JSON.stringify(badDate.body)).toContain('publishedOn');
    const viewer = await testApp.as('viewer');
    expect((await importClusters(SMALL, true, viewer)).status).toBe(403);
  });
});

describe("the wholes and parts analysts make of Epoch's records", () => {
  it("keep over the file's links, which are dropped with a warning instead of failing the import", async () => {
    const stored = await records();
    const id = (key: string) => stored.get(key)!.id as string;
    const patch = async (key: string, body: Record<string, unknown>) => {
      const record = (await call('GET', `/api/commitments/${id(key)}`)).body;
      const response = await call('PATCH', `/api/commitments/${record.id}`, { json: { ...body, version: record.version } });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };
    const create = async (key: string, company: string, h100e: number, extra: Record<string, unknown> = {}) => {
      const response = await call('POST', '/api/commitments', {
        json: {
          key,
          companyId: await companyId(company),
          acceleratorKind: 'gpu',
          quantity: h100e,
          statedH100e: h100e,
          announcedOn: '2025-06-01',
          deliveryBy: '2025-Q4',
          status: 'announced',
          sources: [{ title: 'An analyst note' }],
          ...extra,
        },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body as { id: string };
    };
    // An analyst splits Delta Custom (operational 2023-11-20): 300 of its H100e are used by Alpha Cloud.
    await create('analyst-delta-share', 'Alpha Cloud', 300, {
      partOfId: id('epoch:Delta Custom'),
      announcedOn: '2023-11-01',
      deliveryFrom: '2023-Q4',
      deliveryBy: '2023-Q4',
    });
    // Another makes Gamma Mixed a part of a campus of their own, and Epsilon's fleet a part of a region (after
    // releasing Beta's tenancy, which the file gives as a part of that fleet).
    const campus = await create('analyst-gamma-campus', 'Gamma AI', 5000, { deliveryBy: '2026-Q4' });
    await patch('epoch:Gamma Mixed', { partOfId: campus.id });
    await patch('epoch:Beta Lab Tenant', { partOfId: null });
    const region = await create('analyst-epsilon-region', 'Epsilon Cloud', 60_000, { deliveryBy: '2025-Q1' });
    await patch('epoch:Epsilon Cloud Fleet', { partOfId: region.id });
    const before = await records();

    // The newer file makes Delta Custom a duplicate of Alpha's second phase, and decommissions it.
    const newer = changed(changed(SMALL, NEWER_EDITS), {
      'Delta Custom': { 'Possible Duplicate Of': 'Alpha Campus Phase 2', Status: 'Decommissioned' },
    });
    for (let run = 0; run < 2; run++) {
      const response = await importClusters(newer);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({ rows: 7, valid: 6, records: 7, created: 0, updated: 0, unchanged: 7 });
      expect(response.body.warnings).toEqual(
        expect.arrayContaining([
          {
            line: 5,
            field: 'Possible Duplicate Of',
            message: 'epoch:Beta Lab Tenant is not linked: epoch:Epsilon Cloud Fleet is itself a part of analyst-epsilon-region',
            value: 'epoch:Epsilon Cloud Fleet',
          },
          {
            line: 8,
            field: 'Possible Duplicate Of',
            message: "epoch:Delta Custom stays a whole: an analyst's record is a part of it",
            value: 'epoch:Alpha Campus Phase 2',
          },
          {
            line: 8,
            field: 'Status',
            message: "epoch:Delta Custom stays delivered while an analyst's record is a part of it",
            value: 'Decommissioned',
          },
        ]),
      );
    }
    const after = await records();
    expect([...after.values()].map((record) => [record.key, record.version, record.partOfId, record.status])).toEqual(
      [...before.values()].map((record) => [record.key, record.version, record.partOfId, record.status]),
    );
    expect(after.get('epoch:Gamma Mixed')!.partOfId).toBe(campus.id);
    expect(after.get('epoch:Epsilon Cloud Fleet')!.partOfId).toBe(region.id);
    expect(after.get('epoch:Beta Lab Tenant')!.partOfId).toBeNull();
    expect(after.get('epoch:Delta Custom')).toMatchObject({ partOfId: null, status: 'delivered' });
    // Users: Delta's 1,500 less its part's 300 in 2023-Q4 stay with its owner; Alpha Cloud counts 32,000 + 700 + 300.
    expect(await maxH100e('Undisclosed owner')).toBe(1200);
    expect(await maxH100e('Alpha Cloud')).toBe(33_000);
  });
});

describe("the sample of Epoch AI's GPU Clusters file, after its hardware list", () => {
  beforeAll(async () => {
    await testApp.close();
    testApp = await startTestApp();
    analyst = await testApp.as('analyst');
    const hardware = await call('POST', '/api/accelerators/import/epoch', { text: HARDWARE, contentType: 'text/csv' });
    expect(hardware.status, JSON.stringify(hardware.body)).toBe(200);
  });

  it('imports every row, with the H100e Epoch gives within 0.5 % where Epoch computes it from chips', async () => {
    const response = await importClusters(SAMPLE);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ rows: 72, valid: 72, records: 83, created: 83, updated: 0, unchanged: 0, errors: [] });

    const stored = await records();
    const factors = new Map(
      ((await call('GET', '/api/accelerators')).body as any[]).map((chip) => [chip.id, chip.h100eFactors.max as number | null]),
    );
    const h100eOf = (record: Record<string, any>) =>
      record.statedH100e ?? (record.acceleratorId && record.quantity ? record.quantity * factors.get(record.acceleratorId)! : null);
    const { rows } = readCsvTable(SAMPLE);
    const keys = new Map<string, number>();
    const outside: string[] = [];
    let compared = 0;
    for (const row of rows) {
      const seen = (keys.get(row.cells.Name) ?? 0) + 1;
      keys.set(row.cells.Name, seen);
      const key = seen === 1 ? `epoch:${row.cells.Name}` : `epoch:${row.cells.Name} [${seen}]`;
      const own = [stored.get(key), stored.get(`${key}#2`)].filter((record) => record !== undefined);
      expect(own.length, key).toBeGreaterThan(0);
      const epoch = Number(row.cells['H100 equivalents']);
      if (!row.cells['H100 equivalents'] || own.some((record) => record.statedH100e !== null)) continue;
      compared++;
      const ours = own.reduce((sum, record) => sum + (h100eOf(record) ?? 0), 0);
      if (Math.abs(ours / epoch - 1) > 0.005) outside.push(row.cells.Name);
    }
    // docs/decisions/epoch-interop.md says why these five differ: Epoch's own figure is not its four dense rates.
    expect(compared).toBe(51);
    expect(outside.sort()).toEqual([
      'AIST ABCI 2.0',
      'Eni HPC4 Phase 2',
      'Jean Zay Supercomputer Phase 3',
      'Project Rainier',
      'xAI Colossus 2 Memphis Phase 2',
    ]);
  });

  it('holds the supersession links the file gives', async () => {
    const stored = await records();
    const supersededBy = (key: string) => [...stored.values()].find((record) => record.supersedesId === stored.get(key)!.id)?.key ?? null;
    expect(supersededBy('epoch:xAI Colossus Memphis Phase 1')).toBe('epoch:xAI Colossus Memphis Phase 2');
    expect(supersededBy('epoch:xAI Colossus Memphis Phase 2')).toBe('epoch:xAI Colossus Memphis Phase 3');
    expect(supersededBy('epoch:AIST ABCI 1.0')).toBe('epoch:AIST ABCI 2.0#2');
    expect(supersededBy('epoch:AIST ABCI 2.0')).toBe('epoch:AIST ABCI 3.0');
    expect(supersededBy('epoch:Sesterce H100s Phase 1')).toBe('epoch:Sesterce H100s Phase 2');
  });

  it('holds the part-of links the file gives ("Possible Duplicate Of")', async () => {
    const stored = await records();
    const wholeOf = (key: string) => {
      const whole = stored.get(key)!.partOfId;
      return whole === null ? null : [...stored.values()].find((record) => record.id === whole)!.key;
    };
    expect(wholeOf('epoch:Paper on Movie Gen')).toBe('epoch:Meta GenAI 2024a');
    expect(wholeOf('epoch:Paper on Gopher')).toBe('epoch:Google MLPerf 0.7 Submission');
    expect(wholeOf('epoch:Paper on ViT')).toBe('epoch:Google MLPerf 0.7 Submission');
    expect(wholeOf('epoch:Paper on SAM')).toBe('epoch:Meta Research SuperCluster (RSC-1) Phase 1');
    expect(wholeOf('epoch:Paper on ViT-22B')).toBe('epoch:Google Oklahoma TPU v4 Pods');
    expect(wholeOf('epoch:Paper on PaLI')).toBe('epoch:Google Oklahoma TPU v4 Pods');
    expect(wholeOf('epoch:Meta GenAI 2024a')).toBeNull();
    // Ten rows of the sample name a whole; each of their records is a part, and nothing else is.
    expect([...stored.values()].filter((record) => record.partOfId !== null)).toHaveLength(10);
  });

  it("gives each site its country's ISO code, and counts by it", async () => {
    const stored = await records();
    expect(stored.get('epoch:Naver DGX Superpod')!.siteCountry).toBe('KR');
    expect(stored.get('epoch:Alps Supercomputer Phase 2')!.siteCountry).toBe('CH');
    expect(stored.get('epoch:FPT AI Factory Vietnam')!.siteCountry).toBe('VN');
    expect(stored.get('epoch:Paper on Movie Gen')!.siteCountry).toBeNull();
    const countries = new Set([...stored.values()].map((record) => record.siteCountry));
    expect([...countries].sort()).toEqual(['AU', 'CH', 'CN', 'FR', 'IN', 'IT', 'JP', 'KR', 'NL', 'SE', 'US', 'VN', null].sort());
    const byCountry = await call('GET', '/api/capacity?precision=max&groupBy=country');
    expect(byCountry.status, JSON.stringify(byCountry.body)).toBe(200);
    const totalOf = (key: string) =>
      (byCountry.body.series as { key: string; values: number[] }[])
        .find((series) => series.key === key)!
        .values.reduce((sum, value) => sum + value, 0);
    // Alps Phase 2's 10,752 GH200s supersede Phase 1's 6,400 (one H100e a chip at FP8); FPT's 3,000 H100s (its H200s
    // give no quantity).
    expect(totalOf('CH')).toBeCloseTo(10_752, 6);
    expect(totalOf('VN')).toBeCloseTo(3000, 6);
  });

  it('creates and changes nothing on a second import; a changed file updates exactly its changed rows', async () => {
    const again = await importClusters(SAMPLE);
    expect(again.body).toMatchObject({ rows: 72, valid: 72, records: 83, created: 0, updated: 0, unchanged: 83 });
    const before = await records();
    const newer = changed(SAMPLE, {
      'xAI Colossus Memphis Phase 3': { 'Chip quantity (primary)': '160000.0' },
      'Project Rainier': { Certainty: 'Confirmed' },
    });
    const response = await importClusters(newer);
    expect(response.body).toMatchObject({ rows: 72, valid: 72, records: 83, created: 0, updated: 2, unchanged: 81 });
    const after = await records();
    const bumped = [...after.values()].filter((record) => record.version !== before.get(record.key)!.version).map((record) => record.key);
    expect(bumped.sort()).toEqual(['epoch:Project Rainier', 'epoch:xAI Colossus Memphis Phase 3']);
  });

  it("takes a file of the whole data set's size (786 rows) in one import, every row imported or reported", async () => {
    // Ten copies of the sample and most of an eleventh, each copy's names (and the names its links give) its own.
    const { header, rows } = readCsvTable(SAMPLE);
    const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
    const named = (cell: string, copy: number) =>
      cell
        .split(',')
        .map((name) => (name.trim() ? `${name.trim()} (copy ${copy})` : name))
        .join(',');
    const lines: string[] = [];
    for (let copy = 1; lines.length < 786; copy++) {
      for (const row of rows) {
        if (lines.length === 786) break;
        const cells = { ...row.cells };
        for (const column of ['Name', 'Superseded by', 'Possible Duplicate Of']) cells[column] = named(cells[column] ?? '', copy);
        lines.push(header.map((column) => quote(cells[column] ?? '')).join(','));
      }
    }
    const whole = [header.map(quote).join(','), ...lines].join('\n') + '\n';
    const response = await importClusters(whole);
    expect(response.status, JSON.stringify(response.body).slice(0, 2000)).toBe(200);
    const { records } = response.body;
    // 83 records a copy of 72 rows; the eleventh copy's first 66 rows give 77 (all eleven secondary chip types are among them).
    expect(response.body).toMatchObject({ rows: 786, valid: 786, errors: [], created: records, updated: 0, unchanged: 0 });
    expect(records).toBe(10 * 83 + 77);
    const again = await importClusters(whole);
    expect(again.body).toMatchObject({ rows: 786, valid: 786, created: 0, updated: 0, unchanged: records });
  });
});
