import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
