import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildCapacityRollup } from '../../src/database/capacity-rollup.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
let analyst: Record<string, string>;
let google: string;
let anthropic: string;
let h100Id: string;

const call = (method: string, path: string, json?: unknown) => http(testApp.baseUrl, method, path, { json, headers: analyst });

const source = { title: 'Anthropic to use up to one million Google TPUs', publisher: 'Test desk', publishedOn: '2025-10-23' };

async function create(fields: Record<string, unknown>) {
  return call('POST', '/api/commitments', {
    companyId: google,
    acceleratorId: h100Id,
    quantity: 100_000,
    announcedOn: '2025-01-15',
    deliveryFrom: '2025-Q1',
    deliveryBy: '2025-Q4',
    status: 'announced',
    sources: [source],
    ...fields,
  });
}

beforeAll(async () => {
  testApp = await startTestApp();
  analyst = (await testApp.session('analyst')).headers;
  google = (await call('POST', '/api/companies', { name: 'Fields Google', kind: 'hyperscaler', country: 'US' })).body.id;
  anthropic = (await call('POST', '/api/companies', { name: 'Fields Anthropic', kind: 'ai_lab', country: 'US' })).body.id;
  const chips: { id: string; name: string }[] = (await call('GET', '/api/accelerators')).body;
  h100Id = chips.find((chip) => chip.name === 'H100 SXM')!.id;
});
afterAll(() => testApp.close());

describe('host company, whole and part, site country', () => {
  it('keeps the three fields on a record and shows them in its answer and history', async () => {
    const whole = await create({ siteCountry: 'US' });
    expect(whole.status).toBe(201);
    expect(whole.body).toMatchObject({ hostCompanyId: null, partOfId: null, siteCountry: 'US' });
    const part = await create({
      companyId: anthropic,
      hostCompanyId: google,
      partOfId: whole.body.id,
      quantity: 40_000,
      siteCountry: 'US',
    });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ companyId: anthropic, hostCompanyId: google, partOfId: whole.body.id, siteCountry: 'US' });
    const read = await call('GET', `/api/commitments/${part.body.id}`);
    expect(read.body).toMatchObject({ hostCompanyId: google, partOfId: whole.body.id, siteCountry: 'US' });
    const history = await call('GET', `/api/commitments/${part.body.id}/history`);
    expect(history.body[0].after).toMatchObject({ hostCompanyId: google, partOfId: whole.body.id, siteCountry: 'US' });
  });

  it('refuses a bad site country, host or whole with a 400 naming the field', async () => {
    const whole = (await create({})).body;
    const part = (await create({ companyId: anthropic, partOfId: whole.id, quantity: 1_000 })).body;
    const cancelled = (await create({ status: 'cancelled' })).body;
    const deleted = (await create({})).body;
    expect((await call('DELETE', `/api/commitments/${deleted.id}`)).status).toBe(204);
    const missing = '00000000-0000-4000-8000-000000000000';
    const cases: [Record<string, unknown>, string][] = [
      [{ siteCountry: 'us' }, 'siteCountry'],
      [{ siteCountry: 'XX' }, 'siteCountry'],
      [{ siteCountry: 'USA' }, 'siteCountry'],
      [{ hostCompanyId: google }, 'hostCompanyId'],
      [{ hostCompanyId: missing }, 'hostCompanyId'],
      [{ hostCompanyId: 'google' }, 'hostCompanyId'],
      [{ partOfId: part.id }, 'partOfId'],
      [{ partOfId: cancelled.id }, 'partOfId'],
      [{ partOfId: deleted.id }, 'partOfId'],
      [{ partOfId: missing }, 'partOfId'],
    ];
    for (const [fields, field] of cases) {
      const response = await create(fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(JSON.stringify(response.body.details), JSON.stringify(fields)).toContain(field);
    }
    // A record cannot be a part of itself, and a whole that has parts cannot become a part.
    const self = await call('PATCH', `/api/commitments/${whole.id}`, { partOfId: whole.id, version: whole.version });
    expect(self.status).toBe(400);
    expect(self.body.details[0].field).toBe('partOfId');
    const other = (await create({})).body;
    const wholeAsPart = await call('PATCH', `/api/commitments/${whole.id}`, { partOfId: other.id, version: whole.version });
    expect(wholeAsPart.status).toBe(400);
    expect(wholeAsPart.body.details[0].field).toBe('partOfId');
  });

  it('refuses to delete or cancel a whole that has parts (409), and allows it once the parts are released', async () => {
    const whole = (await create({})).body;
    const part = (await create({ companyId: anthropic, partOfId: whole.id, quantity: 1_000 })).body;
    const cancel = await call('PATCH', `/api/commitments/${whole.id}`, { status: 'cancelled', version: whole.version });
    expect(cancel.status).toBe(409);
    const remove = await call('DELETE', `/api/commitments/${whole.id}`);
    expect(remove.status).toBe(409);
    expect(remove.body.details[0]).toMatchObject({ field: 'partOfId', value: [part.id] });
    const released = await call('PATCH', `/api/commitments/${part.id}`, { partOfId: null, version: part.version });
    expect(released.status).toBe(200);
    expect(released.body.partOfId).toBeNull();
    expect((await call('DELETE', `/api/commitments/${whole.id}`)).status).toBe(204);
  });

  it('exports and imports the host company and site country columns', async () => {
    const key = `fields-${Date.now()}`;
    const csv = [
      'key,company,accelerator,quantity,announced_on,delivery_by,status,host_company,site_country,source_title',
      `${key},Fields Anthropic,H100 SXM,5000,2025-02-01,2025-Q4,announced,Fields Google,DE,Test desk note`,
      `${key}-bad,Fields Anthropic,H100 SXM,5000,2025-02-01,2025-Q4,announced,Fields Anthropic,de,Test desk note`,
    ].join('\n');
    const refused = await http(testApp.baseUrl, 'POST', '/api/imports?dryRun=true', {
      text: csv,
      contentType: 'text/csv',
      headers: analyst,
    });
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, field: 'host_company' }),
        expect.objectContaining({ line: 3, field: 'site_country' }),
      ]),
    );
    const good = csv.split('\n').slice(0, 2).join('\n');
    const imported = await http(testApp.baseUrl, 'POST', '/api/imports?dryRun=false', {
      text: good,
      contentType: 'text/csv',
      headers: analyst,
    });
    expect(imported.status).toBe(200);
    expect(imported.body.created).toBe(1);
    const listed = await call('GET', `/api/commitments?q=${key}&limit=5`);
    const record = listed.body.items.find((item: { key: string }) => item.key === key);
    expect(record).toMatchObject({ companyId: anthropic, hostCompanyId: google, siteCountry: 'DE' });

    const exported = await http(testApp.baseUrl, 'GET', `/api/commitments/export?format=csv&companyId=${anthropic}`, { headers: analyst });
    const [header, ...lines] = String(exported.body).trim().split('\n');
    const columns = header.split(',');
    const row = lines.map((line) => line.split(',')).find((cells) => cells[0] === key)!;
    expect(row[columns.indexOf('host_company')]).toBe('Fields Google');
    expect(row[columns.indexOf('site_country')]).toBe('DE');
    // The same file again changes nothing; a file without the column keeps the host.
    const again = await http(testApp.baseUrl, 'POST', '/api/imports?dryRun=false', {
      text: good,
      contentType: 'text/csv',
      headers: analyst,
    });
    expect(again.body).toMatchObject({ created: 0, unchanged: 1 });
    const withoutHost = `key,company,accelerator,quantity,announced_on,delivery_by,status,source_title\n${key},Fields Anthropic,H100 SXM,6000,2025-02-01,2025-Q4,announced,Test desk note`;
    const changed = await http(testApp.baseUrl, 'POST', '/api/imports?dryRun=false', {
      text: withoutHost,
      contentType: 'text/csv',
      headers: analyst,
    });
    expect(changed.body).toMatchObject({ errors: [], updated: 1 });
    const after = (await call('GET', `/api/commitments/${record.id}`)).body;
    expect(after).toMatchObject({ quantity: 6000, hostCompanyId: google, siteCountry: 'DE' });
  });
});

describe('possibleDuplicates on write', () => {
  it('flags live records of the same company or host, chip, window and amount within 10 %, never refusing', async () => {
    const meta = (await call('POST', '/api/companies', { name: 'Dup Meta', kind: 'hyperscaler' })).body.id;
    const base = {
      companyId: meta,
      acceleratorId: h100Id,
      announcedOn: '2024-02-28',
      deliveryBy: '2024-Q4',
      status: 'announced',
      sources: [source],
    };
    const first = await call('POST', '/api/commitments', { ...base, quantity: 350_000 });
    expect(first.status).toBe(201);
    expect(first.body.possibleDuplicates).toEqual([]);
    // The same announcement pasted again: 340,000 is within 10 % of 350,000.
    const again = await call('POST', '/api/commitments', { ...base, quantity: 340_000 });
    expect(again.status).toBe(201);
    expect(again.body.possibleDuplicates).toEqual([first.body.id]);
    // 300,000 is more than 10 % below; another window; a revision of the first; a part of it: none of them.
    const apart = await call('POST', '/api/commitments', { ...base, quantity: 300_000 });
    expect(apart.body.possibleDuplicates).toEqual([]);
    const later = await call('POST', '/api/commitments', { ...base, quantity: 350_000, deliveryFrom: '2026-Q1', deliveryBy: '2026-Q2' });
    expect(later.body.possibleDuplicates).toEqual([]);
    const part = await call('POST', '/api/commitments', { ...base, quantity: 350_000, partOfId: first.body.id });
    expect(part.body.possibleDuplicates).toEqual([again.body.id]);
    // A record of another company hosted by Meta is compared with Meta's records too.
    const hosted = await call('POST', '/api/commitments', { ...base, companyId: anthropic, hostCompanyId: meta, quantity: 345_000 });
    expect(hosted.body.possibleDuplicates).toEqual(expect.arrayContaining([first.body.id, again.body.id]));
    // PATCH answers them too, and the batch per item; the ETag is the record's as GET gives it.
    const patched = await call('PATCH', `/api/commitments/${apart.body.id}`, { quantity: 349_000, version: apart.body.version });
    expect(patched.status).toBe(200);
    expect(patched.body.possibleDuplicates).toEqual(expect.arrayContaining([first.body.id, again.body.id]));
    const read = await call('GET', `/api/commitments/${apart.body.id}`);
    expect(read.headers.get('etag')).toBe(patched.headers.get('etag'));
    const batch = await call('POST', '/api/commitments/batch', {
      items: [
        { ...base, acceleratorId: null, acceleratorKind: 'custom' },
        { ...base, quantity: 351_000 },
      ],
    });
    expect(batch.status).toBe(201);
    expect(batch.body[0].possibleDuplicates).toEqual([]);
    expect(batch.body[1].possibleDuplicates).toEqual(expect.arrayContaining([first.body.id, again.body.id, apart.body.id]));
    // Superseding the first: the revision is linked to it, so not flagged against it.
    const revision = await call('POST', '/api/commitments', { ...base, quantity: 350_000, supersedesId: first.body.id });
    expect(revision.body.possibleDuplicates).not.toContain(first.body.id);
    expect(revision.body.possibleDuplicates).toContain(again.body.id);
  });
});

describe('possible duplicates in an import dry run', () => {
  it('warns of the stored records a row may repeat, by line, and still imports', async () => {
    const header = 'key,company,accelerator,quantity,announced_on,delivery_by,status,source_title';
    const stored = `${header}\ndupe-a,Fields Google,H100 SXM,200000,2025-03-01,2025-Q4,announced,Test desk note`;
    const first = await http(testApp.baseUrl, 'POST', '/api/imports?dryRun=false', {
      text: stored,
      contentType: 'text/csv',
      headers: analyst,
    });
    expect(first.body).toMatchObject({ created: 1, errors: [] });
    const storedId = (await call('GET', '/api/commitments?q=dupe-a')).body.items[0].id;
    // The same announcement under a new key (line 2), and one of a different size (line 3).
    const again = [
      header,
      'dupe-b,Fields Google,H100 SXM,195000,2025-03-02,2025-Q4,announced,Another outlet',
      'dupe-c,Fields Google,H100 SXM,120000,2025-03-02,2025-Q4,announced,Another outlet',
    ].join('\n');
    const dry = await http(testApp.baseUrl, 'POST', '/api/imports?dryRun=true', { text: again, contentType: 'text/csv', headers: analyst });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ created: 2, errors: [], warnings: [{ line: 2, type: 'possible_duplicate', of: storedId }] });
    expect(dry.body.warnings).toHaveLength(1);
  });
});

describe('the part_of column', () => {
  // H100 SXM is the reference chip: its H100e are its units. Every record here is delivered in 2031-Q1 alone, a
  // quarter no other test of this file uses, so the capacity of that quarter is these records' only.
  const QUARTER = 'metric=h100e&from=2031-Q1&to=2031-Q1';
  const COLUMNS = ['key', 'company', 'company_kind', 'accelerator', 'quantity', 'announced_on', 'delivery_from', 'delivery_by', 'status'];
  const HEADER = [...COLUMNS, 'source_title', 'host_company', 'part_of'];
  type Row = Partial<Record<(typeof HEADER)[number], string>>;
  const line = (row: Row) =>
    HEADER.map(
      (column) =>
        row[column] ??
        {
          company: 'Fields Google',
          accelerator: 'H100 SXM',
          announced_on: '2030-06-01',
          delivery_from: '2031-Q1',
          delivery_by: '2031-Q1',
          status: 'announced',
          source_title: 'Part of test desk',
        }[column] ??
        '',
    ).join(',');
  const file = (rows: Row[], header = HEADER) =>
    [
      header.join(','),
      ...rows.map((row) =>
        line(row)
          .split(',')
          .filter((_, index) => header.includes(HEADER[index]))
          .join(','),
      ),
    ].join('\n');
  const upload = (csv: string, dryRun = false) =>
    http(testApp.baseUrl, 'POST', `/api/imports?dryRun=${dryRun}`, { text: csv, contentType: 'text/csv', headers: analyst });
  const byKey = async (key: string) => {
    const found = (await call('GET', `/api/commitments?q=${encodeURIComponent(key)}&limit=50`)).body.items.find(
      (item: { key: string }) => item.key === key,
    );
    expect(found, key).toBeDefined();
    return found as { id: string; version: number; partOfId: string | null; companyId: string; quantity: number };
  };
  const capacity = async (attribution: 'user' | 'owner') => {
    const response = await call('GET', `/api/capacity?${QUARTER}&groupBy=company&attribution=${attribution}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const series = Object.fromEntries(
      response.body.series.map((series: { key: string; values: number[] }) => [series.key, series.values]),
    ) as Record<string, number[]>;
    return { series, total: response.body.total as number };
  };
  /** The rollup as the imports left it equals a rebuild from the base tables (then rolled back). */
  const expectRollupEqualsRebuild = async () => {
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
  };
  let campus: { id: string };

  it('links parts to a whole of the file, before or after them, and to a stored record by id; the same file changes nothing', async () => {
    // A stored campus total of 50,000, keyed, and named below by its id.
    campus = (await create({ key: 'po-campus', quantity: 50_000, deliveryFrom: '2031-Q1', deliveryBy: '2031-Q1' })).body;
    // Google's fleet of 100,000 (line 3); Anthropic's share of 30,000 before it (line 2) and a new tenant's 20,000
    // after it (line 4), both hosted by Google; a phase of 5,000 inside the campus (line 5).
    const csv = file([
      { key: 'po-share', company: 'Fields Anthropic', quantity: '30000', host_company: 'Fields Google', part_of: 'po-fleet' },
      { key: 'po-fleet', quantity: '100000' },
      {
        key: 'po-tenant',
        company: 'Fields Tenant',
        company_kind: 'neocloud',
        quantity: '20000',
        host_company: 'Fields Google',
        part_of: 'po-fleet',
      },
      { key: 'po-phase', quantity: '5000', part_of: campus.id },
    ]);
    const imported = await upload(csv);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ created: 4, updated: 0, errors: [] });
    const fleet = await byKey('po-fleet');
    expect(fleet.partOfId).toBeNull();
    expect((await byKey('po-share')).partOfId).toBe(fleet.id);
    expect((await byKey('po-tenant')).partOfId).toBe(fleet.id);
    expect((await byKey('po-phase')).partOfId).toBe(campus.id);
    const again = await upload(csv);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 4, errors: [] });
    await expectRollupEqualsRebuild();

    // user: each part under its own company, each whole less its parts: Google 100,000 − 30,000 − 20,000 (fleet)
    // + 50,000 − 5,000 (campus) + 5,000 (the phase, Google's own) = 100,000; Anthropic 30,000; the tenant 20,000.
    const tenant = (await byKey('po-tenant')).companyId;
    const user = await capacity('user');
    expect(user.series).toEqual({ [google]: [100_000], [anthropic]: [30_000], [tenant]: [20_000] });
    expect(user.total).toBe(150_000);
    // owner: the wholes in full under Google (100,000 + 50,000), the parts 0.
    const owner = await capacity('owner');
    expect(owner.series[google]).toEqual([150_000]);
    expect(owner.series[anthropic] ?? [0]).toEqual([0]);
    expect(owner.series[tenant] ?? [0]).toEqual([0]);
    expect(owner.total).toBe(150_000);
  });

  it('exports the whole by key (or id) and imports the export unchanged; an empty cell releases, no column keeps', async () => {
    // A whole without a key is named by its id.
    const keyless = (await create({ quantity: 8_000, deliveryFrom: '2031-Q1', deliveryBy: '2031-Q1' })).body;
    const keylessPart = (
      await create({ key: 'po-keyless-part', quantity: 2_000, deliveryFrom: '2031-Q1', deliveryBy: '2031-Q1', partOfId: keyless.id })
    ).body;
    expect(keylessPart.partOfId).toBe(keyless.id);
    const exported = await http(testApp.baseUrl, 'GET', '/api/commitments/export?format=csv', { headers: analyst });
    expect(exported.status).toBe(200);
    const records: Record<string, string>[] = parse(String(exported.body), { columns: true });
    const cell = (key: string) => records.find((record) => record.key === key)?.part_of;
    expect(Object.keys(records[0]).slice(-3)).toEqual(['host_company', 'site_country', 'part_of']);
    expect(cell('po-share')).toBe('po-fleet');
    expect(cell('po-phase')).toBe('po-campus');
    expect(cell('po-keyless-part')).toBe(keyless.id);
    expect(cell('po-fleet')).toBe('');
    const back = await upload(String(exported.body));
    expect(back.body).toMatchObject({ created: 0, updated: 0, unchanged: records.length, errors: [] });

    // An empty cell releases the share; a file without the column keeps the tenant's whole.
    const share = await byKey('po-share');
    const released = await upload(
      file([{ key: 'po-share', company: 'Fields Anthropic', quantity: '30000', host_company: 'Fields Google', part_of: '' }]),
    );
    expect(released.body).toMatchObject({ updated: 1, errors: [] });
    const after = await byKey('po-share');
    expect(after).toMatchObject({ partOfId: null, version: share.version + 1 });
    const history = (await call('GET', `/api/commitments/${share.id}/history`)).body;
    expect(history.at(-1)).toMatchObject({
      action: 'import',
      before: { partOfId: (await byKey('po-fleet')).id },
      after: { partOfId: null },
    });
    const withoutColumn = await upload(
      file(
        [{ key: 'po-tenant', company: 'Fields Tenant', quantity: '21000', host_company: 'Fields Google' }],
        HEADER.filter((column) => column !== 'part_of'),
      ),
    );
    expect(withoutColumn.body).toMatchObject({ updated: 1, errors: [] });
    expect(await byKey('po-tenant')).toMatchObject({ quantity: 21_000, partOfId: (await byKey('po-fleet')).id });
    // The share back in the fleet, by the fleet's id this time.
    const rejoined = await upload(
      file([
        {
          key: 'po-share',
          company: 'Fields Anthropic',
          quantity: '30000',
          host_company: 'Fields Google',
          part_of: (await byKey('po-fleet')).id,
        },
      ]),
    );
    expect(rejoined.body).toMatchObject({ updated: 1, errors: [] });
    expect((await byKey('po-share')).partOfId).toBe((await byKey('po-fleet')).id);
    await expectRollupEqualsRebuild();
    // user: Google's fleet 100,000 − 30,000 − 21,000, the campus 45,000, the phase 5,000, the keyless whole
    // 8,000 − 2,000 and its part 2,000 (Google's own) = 107,000, with Anthropic's 30,000 and the tenant's 21,000;
    // owner: 100,000 + 50,000 + 8,000 = 158,000, all Google's.
    const user = await capacity('user');
    expect(user.series[google]).toEqual([107_000]);
    expect(user.series[anthropic]).toEqual([30_000]);
    expect(user.total).toBe(158_000);
    const owner = await capacity('owner');
    expect(owner.series[google]).toEqual([158_000]);
    expect(owner.total).toBe(158_000);
  });

  it('follows the ledger as the import leaves it: a whole becomes a part once a later row moves its part, into a new whole', async () => {
    // The campus (a whole with the phase) becomes a part of a new site total (line 3, after it) once the phase moves
    // to the fleet (line 4): one row at a time, the campus would still have its part.
    const csv = file([
      { key: 'po-campus', quantity: '50000', part_of: 'po-site' },
      { key: 'po-site', quantity: '70000' },
      { key: 'po-phase', quantity: '5000', part_of: 'po-fleet' },
    ]);
    const imported = await upload(csv);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ created: 1, updated: 2, errors: [] });
    const site = await byKey('po-site');
    expect((await byKey('po-campus')).partOfId).toBe(site.id);
    expect((await byKey('po-phase')).partOfId).toBe((await byKey('po-fleet')).id);
    expect((await upload(csv)).body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    await expectRollupEqualsRebuild();
    // user, Google: fleet 100,000 − 30,000 − 21,000 − 5,000 = 44,000, the phase 5,000, the site 70,000 − 50,000,
    // the campus 50,000, the keyless whole 6,000 and its part 2,000 = 127,000; owner: 100,000 + 70,000 + 8,000.
    const user = await capacity('user');
    expect(user.series[google]).toEqual([127_000]);
    expect(user.total).toBe(178_000);
    const owner = await capacity('owner');
    expect(owner.series[google]).toEqual([178_000]);
    expect(owner.total).toBe(178_000);
  });

  it('refuses each broken rule of wholes and parts in the report, naming part_of and the line, and writes nothing', async () => {
    const cancelled = (await create({ key: 'po-cancelled', status: 'cancelled', deliveryFrom: '2031-Q1', deliveryBy: '2031-Q1' })).body;
    const deleted = (await create({ key: 'po-deleted', deliveryFrom: '2031-Q1', deliveryBy: '2031-Q1' })).body;
    expect((await call('DELETE', `/api/commitments/${deleted.id}`)).status).toBe(204);
    expect(cancelled.status).toBe('cancelled');
    const cases: [Row[], { line: number; field: string; message: string }[]][] = [
      [[{ key: 'po-x', quantity: '10', part_of: 'po-x' }], [{ line: 2, field: 'part_of', message: 'a record cannot be a part of itself' }]],
      [
        [{ key: 'po-x', quantity: '10', part_of: 'po-share' }],
        [{ line: 2, field: 'part_of', message: 'the whole is itself a part of another record (one level only)' }],
      ],
      [
        [
          { key: 'po-x', quantity: '10', part_of: 'po-y' },
          { key: 'po-y', quantity: '10', part_of: 'po-site' },
        ],
        [
          { line: 2, field: 'part_of', message: 'the whole is itself a part of another record (one level only)' },
          { line: 3, field: 'part_of', message: 'this record has parts of its own, so it cannot be a part (one level only)' },
        ],
      ],
      [
        [{ key: 'po-fleet', quantity: '100000', part_of: 'po-site' }],
        [{ line: 2, field: 'part_of', message: 'this record has parts of its own, so it cannot be a part (one level only)' }],
      ],
      [[{ key: 'po-x', quantity: '10', part_of: 'po-cancelled' }], [{ line: 2, field: 'part_of', message: 'the whole is cancelled' }]],
      [
        [
          { key: 'po-x', quantity: '10', part_of: 'po-y' },
          { key: 'po-y', quantity: '10', status: 'cancelled' },
        ],
        [
          { line: 2, field: 'part_of', message: 'the whole is cancelled' },
          { line: 3, field: 'status', message: 'a whole with parts cannot be cancelled; release its parts first' },
        ],
      ],
      [
        [{ key: 'po-x', quantity: '10', part_of: 'po-deleted' }],
        [{ line: 2, field: 'part_of', message: 'commitment po-deleted was deleted' }],
      ],
      [
        [{ key: 'po-x', quantity: '10', part_of: 'po-nowhere' }],
        [{ line: 2, field: 'part_of', message: 'no row of the file and no record has the key or id po-nowhere' }],
      ],
      [
        [
          { key: 'po-x', quantity: '10', part_of: 'po-y' },
          { key: 'po-y', quantity: '10', accelerator: 'No Such Chip' },
        ],
        [
          // The file's line 4: each file below starts with a good row (po-fine, line 2).
          { line: 2, field: 'part_of', message: 'the row with key po-y (line 4) has errors' },
          { line: 3, field: 'accelerator', message: expect.stringContaining('unknown chip') as unknown as string },
        ],
      ],
      [
        [{ key: 'po-fleet', quantity: '100000', status: 'cancelled' }],
        [{ line: 2, field: 'status', message: 'a whole with parts cannot be cancelled; release its parts first' }],
      ],
    ];
    for (const [rows, errors] of cases) {
      const response = await upload(file([{ key: 'po-fine', quantity: '10' }, ...rows]));
      const shifted = errors.map((error) => expect.objectContaining({ ...error, line: error.line + 1 }));
      expect(response.status, JSON.stringify(rows)).toBe(422);
      expect(response.body.errors, JSON.stringify(rows)).toEqual(shifted);
      expect(response.body.created, JSON.stringify(rows)).toBe(0);
    }
    // Nothing of those files was written: not the good first row, not the new records.
    const listed = (await call('GET', '/api/commitments?q=po-&limit=100')).body.items.map((item: { key: string }) => item.key);
    expect(listed).not.toContain('po-fine');
    expect(listed).not.toContain('po-x');
    expect((await byKey('po-fleet')).quantity).toBe(100_000);
    await expectRollupEqualsRebuild();
  });
});
