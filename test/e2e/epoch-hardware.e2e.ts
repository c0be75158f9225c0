import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const HARDWARE = readFileSync(new URL('../fixtures/epoch/ml_hardware.csv', import.meta.url), 'utf8');
const CREDIT = 'Epoch AI, "Data on Machine Learning Hardware", epoch.ai/data/machine-learning-hardware (CC BY 4.0)';

/** The header of Epoch's list, and rows of it written for a test: name, manufacturer, type, notes, then figures by column. */
const HEADER = HARDWARE.slice(0, HARDWARE.indexOf('\n'));
const COLUMNS = HEADER.split(',');
function epochRow(cells: Record<string, string>): string {
  return COLUMNS.map((column) => {
    const value = cells[column] ?? '';
    return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }).join(',');
}

let testApp: TestApp;
let analyst: Record<string, string>;
const call = (method: string, path: string, options: Parameters<typeof http>[3] = {}) =>
  http(testApp.baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });
const importEpoch = (csv: string, dryRun = false, headers: Record<string, string> = {}) =>
  call('POST', `/api/accelerators/import/epoch?dryRun=${dryRun}`, { text: csv, contentType: 'text/csv', headers });
const chips = async () => (await call('GET', '/api/accelerators')).body as Record<string, any>[];
const chipNamed = async (name: string) => (await chips()).find((chip) => chip.name === name)!;

beforeAll(async () => {
  testApp = await startTestApp({ demoData: true });
  analyst = await testApp.as('analyst');
});
afterAll(() => testApp.close());

describe("importing Epoch AI's hardware list", () => {
  it('previews the whole list on a dry run, writing nothing', async () => {
    const before = await chips();
    const response = await importEpoch(HARDWARE, true);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // 170 chips: the 18 of the demo catalog that Epoch lists (all but MI450) updated, 152 created.
    expect(response.body).toEqual({ rows: 170, valid: 170, created: 152, updated: 18, unchanged: 0, errors: [] });
    expect(await chips()).toEqual(before);
  });

  it('creates and updates the chips, audited, and moves the capacity answers to the new specs', async () => {
    const meta = (await call('GET', '/api/companies')).body.find((company: any) => company.name === 'Meta').id;
    // Before: 350,000 H100 at the demo's 989 dense BF16 TFLOP/s are 350,000 H100e.
    expect((await call('GET', `/api/capacity?companyId=${meta}`)).body.total).toBe(350_000);

    const response = await importEpoch(HARDWARE);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ rows: 170, valid: 170, created: 152, updated: 18, unchanged: 0, errors: [] });
    expect(await chips()).toHaveLength(19 + 152);

    // The demo H100 SXM keeps its name, vendor, kind and memory, takes Epoch's rates and price, and gains its name.
    const h100 = await chipNamed('H100 SXM');
    expect(h100).toMatchObject({
      vendor: 'Nvidia',
      kind: 'gpu',
      aliases: ['H100', 'H100 SXM5', 'Hopper H100', 'NVIDIA H100 SXM5 80GB'],
      denseFp32Tflops: 66.91,
      denseBf16Tflops: 989.4,
      denseFp8Tflops: 1979,
      denseInt8Tops: 1979,
      memoryGb: 80,
      tdpWatts: 700,
      releaseYear: 2022,
      releasePriceUsd: 33_600,
      h100eFactors: { bf16: 989.4 / 989, fp8: 1, max: 1979 / 1979 },
      version: 2,
    });
    // A chip new to the catalog: named without the manufacturer, spelled as the catalog spells the vendor, credited.
    expect(await chipNamed('H100 PCIe')).toMatchObject({
      vendor: 'Nvidia',
      kind: 'gpu',
      aliases: ['NVIDIA H100 PCIe'],
      denseFp32Tflops: 51.22,
      denseBf16Tflops: 756,
      denseFp8Tflops: null,
      denseInt8Tops: null,
      memoryGb: 80,
      tdpWatts: 350,
      releaseYear: 2022,
      releasePriceUsd: null,
      specSource: CREDIT,
      h100eFactors: { bf16: 756 / 989, fp8: null, max: 756 / 1979 },
    });
    // Trainium3: Epoch's Type says GPU; the family makes it custom silicon, vendor AWS as the catalog spells it.
    expect(await chipNamed('Trainium3')).toMatchObject({ vendor: 'AWS', kind: 'custom', denseBf16Tflops: 671, denseFp8Tflops: 2517 });
    // A row Epoch leaves almost empty imports with nulls: Rubin CPX has its memory and nothing else.
    expect(await chipNamed('Rubin CPX')).toMatchObject({ denseBf16Tflops: null, memoryGb: 128, tdpWatts: null, releaseYear: null });

    const admin = await testApp.as('admin');
    const trail = await http(testApp.baseUrl, 'GET', '/api/audit?action=import&entityType=accelerator&limit=1', { headers: admin });
    expect(trail.body.total).toBe(170);
    const h100Trail = await http(testApp.baseUrl, 'GET', `/api/audit?entityId=${h100.id}`, { headers: admin });
    expect(h100Trail.body.items[0]).toMatchObject({
      action: 'import',
      before: { denseBf16Tflops: 989 },
      after: { denseBf16Tflops: 989.4 },
    });

    // After: the cached answer is gone; the H100's 989.4 TFLOP/s give 350,000 × 989.4 ÷ 989.
    expect((await call('GET', `/api/capacity?companyId=${meta}`)).body.total).toBe((350_000 * 989.4) / 989);
    expect((await call('GET', `/api/capacity?companyId=${meta}&precision=max`)).body.total).toBe(350_000);
  });

  it('changes nothing the second time', async () => {
    const before = await chips();
    const response = await importEpoch(HARDWARE);
    expect(response.body).toEqual({ rows: 170, valid: 170, created: 0, updated: 0, unchanged: 170, errors: [] });
    expect(await chips()).toEqual(before);
    const admin = await testApp.as('admin');
    const trail = await http(testApp.baseUrl, 'GET', '/api/audit?action=import&entityType=accelerator&limit=1', { headers: admin });
    expect(trail.body.total).toBe(170);
  });

  it('updates exactly the chip whose figures changed in a newer list', async () => {
    // Epoch revises the H100 PCIe's TDP from 350 W to 310 W.
    const newer = HARDWARE.replace(/^(NVIDIA H100 PCIe,.*?),350\.0,/m, '$1,310.0,');
    expect(newer).not.toBe(HARDWARE);
    const response = await importEpoch(newer);
    expect(response.body).toEqual({ rows: 170, valid: 170, created: 0, updated: 1, unchanged: 169, errors: [] });
    expect(await chipNamed('H100 PCIe')).toMatchObject({ tdpWatts: 310, version: 2 });
  });
});

describe('a list with problems', () => {
  it('refuses the whole file with 422 and a report by line, the line counted past quoted line breaks', async () => {
    const before = await chips();
    const csv = [
      HEADER,
      epochRow({ 'Hardware name': 'Sample NPU A', Manufacturer: 'Sample Silicon', Notes: 'a note\nover two lines' }),
      epochRow({ 'Hardware name': 'Sample NPU B', Manufacturer: 'Sample Silicon', 'TDP (W)': 'about 300' }),
      epochRow({ 'Hardware name': 'Sample NPU C', Manufacturer: 'Sample Silicon', 'Release date': 'spring 2024' }),
    ].join('\n');
    const response = await importEpoch(csv);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      statusCode: 422,
      rows: 3,
      valid: 1,
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [
        // Line 1 is the header; Sample NPU A takes lines 2 and 3.
        { line: 4, field: 'TDP (W)', message: 'must be a number, 0 or more', value: 'about 300' },
        { line: 5, field: 'Release date', message: 'must be a date (YYYY-MM-DD) or a year', value: 'spring 2024' },
      ],
    });
    expect(await chips()).toEqual(before);
  });

  it('reports a figure past what the catalog accepts under its Epoch column', async () => {
    const csv = [HEADER, epochRow({ 'Hardware name': 'Sample NPU D', Manufacturer: 'Sample Silicon', 'TDP (W)': '5000000' })].join('\n');
    const response = await importEpoch(csv);
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ line: 2, field: 'TDP (W)', message: 'tdpWatts must not be greater than 1000000' }]);
  });

  it('creates a chip from a row that gives a name and nothing else', async () => {
    const response = await importEpoch([HEADER, epochRow({ 'Hardware name': 'Sample NPU E' })].join('\n'));
    expect(response.body).toEqual({ rows: 1, valid: 1, created: 1, updated: 0, unchanged: 0, errors: [] });
    expect(await chipNamed('Sample NPU E')).toMatchObject({
      vendor: 'Unknown vendor',
      kind: 'gpu',
      aliases: [],
      denseBf16Tflops: null,
      h100eFactors: { bf16: null, fp8: null, max: null },
    });
  });

  it('answers 400 for a file that is not the hardware list, 415 for another content type, 403 for a viewer', async () => {
    const announcements = await importEpoch('key,company,accelerator\nmeta-1,Meta,H100\n');
    expect(announcements.status).toBe(400);
    expect(announcements.body.details.map((detail: { field: string }) => detail.field)).toContain('Hardware name');
    expect((await importEpoch('')).status).toBe(400);
    expect((await importEpoch('"unclosed\n')).status).toBe(400);
    const json = await call('POST', '/api/accelerators/import/epoch', { json: { rows: [] } });
    expect(json.status).toBe(415);
    const viewer = await testApp.as('viewer');
    const refused = await http(testApp.baseUrl, 'POST', '/api/accelerators/import/epoch', {
      text: HARDWARE,
      contentType: 'text/csv',
      headers: viewer,
    });
    expect(refused.status).toBe(403);
    expect((await call('POST', '/api/accelerators/import/epoch?dryRun=maybe', { text: HARDWARE, contentType: 'text/csv' })).status).toBe(
      400,
    );
  });
});

describe('a list larger than IMPORT_MAX_BYTES', () => {
  let small: TestApp;
  beforeAll(async () => {
    process.env.IMPORT_MAX_BYTES = '10000';
    small = await startTestApp();
  });
  afterAll(async () => {
    delete process.env.IMPORT_MAX_BYTES;
    await small.close();
  });

  it('is refused with 413, before anything is read into the catalog', async () => {
    const headers = await small.as('analyst');
    // The list is 93,432 bytes.
    const response = await http(small.baseUrl, 'POST', '/api/accelerators/import/epoch', {
      text: HARDWARE,
      contentType: 'text/csv',
      headers,
    });
    expect(response.status).toBe(413);
    expect(response.body.message).toContain('IMPORT_MAX_BYTES');
    const catalog = (await http(small.baseUrl, 'GET', '/api/accelerators', { headers })).body as unknown[];
    expect(catalog).toHaveLength(19);
  });
});
