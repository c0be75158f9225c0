import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOUNCEMENTS_HEADER, announcementRow } from '../support/announcement-rows.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// amountLow and amountHigh: the range of a record's primary amount, written through the API and the import, kept in
// its history and its export, refused with a 400 naming the field when it does not hold the amount.
let testApp: TestApp;
let analyst: Record<string, string>;
let companyId: string;
const call = (method: string, path: string, options: Parameters<typeof http>[3] = {}) =>
  http(testApp.baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });
const importCsv = (csv: string, dryRun = false) => call('POST', `/api/imports?dryRun=${dryRun}`, { text: csv, contentType: 'text/csv' });
const record = (fields: object) => ({
  companyId,
  acceleratorKind: 'gpu',
  announcedOn: '2024-03-01',
  status: 'announced',
  sources: [{ title: 'A report on ranges' }],
  ...fields,
});
/** The fields a 400 names. */
const refused = (response: { status: number; body: any }) => ({
  status: response.status,
  fields: (response.body.details ?? []).map((detail: { field: string }) => detail.field),
});

beforeAll(async () => {
  testApp = await startTestApp({ demoData: false });
  analyst = await testApp.as('analyst');
  const company = await call('POST', '/api/companies', { json: { name: 'Range Lab', kind: 'ai_lab', country: 'US' } });
  companyId = company.body.id;
});
afterAll(() => testApp.close());

describe('amountLow and amountHigh through the API', () => {
  it('keeps the bounds, shows them in the record and its history, and refuses bounds that do not hold the amount', async () => {
    const created = await call('POST', '/api/commitments', {
      json: record({ quantity: 350_000, amountLow: 300_000, amountHigh: 400_000 }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ quantity: 350_000, amountLow: 300_000, amountHigh: 400_000 });

    // Either bound alone; the bound of a stated figure is in that figure's unit.
    const stated = await call('POST', '/api/commitments', { json: record({ statedH100e: 600_000, amountHigh: 650_000 }) });
    expect([stated.status, stated.body.amountLow, stated.body.amountHigh]).toEqual([201, null, 650_000]);

    expect(refused(await call('POST', '/api/commitments', { json: record({ quantity: 100, amountLow: 101 }) }))).toEqual({
      status: 400,
      fields: ['amountLow'],
    });
    expect(refused(await call('POST', '/api/commitments', { json: record({ quantity: 100, amountHigh: 99 }) }))).toEqual({
      status: 400,
      fields: ['amountHigh'],
    });
    expect(refused(await call('POST', '/api/commitments', { json: record({ amountHigh: 10 }) }))).toEqual({
      status: 400,
      fields: ['amountHigh'],
    });
    expect(refused(await call('POST', '/api/commitments', { json: record({ statedPowerMw: 5, amountLow: -1 }) }))).toEqual({
      status: 400,
      fields: ['amountLow'],
    });
    expect(refused(await call('POST', '/api/commitments', { json: record({ quantity: 5, amountLow: 'many' }) }))).toEqual({
      status: 400,
      fields: ['amountLow'],
    });
    // In a batch, the refusal names the item.
    const batch = await call('POST', '/api/commitments/batch', {
      json: { items: [record({ quantity: 5 }), record({ quantity: 5, amountLow: 6 })] },
    });
    expect(refused(batch)).toEqual({ status: 400, fields: ['items[1].amountLow'] });

    // A change is checked against the record as it will be: a quantity below the kept low, or no amount left.
    const id = created.body.id as string;
    expect(refused(await call('PATCH', `/api/commitments/${id}`, { json: { version: 1, quantity: 250_000 } }))).toEqual({
      status: 400,
      fields: ['amountLow'],
    });
    expect(refused(await call('PATCH', `/api/commitments/${id}`, { json: { version: 1, quantity: null } }))).toEqual({
      status: 400,
      fields: ['amountLow'],
    });
    const widened = await call('PATCH', `/api/commitments/${id}`, { json: { version: 1, amountLow: 250_000, amountHigh: null } });
    expect([widened.status, widened.body.amountLow, widened.body.amountHigh, widened.body.version]).toEqual([200, 250_000, null, 2]);

    const history = (await call('GET', `/api/commitments/${id}/history`)).body as any[];
    const update = history.find((entry) => entry.action === 'update');
    expect([update.before.amountLow, update.before.amountHigh, update.after.amountLow, update.after.amountHigh]).toEqual([
      300_000,
      400_000,
      250_000,
      null,
    ]);
  });
});

describe('amount_low and amount_high in CSV', () => {
  const base = {
    company: 'Range Lab',
    accelerator: 'H100 SXM',
    announced_on: '2024-03-01',
    status: 'announced',
    source_title: 'An imported range',
  };
  const file = (...rows: string[]) => [ANNOUNCEMENTS_HEADER, ...rows].join('\n') + '\n';

  it('imports the bounds, names the column of a bound that does not hold, and exports them back unchanged', async () => {
    const bad = await importCsv(
      file(
        announcementRow({
          ...base,
          key: 'range-ok',
          quantity: '20000',
          quantity_qualifier: 'approximate',
          amount_low: '18000',
          amount_high: '25000',
        }),
        announcementRow({ ...base, key: 'range-above', quantity: '20000', amount_low: '21000' }),
        announcementRow({ ...base, key: 'range-no-amount', amount_high: '5' }),
        announcementRow({ ...base, key: 'range-text', quantity: '20000', amount_high: 'lots' }),
      ),
      true,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((error: { line: number; field: string }) => [error.line, error.field])).toEqual([
      [3, 'amount_low'],
      [4, 'amount_high'],
      [5, 'amount_high'],
    ]);

    const good = await importCsv(
      file(
        announcementRow({
          ...base,
          key: 'range-ok',
          quantity: '20000',
          quantity_qualifier: 'approximate',
          amount_low: '18000',
          amount_high: '25000',
        }),
      ),
    );
    expect(good.body).toMatchObject({ created: 1, errors: [] });
    const exported = await call('GET', '/api/commitments/export?format=json&q=range-ok');
    expect(exported.body).toEqual([expect.objectContaining({ key: 'range-ok', quantity: 20000, amount_low: 18000, amount_high: 25000 })]);

    const csv = await fetch(`${testApp.baseUrl}/api/commitments/export?format=csv&q=range-ok`, { headers: analyst });
    const text = await csv.text();
    expect(text.split('\n')[0].split(',').slice(6, 12)).toEqual([
      'quantity',
      'quantity_qualifier',
      'stated_h100e',
      'stated_power_mw',
      'amount_low',
      'amount_high',
    ]);
    // The export imports back as it is: nothing changes.
    expect((await importCsv(text)).body).toMatchObject({ created: 0, updated: 0, unchanged: 1, errors: [] });

    // A file with the bound columns leaves them empty: the bounds go, and any quantity holds.
    const cleared = await importCsv(file(announcementRow({ ...base, key: 'range-ok', quantity: '30000' })), true);
    expect(cleared.body).toMatchObject({ updated: 1, errors: [] });
    // A file without them keeps the stored bounds, and a quantity outside them is refused on the bound it breaks.
    const header = 'key,company,accelerator,announced_on,status,source_title,quantity';
    const kept = await importCsv(`${header}\nrange-ok,Range Lab,H100 SXM,2024-03-01,announced,An imported range,30000\n`, true);
    expect(kept.body.errors.map((error: { line: number; field: string }) => [error.line, error.field])).toEqual([[2, 'amount_high']]);
  });
});
