import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildCapacityRollup } from '../../src/database/capacity-rollup.js';
import { ANNOUNCEMENTS_HEADER, announcementRow, DEMO_ANNOUNCEMENTS } from '../support/announcement-rows.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const MAX_BYTES = 16 * 1024 * 1024;
const DEMO = DEMO_ANNOUNCEMENTS;
const HEADER = ANNOUNCEMENTS_HEADER;

let testApp: TestApp;
/** Every call is an analyst's (roles are tested in auth.e2e.ts). */
let analyst: Record<string, string>;
const call = (method: string, path: string, options: Parameters<typeof http>[3] = {}) =>
  http(testApp.baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });
const importCsv = (csv: string, dryRun = false) => call('POST', `/api/imports?dryRun=${dryRun}`, { text: csv, contentType: 'text/csv' });
const total = async () => (await call('GET', '/api/commitments?limit=1')).body.total as number;
const companyCount = async () => ((await call('GET', '/api/companies')).body as unknown[]).length;

async function start(): Promise<void> {
  process.env.IMPORT_MAX_BYTES = String(MAX_BYTES);
  testApp = await startTestApp({ demoData: false });
  analyst = await testApp.as('analyst');
}

beforeAll(start);
afterAll(async () => {
  delete process.env.IMPORT_MAX_BYTES;
  await testApp.close();
});

/** A file with the demo header and these rows. */
const file = (...rows: string[]) => fileOf(rows);
const fileOf = (rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const row = announcementRow;
const base = {
  company: 'Row Lab',
  company_kind: 'ai_lab',
  country: 'US',
  accelerator: 'H100 SXM',
  announced_on: '2024-03-01',
  status: 'announced',
  source_title: 'Test row',
};
/** The problem of a row whose `accelerator` is "No Such Chip". */
const unknownChip = (line: number) => ({
  line,
  field: 'accelerator',
  message: 'unknown chip "No Such Chip": add it to the catalog or use its name or an alias',
  value: 'No Such Chip',
});

describe('the demo file', () => {
  it('passes a dry run without writing, imports cleanly, and a second import changes nothing', async () => {
    const dry = await importCsv(DEMO, true);
    expect(dry.status).toBe(200);
    // A dry run also lists the stored records rows may repeat: none in an empty ledger.
    expect(dry.body).toEqual({ rows: 15, valid: 15, created: 15, updated: 0, unchanged: 0, errors: [], warnings: [] });
    expect(await total()).toBe(0);
    expect(await companyCount()).toBe(0);

    const first = await importCsv(DEMO);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ rows: 15, valid: 15, created: 15, updated: 0, unchanged: 0, errors: [] });
    expect(await total()).toBe(15);
    // Meta, xAI, Tesla, Oracle, OpenAI, Anthropic, Mistral AI, Deutsche Telekom, Indosat, UKRI, AIST
    expect(await companyCount()).toBe(11);

    const list = (await call('GET', '/api/commitments?limit=100')).body.items as any[];
    const meta = list.find((item) => item.key === 'meta-h100-2024');
    expect(meta.metrics).toEqual({ units: 350000, h100e: 350000, power_mw: 245 });
    expect(meta.quantityQualifier).toBe('approximate');
    expect(meta.window).toEqual({ from: '2024-Q1', to: '2024-Q4' });
    expect(meta.notes).toBe('Zuckerberg also spoke of almost 600k H100-equivalents in total, including other GPUs');
    const tesla35 = list.find((item) => item.key === 'tesla-h100-35k');
    const tesla50 = list.find((item) => item.key === 'tesla-cortex-50k');
    expect(tesla50.supersedesId).toBe(tesla35.id);

    const second = await importCsv(DEMO);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ rows: 15, valid: 15, created: 0, updated: 0, unchanged: 15, errors: [] });
    expect(await total()).toBe(15);
    expect(await companyCount()).toBe(11);
    const again = (await call('GET', `/api/commitments/${meta.id}`)).body;
    expect(again.version).toBe(1);
  });

  it('updates a changed row through the service (version bumps), leaving the others alone', async () => {
    const changed = DEMO.replace(
      'meta-h100-2024,Meta,hyperscaler,US,H100 SXM,gpu,350000,approximate',
      'meta-h100-2024,Meta,hyperscaler,US,H100 SXM,gpu,400000,at_least',
    );
    const dry = await importCsv(changed, true);
    expect(dry.body).toEqual({ rows: 15, valid: 15, created: 0, updated: 1, unchanged: 14, errors: [], warnings: [] });
    const response = await importCsv(changed);
    expect(response.body).toEqual({ rows: 15, valid: 15, created: 0, updated: 1, unchanged: 14, errors: [] });
    const meta = (await call('GET', '/api/commitments?q=meta-h100-2024')).body.items[0];
    expect(meta.quantity).toBe(400000);
    expect(meta.quantityQualifier).toBe('at_least');
    expect(meta.version).toBe(2);
    expect(meta.metrics).toEqual({ units: 400000, h100e: 400000, power_mw: 280 });
    expect(meta.sources[0].publisher).toBe("Tom's Hardware");
    expect(await total()).toBe(15);
    // and back: the demo file again restores the figure
    expect((await importCsv(DEMO)).body.updated).toBe(1);
  });
});

describe('a file with several bad rows', () => {
  const bad = [
    HEADER,
    row({ ...base, key: 'good-1', quantity: '1000' }), // line 2
    row({ ...base, key: 'bad-chip', accelerator: 'H999' }), // 3
    row({ ...base, key: 'bad-numbers', quantity: '-5', delivery_by: '2024-Q5' }), // 4
    row({ ...base, key: 'bad-status', status: 'maybe', notes: 'spans\ntwo lines, with a comma' }), // 5 (and 6)
    row({ ...base, key: 'bad-target', supersedes: 'nowhere' }), // 7
    row({ ...base, key: 'good-1', quantity: '2' }), // 8
    row({ ...base, key: 'too-wide' }) + ',extra', // 9
    row({ ...base, key: 'no-company', company: '' }), // 10
    row({ ...base, key: 'wrong-kind', accelerator_kind: 'custom' }), // 11
  ].join('\r\n');

  it('reports every problem at once, with its line, column and value, in a dry run and a commit alike', async () => {
    const before = await total();
    for (const dryRun of [true, false]) {
      const response = await importCsv(bad, dryRun);
      expect(response.status).toBe(422);
      expect(response.body.statusCode).toBe(422);
      expect(response.body.error).toBe('Unprocessable Entity');
      expect(response.body.message).toBe('9 problem(s) in 8 row(s); nothing was written');
      expect(response.body).toMatchObject({ rows: 9, valid: 1, created: 0, updated: 0, unchanged: 0 });
      expect(response.body.errors.map((error: any) => [error.line, error.field, error.value])).toEqual([
        [3, 'accelerator', 'H999'],
        [4, 'quantity', '-5'],
        [4, 'delivery_by', '2024-Q5'],
        [5, 'status', 'maybe'],
        [7, 'supersedes', 'nowhere'],
        [8, 'key', 'good-1'],
        [9, 'row', undefined],
        [10, 'company', undefined],
        [11, 'accelerator_kind', 'custom'],
      ]);
      expect(response.body.errors[0].message).toBe('unknown chip "H999": add it to the catalog or use its name or an alias');
      expect(response.body.errors[5].message).toBe('the key repeats line 2');
      const columns = HEADER.split(',').length;
      expect(response.body.errors[6].message).toBe(`the row has ${columns + 1} fields; the header has ${columns}`);
      expect(response.body.errors[8].message).toBe('acceleratorKind custom contradicts the chip H100 SXM, which is gpu');
    }
    expect(await total()).toBe(before);
    expect((await call('GET', '/api/commitments?q=good-1')).body.total).toBe(0);
  });
});

describe('supersession in a file', () => {
  it('follows a key later in the file, an existing key and an existing id; refuses other companies, double revisions and cycles', async () => {
    const forward = await importCsv(
      file(
        row({ ...base, company: 'Chain Lab', key: 'chain-2', quantity: '200', supersedes: 'chain-1' }),
        row({ ...base, company: 'Chain Lab', key: 'chain-1', quantity: '100' }),
      ),
    );
    expect(forward.body).toMatchObject({ created: 2, errors: [] });
    const chain = (await call('GET', '/api/commitments?q=chain-&sort=quantity')).body.items;
    expect(chain.map((item: any) => [item.key, item.supersededById])).toEqual([
      ['chain-1', chain[1].id],
      ['chain-2', null],
    ]);

    const byKeyAndId = await importCsv(
      file(row({ ...base, company: 'Chain Lab', key: 'chain-3', quantity: '300', supersedes: 'chain-2' })),
    );
    expect(byKeyAndId.body).toMatchObject({ created: 1, errors: [] });
    const chain3 = (await call('GET', '/api/commitments?q=chain-3')).body.items[0];
    const byId = await importCsv(file(row({ ...base, company: 'Chain Lab', key: 'chain-4', quantity: '400', supersedes: chain3.id })));
    expect(byId.body).toMatchObject({ created: 1, errors: [] });
    expect((await call('GET', `/api/commitments/${chain3.id}`)).body.supersededById).toBe(
      (await call('GET', '/api/commitments?q=chain-4')).body.items[0].id,
    );

    const refused = await importCsv(
      file(
        row({ ...base, company: 'Other Lab', key: 'foreign', supersedes: 'chain-4' }), // 2: other company
        row({ ...base, company: 'Chain Lab', key: 'twice', supersedes: 'chain-1' }), // 3: chain-1 is superseded by chain-2
        row({ ...base, company: 'Loop Lab', key: 'loop-a', supersedes: 'loop-b' }), // 4
        row({ ...base, company: 'Loop Lab', key: 'loop-b', supersedes: 'loop-a' }), // 5
        row({ ...base, company: 'Pair Lab', key: 'pair-0' }), // 6
        row({ ...base, company: 'Pair Lab', key: 'pair-1', supersedes: 'pair-0' }), // 7
        row({ ...base, company: 'Pair Lab', key: 'pair-2', supersedes: 'pair-0' }), // 8: pair-0 is taken by line 7
      ),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error: any) => [error.line, error.field, error.message])).toEqual([
      [2, 'supersedes', 'a record can only supersede a record of the same company'],
      [3, 'supersedes', `already superseded by chain-2`],
      [4, 'supersedes', 'superseding this record would form a cycle'],
      [5, 'supersedes', 'superseding this record would form a cycle'],
      [8, 'supersedes', 'already superseded by the row on line 7'],
    ]);
    expect((await call('GET', '/api/commitments?q=loop-')).body.total).toBe(0);
  });
});

describe('a long chain of references', () => {
  it('fails every row after a bad first row, each naming the row before it', { timeout: 120_000 }, async () => {
    const before = await total();
    const length = 3_000;
    // Line 2 names an unknown chip; each later row revises the row before it.
    const rows = Array.from({ length }, (_, index) =>
      row({
        ...base,
        company: 'Long Chain Lab',
        key: `long-${index}`,
        ...(index === 0 ? { accelerator: 'No Such Chip' } : { supersedes: `long-${index - 1}` }),
      }),
    );
    const response = await importCsv(fileOf(rows), true);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ rows: length, valid: 0, created: 0, errorCount: length });
    expect(response.body.message).toBe(`${length} problem(s) in ${length} row(s) (the first 1000 listed); nothing was written`);
    expect(response.body.errors).toHaveLength(1_000);
    expect(response.body.errors.slice(0, 3)).toEqual([
      unknownChip(2),
      { line: 3, field: 'supersedes', message: 'the row with key long-0 (line 2) has errors', value: 'long-0' },
      { line: 4, field: 'supersedes', message: 'the row with key long-1 (line 3) has errors', value: 'long-1' },
    ]);
    expect(response.body.errors.map((error: any) => error.line)).toEqual(Array.from({ length: 1_000 }, (_, index) => index + 2));
    expect(response.body.errors[999]).toEqual({
      line: 1_001,
      field: 'supersedes',
      message: 'the row with key long-998 (line 1000) has errors',
      value: 'long-998',
    });
    expect(await total()).toBe(before);
  });
});

describe('checks across rows', () => {
  const idOf = async (key: string) => (await call('GET', `/api/commitments?q=${key}`)).body.items.find((item: any) => item.key === key).id;
  const record = async (key: string) => (await call('GET', `/api/commitments/${await idOf(key)}`)).body;
  /** Imports the file, expects a 422 with these errors, and that nothing was written. */
  async function refused(csv: string, errors: unknown[], counts: { rows: number; valid: number }) {
    const before = { commitments: await total(), companies: await companyCount() };
    for (const dryRun of [true, false]) {
      const response = await importCsv(csv, dryRun);
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ ...counts, created: 0, updated: 0, unchanged: 0 });
      expect(response.body.errors).toEqual(errors);
    }
    expect({ commitments: await total(), companies: await companyCount() }).toEqual(before);
  }

  it('refuses two rows naming one stored record, by its key and by its id', async () => {
    expect((await importCsv(file(row({ ...base, company: 'Twin Lab', key: 'twin-0', quantity: '10' })))).body).toMatchObject({
      created: 1,
      errors: [],
    });
    const id = await idOf('twin-0');
    await refused(
      file(
        row({ ...base, company: 'Twin Lab', key: 'twin-0', quantity: '20' }),
        row({ ...base, company: 'Twin Lab', key: id, quantity: '30' }),
        row({ ...base, company: 'Twin Lab', key: id.toUpperCase(), quantity: '40' }),
      ),
      [
        { line: 3, field: 'key', message: 'names the same record as line 2', value: id },
        { line: 4, field: 'key', message: 'names the same record as line 2', value: id.toUpperCase() },
      ],
      { rows: 3, valid: 1 },
    );
    expect(await record('twin-0')).toMatchObject({ quantity: 10, version: 1 });
  });

  it('refuses a reference to a row that fails, earlier or later in the file', async () => {
    const ref = (fields: Partial<Record<string, string>>) => row({ ...base, company: 'Reference Lab', ...fields });
    await refused(
      file(
        ref({ key: 'ref-early', accelerator: 'No Such Chip' }), // 2: fails its own checks
        ref({ key: 'ref-back', supersedes: 'ref-early' }), // 3
        ref({ key: 'ref-ahead', supersedes: 'ref-late' }), // 4
        ref({ key: 'ref-late', accelerator_kind: 'custom' }), // 5: breaks the kind rule
        ref({ key: 'ref-ahead-2', supersedes: 'ref-lost' }), // 6
        ref({ key: 'ref-lost', supersedes: 'nowhere' }), // 7: names nothing
        ref({ key: 'ref-after', supersedes: 'ref-lost' }), // 8
        ref({ key: 'ref-fine' }), // 9
      ),
      [
        unknownChip(2),
        { line: 3, field: 'supersedes', message: 'the row with key ref-early (line 2) has errors', value: 'ref-early' },
        { line: 4, field: 'supersedes', message: 'the row with key ref-late (line 5) has errors', value: 'ref-late' },
        {
          line: 5,
          field: 'accelerator_kind',
          message: 'acceleratorKind custom contradicts the chip H100 SXM, which is gpu',
          value: 'custom',
        },
        { line: 6, field: 'supersedes', message: 'the row with key ref-lost (line 7) has errors', value: 'ref-lost' },
        { line: 7, field: 'supersedes', message: 'no row of the file and no record has the key or id nowhere', value: 'nowhere' },
        { line: 8, field: 'supersedes', message: 'the row with key ref-lost (line 7) has errors', value: 'ref-lost' },
      ],
      { rows: 8, valid: 1 },
    );
    expect((await call('GET', '/api/commitments?q=ref-')).body.total).toBe(0);
  });

  it('refuses rows that would close a cycle through stored records', async () => {
    const cycle = (fields: Partial<Record<string, string>>) => row({ ...base, company: 'Cycle Lab', ...fields });
    const stored = file(
      cycle({ key: 'cyc-a' }),
      cycle({ key: 'cyc-b', supersedes: 'cyc-a' }),
      cycle({ key: 'cyc-c' }),
      cycle({ key: 'cyc-d', supersedes: 'cyc-c' }),
    );
    expect((await importCsv(stored)).body).toMatchObject({ created: 4, errors: [] });
    const cycleError = (line: number, value: string) => ({
      line,
      field: 'supersedes',
      message: 'superseding this record would form a cycle',
      value,
    });
    // a → b → a
    await refused(file(cycle({ key: 'cyc-a', supersedes: 'cyc-b' })), [cycleError(2, 'cyc-b')], { rows: 1, valid: 0 });
    // a → d → c → b → a, closed by two rows
    await refused(
      file(cycle({ key: 'cyc-a', supersedes: 'cyc-d' }), cycle({ key: 'cyc-c', supersedes: await idOf('cyc-b') })),
      [cycleError(2, 'cyc-d'), cycleError(3, await idOf('cyc-b'))],
      { rows: 2, valid: 0 },
    );
    expect(await record('cyc-a')).toMatchObject({ supersedesId: null, version: 1 });
    expect(await record('cyc-c')).toMatchObject({ supersedesId: null, version: 1 });
    expect((await importCsv(stored)).body).toMatchObject({ unchanged: 4, errors: [] });
  });

  it('refuses a cycle within the file, and a row that revises itself', async () => {
    const loop = (fields: Partial<Record<string, string>>) => row({ ...base, company: 'Three Loop Lab', ...fields });
    const cycleError = (line: number, value: string) => ({
      line,
      field: 'supersedes',
      message: 'superseding this record would form a cycle',
      value,
    });
    await refused(
      file(
        loop({ key: 'loop3-x', supersedes: 'loop3-z' }),
        loop({ key: 'loop3-y', supersedes: 'loop3-x' }),
        loop({ key: 'loop3-z', supersedes: 'loop3-y' }),
        loop({ key: 'loop3-self', supersedes: 'loop3-self' }),
        loop({ key: 'loop3-fine' }),
      ),
      [cycleError(2, 'loop3-z'), cycleError(3, 'loop3-x'), cycleError(4, 'loop3-y'), cycleError(5, 'loop3-self')],
      { rows: 5, valid: 1 },
    );
    expect((await call('GET', '/api/commitments?q=loop3-')).body.total).toBe(0);
  });

  it('applies the supersession rules to the rows as they were, however many pages of superseding rows', { timeout: 60_000 }, async () => {
    // Ids given in `key` decide the order in which the rules read the rows (by target, 5,000 a page): line 3 breaks a
    // rule on the first page, and line 2, which names line 3, comes on the second.
    const [first, last] = ['00000000-0000-4000-8000-000000000001', 'ffffffff-ffff-4fff-bfff-ffffffffffff'];
    expect((await importCsv(file(row({ ...base, company: 'Other Page Lab', key: first })))).body).toMatchObject({ created: 1, errors: [] });
    const page = (fields: Partial<Record<string, string>>) => row({ ...base, company: 'Page Lab', ...fields });
    const rows = [
      page({ key: 'page-a', supersedes: last }), // 2
      page({ key: last, supersedes: first }), // 3: a record of another company
      ...Array.from({ length: 5_001 }, (_, index) => page({ key: `page-${index}`, supersedes: index === 0 ? '' : `page-${index - 1}` })),
    ];
    await refused(
      fileOf(rows),
      [{ line: 3, field: 'supersedes', message: 'a record can only supersede a record of the same company', value: first }],
      { rows: 5_003, valid: 5_002 },
    );
  });

  it('lists the first 1,000 problems by line, and counts them all', async () => {
    const before = await total();
    const rows = [
      row({ ...base, key: 'many-0', supersedes: 'nowhere' }), // 2: found by the checks across rows
      row({ ...base, key: 'many-1', accelerator: 'No Such Chip', quantity: '-1' }), // 3: two problems
      ...Array.from({ length: 1_199 }, (_, index) => row({ ...base, key: `many-${index + 2}`, accelerator: 'No Such Chip' })), // 4-1202
    ];
    const response = await importCsv(fileOf(rows));
    expect(response.status).toBe(422);
    expect(response.body.message).toBe('1202 problem(s) in 1201 row(s) (the first 1000 listed); nothing was written');
    expect(response.body).toMatchObject({ rows: 1_201, valid: 0, created: 0, errorCount: 1_202 });
    expect(response.body.errors).toHaveLength(1_000);
    expect(response.body.errors.slice(0, 4)).toEqual([
      { line: 2, field: 'supersedes', message: 'no row of the file and no record has the key or id nowhere', value: 'nowhere' },
      unknownChip(3),
      { line: 3, field: 'quantity', message: 'quantity must be positive', value: '-1' },
      unknownChip(4),
    ]);
    expect(response.body.errors.map((error: any) => error.line)).toEqual([2, 3, ...Array.from({ length: 998 }, (_, index) => index + 3)]);
    expect(await total()).toBe(before);
  });
});

describe('the trail of an import', () => {
  it('records each created row as the file set it, with its source and line, and each record it revises', async () => {
    const setUp = await importCsv(file(row({ ...base, company: 'Trail Lab', key: 'trail-0', quantity: '10' })));
    expect(setUp.body).toMatchObject({ created: 1, errors: [] });
    const response = await importCsv(
      file(
        row({
          ...base,
          company: 'Trail Lab',
          key: 'trail-2',
          quantity: '2500',
          quantity_qualifier: 'at_least',
          stated_h100e: '2800.123456789012',
          supersedes: 'trail-1',
          delivery_from: '2024-Q2',
          delivery_by: '2025-Q1',
          notes: 'two\nlines, "quoted", ünïcode',
          source_url: 'https://example.org/a?b=1,2',
          source_publisher: 'Wire',
          source_published_on: '2024-02-29',
          source_language: 'pt-BR',
        }), // lines 2-3
        row({
          ...base,
          company: 'Trail Lab',
          key: 'trail-1',
          accelerator: '',
          accelerator_kind: 'custom',
          stated_power_mw: '0.000015',
          certainty: 'speculative',
          supersedes: 'trail-0',
        }), // line 4
        row({ ...base, company: 'Trail Lab', key: 'trail-3', quantity: '7', status: 'rumored' }), // line 5
      ),
    );
    expect(response.body).toMatchObject({ created: 3, errors: [] });
    const record = async (key: string) => (await call('GET', `/api/commitments?q=${key}`)).body.items.find((item: any) => item.key === key);
    const history = async (id: string) => (await call('GET', `/api/commitments/${id}/history`)).body as any[];
    const [trail0, trail1, trail2, trail3] = await Promise.all(['trail-0', 'trail-1', 'trail-2', 'trail-3'].map(record));
    // The record as the API shows it, less what the API derives or adds (names, window, metrics, versions, times).
    const added = new Set([
      'company',
      'accelerator',
      'window',
      'supersededById',
      'version',
      'createdBy',
      'updatedBy',
      'createdAt',
      'updatedAt',
      'metrics',
    ]);
    const asImported = (item: any, line: number) => ({
      ...Object.fromEntries(Object.entries(item).filter(([field]) => !added.has(field))),
      line,
    });
    expect(trail2).toMatchObject({ statedH100e: 2800.123456789012, notes: 'two\nlines, "quoted", ünïcode', supersedesId: trail1.id });
    expect(trail1).toMatchObject({ statedPowerMw: 0.000015, acceleratorId: null, quantityQualifier: null });

    const entries = new Map([trail0, trail1, trail2, trail3].map((item) => [item.key, [] as any[]]));
    for (const item of [trail0, trail1, trail2, trail3]) entries.set(item.key, await history(item.id));
    const imported = (key: string) => entries.get(key)!.filter((entry) => entry.action === 'import');
    expect(imported('trail-2').map((entry) => entry.after)).toEqual([asImported(trail2, 2)]);
    expect(imported('trail-1').map((entry) => entry.after)).toEqual([asImported(trail1, 4)]);
    expect(imported('trail-3').map((entry) => entry.after)).toEqual([asImported(trail3, 5)]);
    for (const entry of [...entries.values()].flat()) {
      expect(entry).toMatchObject({ entityType: 'commitment', actor: { email: 'analyst@ledger.test' } });
    }
    const supersessions = (key: string) => entries.get(key)!.filter((entry) => entry.action === 'supersede');
    expect(supersessions('trail-0').map((entry) => [entry.before, entry.after])).toEqual([
      [{ supersededById: null }, { supersededById: trail1.id }],
    ]);
    expect(supersessions('trail-1').map((entry) => [entry.before, entry.after])).toEqual([
      [{ supersededById: null }, { supersededById: trail2.id }],
    ]);
    // In the order of the file: a row's import entry, then the supersede entry of the record it revises.
    const written = [...entries.values()].flat().filter((entry) => entry.id > imported('trail-0')[0].id);
    expect(written.sort((a, b) => a.id - b.id).map((entry) => [entry.action, entry.entityId])).toEqual([
      ['import', trail2.id],
      ['supersede', trail1.id],
      ['import', trail1.id],
      ['supersede', trail0.id],
      ['import', trail3.id],
    ]);
  });
});

describe('file formats', () => {
  it('reads UTF-8 with a byte order mark, Windows line endings and quoted commas and line breaks', async () => {
    const csv =
      '\uFEFF' +
      [
        HEADER,
        row({ ...base, company: 'Société Générale Calcul', key: 'bom-crlf', notes: 'first line, with a comma\r\nsecond "quoted" line' }),
      ].join('\r\n') +
      '\r\n';
    const response = await importCsv(csv);
    expect(response.body).toEqual({ rows: 1, valid: 1, created: 1, updated: 0, unchanged: 0, errors: [] });
    const record = (await call('GET', '/api/commitments?q=bom-crlf')).body.items[0];
    expect(record.company.name).toBe('Société Générale Calcul');
    expect(record.notes).toBe('first line, with a comma\r\nsecond "quoted" line');
    expect((await importCsv(csv)).body.unchanged).toBe(1);
  });

  it('takes a header-only file as nothing to do, and columns in any order and case', async () => {
    expect((await importCsv(HEADER + '\n')).body).toEqual({ rows: 0, valid: 0, created: 0, updated: 0, unchanged: 0, errors: [] });
    const reordered = await importCsv(
      'Status,Announced_On,Company,Key,Accelerator,Source_Title\nannounced,2024-06-01,Order Lab,order-1,B200,Order note\n',
    );
    expect(reordered.body).toMatchObject({ created: 1, errors: [] });
    expect((await call('GET', '/api/commitments?q=order-1')).body.items[0].accelerator.name).toBe('B200');
  });
});

describe('bad input: a clear 4xx and nothing written', () => {
  it('refuses each kind of bad upload', async () => {
    const before = await total();
    const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
      ['json content type', () => call('POST', '/api/imports', { json: { rows: [] } }), 415, 'text/csv'],
      ['latin-1 charset', () => call('POST', '/api/imports', { text: DEMO, contentType: 'text/csv; charset=iso-8859-1' }), 415, 'text/csv'],
      ['binary data', () => importCsv('PK\u0003\u0004\u0000\u0000binary'), 415, 'binary'],
      ['empty file', () => importCsv(''), 400, 'empty'],
      ['missing columns', () => importCsv('key,company,notes\nx,Meta,\n'), 400, 'announced_on (required column is missing), status'],
      ['unknown column', () => importCsv(HEADER + ',colour\n'), 400, 'colour (unknown column)'],
      ['broken quotes', () => importCsv(file(row(base)) + '"unclosed,x\n'), 400, 'not valid CSV'],
      ['unknown query', () => call('POST', '/api/imports?dry=true', { text: DEMO, contentType: 'text/csv' }), 400, 'dry'],
    ];
    for (const [name, send, status, words] of cases) {
      const response = await send();
      expect([name, response.status]).toEqual([name, status]);
      expect(response.body.statusCode).toBe(status);
      expect(response.body.message).toContain(words);
    }
    const missing = await importCsv('key,company,notes\nx,Meta,\n');
    expect(missing.body.details.map((detail: any) => detail.field)).toEqual(['announced_on', 'status']);
    expect(await total()).toBe(before);
  });

  it('answers 413 to a file over IMPORT_MAX_BYTES, whether it announces its length or streams it', async () => {
    const before = await total();
    const huge = HEADER + '\n' + `${row(base)}\n`.repeat(Math.ceil(MAX_BYTES / 50));
    expect(huge.length).toBeGreaterThan(MAX_BYTES);
    const announced = await importCsv(huge);
    expect(announced.status).toBe(413);
    expect(announced.body.message).toContain('IMPORT_MAX_BYTES');

    // streamed without a length: the limit stops the reading (one endless field, so the rows cost nothing to check)
    const bytes = new TextEncoder().encode(`${HEADER}\n"${'a'.repeat(MAX_BYTES)}"\n`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 1 << 20) controller.enqueue(bytes.subarray(offset, offset + (1 << 20)));
        controller.close();
      },
    });
    const streamed = await fetch(`${testApp.baseUrl}/api/imports`, {
      method: 'POST',
      headers: { ...analyst, 'content-type': 'text/csv' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await total()).toBe(before);
    // the server still answers
    expect((await call('GET', '/api/health')).status).toBe(200);
  });
});

describe('a large file', () => {
  it('with one bad row at line 90,000 is refused as a whole and leaves the database as it was', { timeout: 180_000 }, async () => {
    const before = { commitments: await total(), companies: await companyCount() };
    const rows = Array.from({ length: 89_999 }, (_, index) =>
      row({ ...base, company: `Bulk Company ${index % 50}`, key: `bulk-${index}`, quantity: String(index + 1) }),
    );
    rows[rows.length - 1] = row({ ...base, key: 'bulk-last', accelerator: 'No Such Chip' });
    const response = await importCsv(fileOf(rows));
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ rows: 89_999, valid: 89_998, created: 0 });
    expect(response.body.errors).toEqual([unknownChip(90_000)]);
    expect({ commitments: await total(), companies: await companyCount() }).toEqual(before);
  });
});

describe('export', () => {
  it('is not taken for an id, and takes the list filters', async () => {
    const csv = await fetch(`${testApp.baseUrl}/api/commitments/export?format=csv&vendor=AMD`, { headers: analyst });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\n');
    // The first source's quote, then the second to fifth sources, each in the same six columns.
    const moreSources = [2, 3, 4, 5].flatMap((n) =>
      ['url', 'title', 'publisher', 'published_on', 'language', 'quote'].map((field) => `source_${n}_${field}`),
    );
    // Then the counting columns of the second release.
    expect(lines[0]).toBe([HEADER, 'source_quote', ...moreSources, 'host_company', 'site_country', 'part_of'].join(','));
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['openai-amd-first-gw', 'oracle-mi450-2026']);
    const json = await call('GET', '/api/commitments/export?format=json&q=openai');
    expect(json.status).toBe(200);
    expect(json.body).toEqual([
      expect.objectContaining({ key: 'openai-amd-first-gw', company: 'OpenAI', stated_power_mw: 1000, quantity: null, supersedes: null }),
    ]);
    expect((await call('GET', '/api/commitments/export?format=xml')).body.details[0].field).toBe('format');
  });

  it('round-trips five sources and cells a spreadsheet would run as formulas, into an empty database unchanged', async () => {
    await testApp.close();
    await start();
    const company = await call('POST', '/api/companies', { json: { name: '=Formula Labs', kind: 'ai_lab', country: 'GB' } });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
    const sources = [
      {
        url: 'https://example.org/one',
        title: 'One',
        publisher: 'Wire',
        publishedOn: '2025-05-02',
        language: 'en',
        quote: 'They said "100k", twice',
      },
      { url: null, title: '-2 percent of the fleet', publisher: null, publishedOn: null, language: 'de', quote: null },
      {
        url: 'https://example.org/three?a=1,2',
        title: null,
        publisher: '@handle',
        publishedOn: '2025-05-04',
        language: null,
        quote: 'line one\nline two',
      },
      { url: null, title: '+Four', publisher: 'Four Times', publishedOn: null, language: 'ja', quote: '=1+1' },
      {
        url: 'https://example.org/five',
        title: 'Five',
        publisher: null,
        publishedOn: '2025-05-06',
        language: 'fr',
        quote: "'=already quoted",
      },
    ];
    const record = await call('POST', '/api/commitments', {
      json: {
        key: 'five-sources',
        companyId: company.body.id,
        acceleratorKind: 'custom',
        quantity: 5000,
        quantityQualifier: 'up_to',
        announcedOn: '2025-05-01',
        deliveryBy: '2026-Q2',
        status: 'confirmed',
        // The API takes a source's missing fields as absent; it shows them as null.
        sources: sources.map((source) => Object.fromEntries(Object.entries(source).filter(([, value]) => value !== null))),
        notes: '=HYPERLINK("https://example.org","open me")',
      },
    });
    expect(record.status, JSON.stringify(record.body)).toBe(201);
    expect(record.body.sources).toEqual(sources);

    const exported = await (await fetch(`${testApp.baseUrl}/api/commitments/export`, { headers: analyst })).text();
    // Every cell a spreadsheet would run is written as text, and every source has its columns.
    expect(exported).toContain(`'=HYPERLINK(""https://example.org"",""open me"")`);
    expect(exported).toContain("'=Formula Labs");
    expect(exported).toContain("'-2 percent of the fleet");
    expect(exported).toContain("''=already quoted");
    expect(exported).toContain('https://example.org/five');
    expect(exported.split('\n')[0]).toContain('source_5_quote');
    const json = await call('GET', '/api/commitments/export?format=json');
    expect(json.body).toEqual([
      expect.objectContaining({
        key: 'five-sources',
        notes: '=HYPERLINK("https://example.org","open me")',
        source_title: 'One',
        source_2_title: '-2 percent of the fleet',
        source_3_quote: 'line one\nline two',
        source_4_quote: '=1+1',
        source_5_url: 'https://example.org/five',
        source_5_quote: "'=already quoted",
      }),
    ]);

    await testApp.close();
    await start();
    const imported = await importCsv(exported);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ rows: 1, created: 1, errors: [] });
    const back = (await call('GET', '/api/commitments?q=five-sources')).body.items[0];
    expect(back).toMatchObject({
      key: 'five-sources',
      company: { name: '=Formula Labs' },
      quantity: 5000,
      quantityQualifier: 'up_to',
      notes: '=HYPERLINK("https://example.org","open me")',
      sources,
    });
    // The same file again changes nothing, and the new ledger exports the same file.
    expect((await importCsv(exported)).body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await (await fetch(`${testApp.baseUrl}/api/commitments/export`, { headers: analyst })).text()).toBe(exported);
  });

  it('keeps the sources a file leaves out, and takes the ones it gives, by position', async () => {
    const record = await call('POST', '/api/imports?dryRun=false', {
      contentType: 'text/csv',
      text: [
        'key,company,announced_on,status,accelerator_kind,source_title,source_2_title,source_3_url',
        'positions,Position Labs,2025-06-01,announced,gpu,First,Second,https://example.org/third',
      ].join('\n'),
    });
    expect(record.status, JSON.stringify(record.body)).toBe(200);
    const titles = async () =>
      ((await call('GET', '/api/commitments?q=positions')).body.items[0].sources as any[]).map((source) => source.title ?? source.url);
    expect(await titles()).toEqual(['First', 'Second', 'https://example.org/third']);
    // A file with the first two sources' columns only: the third stays, the first two are the file's.
    const second = await importCsv(
      [
        'key,company,announced_on,status,accelerator_kind,source_title,source_2_title',
        'positions,Position Labs,2025-06-01,announced,gpu,First,"Second, revised"',
      ].join('\n'),
    );
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body).toMatchObject({ updated: 1 });
    expect(await titles()).toEqual(['First', 'Second, revised', 'https://example.org/third']);
    // An empty source between two given ones is refused by its columns.
    const gap = await importCsv(
      [
        'key,company,announced_on,status,accelerator_kind,source_title,source_2_title,source_3_title',
        'gap,Position Labs,2025-06-01,announced,gpu,First,,Third',
      ].join('\n'),
    );
    expect(gap.status).toBe(422);
    expect(gap.body.errors.map((error: any) => error.field)).toEqual(expect.arrayContaining(['source_2_title']));
  });

  it('round-trips: an export imports unchanged into the same database, and identically into an empty one', async () => {
    expect((await importCsv(DEMO)).status).toBe(200);
    // records entered through the API carry no key: the export names them by id
    const companyId = (await call('GET', '/api/commitments?q=meta-h100-2024')).body.items[0].companyId;
    const chips = (await call('GET', '/api/accelerators')).body as any[];
    const older = await call('POST', '/api/commitments', {
      json: {
        companyId,
        acceleratorId: chips.find((chip) => chip.name === 'B200').id,
        quantity: 1234,
        announcedOn: '2025-02-03',
        deliveryFrom: '2025-Q3',
        deliveryBy: '2026-Q1',
        status: 'rumored',
        certainty: 'speculative',
        statedH100e: 2800.5,
        sources: [{ url: 'https://example.org/a?b=1,2', title: 'Keyless, "quoted"', quote: 'line one\nline two', language: 'en' }],
        notes: 'entered by hand',
      },
    });
    expect(older.status).toBe(201);
    const newer = await call('POST', '/api/commitments', {
      json: {
        companyId,
        acceleratorKind: 'custom',
        announcedOn: '2025-04-01',
        status: 'announced',
        supersedesId: older.body.id,
        sources: [{ title: 'Revision' }],
      },
    });
    expect(newer.status).toBe(201);

    const exported = await (await fetch(`${testApp.baseUrl}/api/commitments/export`, { headers: analyst })).text();
    const same = await importCsv(exported);
    expect(same.status).toBe(200);
    expect(same.body.created + same.body.updated).toBe(0);
    const beforeList = (await call('GET', '/api/commitments?limit=500&sort=announcedOn')).body;
    const beforeCompanies = (await call('GET', '/api/companies')).body;

    await testApp.close();
    await start();
    expect(await total()).toBe(0);
    const imported = await importCsv(exported);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ rows: beforeList.total, created: beforeList.total, errors: [] });
    const afterList = (await call('GET', '/api/commitments?limit=500&sort=announcedOn')).body;
    expect(afterList.total).toBe(beforeList.total);

    const comparable = (list: any, companies: any[]) => {
      const keyOf = new Map(list.items.map((item: any) => [item.id, item.key ?? item.id]));
      return list.items
        .map((item: any) => ({
          key: item.key ?? item.id,
          company: (({ name, kind, country, aliases }) => ({ name, kind, country, aliases }))(
            companies.find((company: any) => company.id === item.companyId),
          ),
          accelerator: item.accelerator && { name: item.accelerator.name, vendor: item.accelerator.vendor, kind: item.accelerator.kind },
          acceleratorKind: item.acceleratorKind,
          quantity: item.quantity,
          quantityQualifier: item.quantityQualifier,
          statedH100e: item.statedH100e,
          statedPowerMw: item.statedPowerMw,
          announcedOn: item.announcedOn,
          deliveryFrom: item.deliveryFrom,
          deliveryBy: item.deliveryBy,
          window: item.window,
          status: item.status,
          certainty: item.certainty,
          supersedes: item.supersedesId && keyOf.get(item.supersedesId),
          supersededBy: item.supersededById && keyOf.get(item.supersededById),
          sources: item.sources,
          notes: item.notes,
          metrics: item.metrics,
        }))
        .sort((a: any, b: any) => (a.key < b.key ? -1 : 1));
    };
    const afterCompanies = (await call('GET', '/api/companies')).body;
    expect(comparable(afterList, afterCompanies)).toEqual(comparable(beforeList, beforeCompanies));
    // records without a key keep their id
    expect(afterList.items.find((item: any) => item.id === older.body.id)).toMatchObject({ key: null, supersededById: newer.body.id });
    expect(afterCompanies.length).toBe(beforeCompanies.length);
    // and the export of the imported ledger is the same file
    expect(await (await fetch(`${testApp.baseUrl}/api/commitments/export`, { headers: analyst })).text()).toBe(exported);
  });
});

describe('the capacity rollup after an import', () => {
  /** The rollup's rows as the imports left them, and as a rebuild from the base tables makes them (then rolled back). */
  async function rollupAndRebuild(): Promise<{ kept: unknown[]; rebuilt: unknown[] }> {
    const rows = 'SELECT * FROM capacity_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12';
    const runner = testApp.app.get(DataSource).createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const kept = await runner.query(rows);
      await rebuildCapacityRollup(runner.manager);
      return { kept, rebuilt: await runner.query(rows) };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }
  /** The keys of the live records whose current version is not their row and sources as they are. */
  async function recordsUnlikeTheirVersions(): Promise<string[]> {
    const rows: { key: string }[] = await testApp.app.get(DataSource).query(
      `SELECT c.external_key AS key FROM commitments c
       LEFT JOIN commitment_versions v ON v.commitment_id = c.id AND v.valid_to IS NULL
       WHERE c.deleted_at IS NULL AND (v.record IS DISTINCT FROM to_jsonb(c) OR v.sources IS DISTINCT FROM COALESCE(
         (SELECT jsonb_agg(to_jsonb(s) ORDER BY s.position) FROM commitment_sources s WHERE s.commitment_id = c.id), '[]'))
       ORDER BY 1`,
    );
    return rows.map((row) => row.key);
  }
  const chips = ['H100 SXM', 'B200', 'MI300X', 'TPU v7', ''];
  const rollupRow = (key: string, index: number, extra: Partial<Record<string, string>> = {}) =>
    row({
      ...base,
      company: `Rollup Co ${index % 7}`,
      key,
      accelerator: chips[index % chips.length],
      accelerator_kind: chips[index % chips.length] ? '' : index % 2 ? 'gpu' : 'custom',
      quantity: index % 6 === 0 ? '' : String(100 + index),
      stated_h100e: index % 9 === 0 ? String(50 + index / 4) : '',
      announced_on: `${2023 + (index % 3)}-${String(1 + (index % 12)).padStart(2, '0')}-10`,
      delivery_by: index % 4 === 0 ? '' : `${2025 + (index % 2)}-Q${1 + (index % 4)}`,
      status: ['announced', 'confirmed', 'delivered', 'rumored', 'cancelled'][index % 5],
      ...extra,
    });

  it('equals a rebuild after a large import (recomputed by company) and a small one (by group), with revisions and updates', async () => {
    // On an empty ledger of its own: the thousands of rows would crowd the other tests' lists.
    await testApp.close();
    await start();
    const before = Array.from({ length: 20 }, (_, index) => rollupRow(`rollup-pre-${index}`, index));
    expect((await importCsv(fileOf(before))).body).toMatchObject({ created: 20, errors: [] });

    // 6,000 new rows (more than one batch): every tenth revises the row seven before it (same company), the first
    // ten even ones revise a record already there, the second revises a row of a later batch; two rows change records
    // already there.
    const large = Array.from({ length: 6_000 }, (_, index) =>
      rollupRow(`rollup-${index}`, index, {
        supersedes:
          index < 20 && index % 2 === 0
            ? `rollup-pre-${index}`
            : index === 1
              ? 'rollup-5006'
              : index % 10 === 0 && index >= 7
                ? `rollup-${index - 7}`
                : '',
      }),
    );
    large.push(
      rollupRow('rollup-pre-1', 1, { quantity: '4242' }),
      rollupRow('rollup-pre-3', 3, { status: 'delivered', delivery_by: '2027-Q4' }),
    );
    expect((await importCsv(fileOf(large))).body).toMatchObject({ rows: 6_002, created: 6_000, updated: 2, errors: [] });
    const afterLarge = await rollupAndRebuild();
    expect(afterLarge.kept.length).toBeGreaterThan(100);
    expect(afterLarge.kept).toEqual(afterLarge.rebuilt);
    // Each record's version is the record as written, the one revising a later row of the file included.
    expect(await recordsUnlikeTheirVersions()).toEqual([]);
    const idOf = async (key: string) =>
      ((await testApp.app.get(DataSource).query('SELECT id FROM commitments WHERE external_key = $1', [key])) as { id: string }[])[0].id;
    const [early, later] = await Promise.all(
      ['rollup-1', 'rollup-5006'].map(async (key) => (await call('GET', `/api/commitments/${await idOf(key)}`)).body),
    );
    expect(early.supersedesId).toBe(later.id);
    expect(later.supersededById).toBe(early.id);
    const trail = (await call('GET', `/api/commitments/${later.id}/history`)).body as any[];
    expect(trail.map((entry) => [entry.action, entry.after.supersededById ?? entry.after.line])).toEqual([
      ['supersede', early.id],
      ['import', 5008],
    ]);

    const small = [
      rollupRow('rollup-small-0', 5, { supersedes: 'rollup-5' }),
      rollupRow('rollup-small-1', 12, { supersedes: 'rollup-pre-5' }),
      rollupRow('rollup-2', 2, { status: 'cancelled' }),
      rollupRow('rollup-small-2', 1, { accelerator: '', accelerator_kind: 'custom', quantity: '' }),
    ];
    expect((await importCsv(fileOf(small))).body).toMatchObject({ created: 3, updated: 1, errors: [] });
    const afterSmall = await rollupAndRebuild();
    expect(afterSmall.kept).toEqual(afterSmall.rebuilt);
    expect(afterSmall.kept).not.toEqual(afterLarge.kept);
    expect(await recordsUnlikeTheirVersions()).toEqual([]);
  });

  it('equals a rebuild after a large import whose new rows are parts of another company’s whole, and of a later row', async () => {
    const withPartOf = (rows: [string, string][]) =>
      [`${HEADER},part_of`, ...rows.map(([line, partOf]) => `${line},${partOf}`)].join('\n') + '\n';
    // A whole of a company that no new row belongs to: it leaves the rollup with its first part.
    const whole = rollupRow('rollup-whole', 1, { company: 'Rollup Whole Co', quantity: '90000', delivery_by: '2026-Q4' });
    expect((await importCsv(withPartOf([[whole, '']]))).body).toMatchObject({ created: 1, errors: [] });
    const before = await rollupAndRebuild();
    expect(before.kept).toEqual(before.rebuilt);
    // 5,500 new rows: every 500th (from the third) a part of that whole, the second a part of a row near the end.
    const large = Array.from({ length: 5_500 }, (_, index): [string, string] => [
      rollupRow(`rollup-part-${index}`, index, { status: 'confirmed' }),
      index % 500 === 3 ? 'rollup-whole' : index === 1 ? 'rollup-part-5400' : '',
    ]);
    expect((await importCsv(withPartOf(large))).body).toMatchObject({ created: 5_500, errors: [] });
    const after = await rollupAndRebuild();
    expect(after.kept).toEqual(after.rebuilt);
    const [{ parts }]: { parts: number }[] = await testApp.app
      .get(DataSource)
      .query(
        `SELECT count(*)::integer AS parts FROM commitments p JOIN commitments w ON w.id = p.part_of_id WHERE w.external_key = 'rollup-whole'`,
      );
    expect(parts).toBe(11);
    const [{ late }]: { late: string }[] = await testApp.app
      .get(DataSource)
      .query(
        `SELECT w.external_key AS late FROM commitments p JOIN commitments w ON w.id = p.part_of_id WHERE p.external_key = 'rollup-part-1'`,
      );
    expect(late).toBe('rollup-part-5400');
    expect(await recordsUnlikeTheirVersions()).toEqual([]);
  });
});
