import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityResponse } from '../../src/contracts/capacity.js';
import { rebuildCapacityRollup } from '../../src/database/capacity-rollup.js';
import { ANNOUNCEMENTS_HEADER, announcementRow } from '../support/announcement-rows.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const HEADER = ANNOUNCEMENTS_HEADER;

let testApp: TestApp;
let analyst: Record<string, string>;
const call = (method: string, path: string, options: Parameters<typeof http>[3] = {}) =>
  http(testApp.baseUrl, method, path, { ...options, headers: { ...analyst, ...options.headers } });
const importCsv = (rows: string[]) => call('POST', '/api/imports', { text: [HEADER, ...rows].join('\n') + '\n', contentType: 'text/csv' });
const query = <T>(sql: string, parameters: unknown[] = []) => testApp.app.get(DataSource).query(sql, parameters) as Promise<T[]>;

beforeAll(async () => {
  testApp = await startTestApp({ demoData: false });
  analyst = await testApp.as('analyst');
});
afterAll(() => testApp.close());

const row = announcementRow;

/**
 * Records in twins: side `a` is changed by an import, side `b` the same way through `PATCH`, one record at a time in
 * the order the import writes them. Each index changes one thing (by `index % 5`): 0 the quantity, 1 the source, 2
 * starts superseding its target, 3 stops superseding it (the target's quantity changes too, on a line before or
 * after), 4 the status and delivery.
 */
const RECORDS = 250;
const kindOf = (index: number) => index % 5;
const hasTarget = (index: number) => kindOf(index) === 2 || kindOf(index) === 3;

function recordRow(side: 'a' | 'b', index: number, changed: boolean): string {
  const kind = kindOf(index);
  const target = `target-${side}-${index}`;
  return row({
    key: `record-${side}-${index}`,
    company: `Twin ${side.toUpperCase()} Co ${index % 4}`,
    company_kind: 'ai_lab',
    country: 'US',
    accelerator: ['H100 SXM', 'B200', 'MI300X'][index % 3],
    quantity: String(1000 + index + (changed && kind === 0 ? 500 : 0)),
    announced_on: `2024-${String(1 + (index % 12)).padStart(2, '0')}-10`,
    delivery_by: changed && kind === 4 ? '2026-Q1' : '2025-Q2',
    status: changed && kind === 4 ? 'confirmed' : 'announced',
    supersedes: (kind === 2 && changed) || (kind === 3 && !changed) ? target : '',
    source_url: `https://example.org/${index}`,
    source_title: changed && kind === 1 ? `Revised report ${index}` : `Report ${index}`,
    source_publisher: 'Wire',
  });
}

function targetRow(side: 'a' | 'b', index: number, changed: boolean): string {
  return row({
    key: `target-${side}-${index}`,
    company: `Twin ${side.toUpperCase()} Co ${index % 4}`,
    accelerator: 'H100 SXM',
    quantity: String(100 + index + (changed ? 7 : 0)),
    announced_on: '2023-06-01',
    status: 'announced',
    source_title: `Target ${index}`,
  });
}

describe('an import that changes a few hundred records', () => {
  it('writes each change, its versions, audit entries and capacity as PATCH does one record at a time', { timeout: 120_000 }, async () => {
    const indexes = Array.from({ length: RECORDS }, (_, index) => index);
    const setUp = (['a', 'b'] as const).flatMap((side) =>
      indexes.flatMap((index) => [...(hasTarget(index) ? [targetRow(side, index, false)] : []), recordRow(side, index, false)]),
    );
    expect((await importCsv(setUp)).body).toMatchObject({ created: 700, errors: [] });
    const ids = new Map(
      (await query<{ id: string; key: string }>('SELECT id, external_key AS key FROM commitments')).map((r) => [r.key, r.id]),
    );
    const [{ mark }] = await query<{ mark: number }>('SELECT max(id)::integer AS mark FROM audit_entries');

    // The file: every record of side a, changed; the targets of those that stop superseding changed on the line
    // before them (even indexes) or after them (odd ones), so their `supersededById` before the change differs.
    const lines: { key: string; csv: string }[] = [];
    for (const index of indexes) {
      const target = { key: `target-a-${index}`, csv: targetRow('a', index, kindOf(index) === 3) };
      if (hasTarget(index) && index % 2 === 0) lines.push(target);
      lines.push({ key: `record-a-${index}`, csv: recordRow('a', index, true) });
      if (hasTarget(index) && index % 2 === 1) lines.push(target);
    }
    const changed = lines.filter((line) => !line.key.startsWith('target-') || kindOf(Number(line.key.split('-')[2])) === 3);
    const report = await importCsv(lines.map((line) => line.csv));
    expect(report.body).toEqual({ rows: 350, valid: 350, created: 0, updated: 300, unchanged: 50, errors: [] });

    // The twins, in the order the import writes: the rows that supersede nothing, then those that supersede a record.
    const superseding = (key: string) => key.startsWith('record-') && kindOf(Number(key.split('-')[2])) === 2;
    const twinOrder = [...changed.filter((line) => !superseding(line.key)), ...changed.filter((line) => superseding(line.key))];
    for (const { key } of twinOrder) {
      const id = ids.get(key.replace('-a-', '-b-'))!;
      const current = (await call('GET', `/api/commitments/${id}`)).body;
      const index = Number(key.split('-')[2]);
      const changes = key.startsWith('target-')
        ? { quantity: current.quantity + 7 }
        : [
            { quantity: current.quantity + 500 },
            { sources: [{ ...current.sources[0], title: `Revised report ${index}` }] },
            { supersedesId: ids.get(`target-b-${index}`) },
            { supersedesId: null },
            { status: 'confirmed', deliveryBy: '2026-Q1' },
          ][kindOf(index)];
      const patched = await call('PATCH', `/api/commitments/${id}`, { json: { version: current.version, ...changes } });
      expect([key, patched.status]).toEqual([key, 200]);
    }

    // Side b written as side a reads, to compare: ids, keys and company names of b as those of a.
    const twinIds = new Map([...ids].filter(([key]) => key.includes('-b-')).map(([key, id]) => [id, ids.get(key.replace('-b-', '-a-'))!]));
    const companies = (await call('GET', '/api/companies')).body as { id: string; name: string }[];
    for (const company of companies.filter((item) => item.name.startsWith('Twin B'))) {
      twinIds.set(company.id, companies.find((item) => item.name === company.name.replace('Twin B', 'Twin A'))!.id);
    }
    const asSideA = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value)
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => twinIds.get(id) ?? id)
          .replace(/-b-(\d+)/g, '-a-$1')
          .replace(/Twin B Co/g, 'Twin A Co'),
      );

    const entries = await query<{ action: string; entityId: string; before: any; after: any; actor: string }>(
      `SELECT e.action, e.entity_id AS "entityId", e.before, e.after, u.email AS actor
       FROM audit_entries e LEFT JOIN users u ON u.id = e.actor_id WHERE e.id > $1 ORDER BY e.id`,
      [mark],
    );
    const sideOf = (entry: { entityId: string }) => (twinIds.has(entry.entityId) ? 'b' : 'a');
    // The time of the change is the only thing that differs: the import's and each PATCH's transaction.
    const withoutTime = ({ after, ...entry }: (typeof entries)[number]) => ({
      ...entry,
      after: after?.updatedAt ? { ...after, updatedAt: 'changed' } : after,
    });
    const imported = entries.filter((entry) => sideOf(entry) === 'a').map(withoutTime);
    const patched = entries.filter((entry) => sideOf(entry) === 'b').map((entry) => asSideA(withoutTime(entry)));
    const count = (action: string) => imported.filter((entry) => entry.action === action).length;
    expect([imported.length, count('import'), count('supersede')]).toEqual([400, 300, 100]);
    expect(imported.every((entry) => entry.actor === 'analyst@ledger.test')).toBe(true);
    expect(patched.map((entry) => ({ ...entry, action: entry.action === 'update' ? 'import' : entry.action }))).toEqual(imported);

    // A few records by hand: the versions, the values, and who supersedes whom.
    const record = async (key: string) => (await call('GET', `/api/commitments/${ids.get(key)}`)).body;
    expect(await record('record-a-0')).toMatchObject({ quantity: 1500, version: 2, metrics: { units: 1500, h100e: 1500 } });
    expect((await record('record-a-1')).sources).toEqual([
      { url: 'https://example.org/1', title: 'Revised report 1', publisher: 'Wire', publishedOn: null, language: null, quote: null },
    ]);
    expect(await record('record-a-2')).toMatchObject({ supersedesId: ids.get('target-a-2'), version: 2 });
    expect(await record('target-a-2')).toMatchObject({ supersededById: ids.get('record-a-2'), version: 1 });
    expect(await record('record-a-3')).toMatchObject({ supersedesId: null, version: 2 });
    expect(await record('target-a-3')).toMatchObject({ supersededById: null, quantity: 110, version: 2 });
    expect(await record('record-a-4')).toMatchObject({ status: 'confirmed', window: { from: '2024-Q2', to: '2026-Q1' }, version: 2 });
    // The target changed on the line before the record that stops superseding it was still superseded then.
    const targetEntry = (key: string) => imported.find((entry) => entry.entityId === ids.get(key) && entry.action === 'import')!;
    expect(targetEntry('target-a-8').before.supersededById).toBe(ids.get('record-a-8'));
    expect(targetEntry('target-a-3').before.supersededById).toBeNull();

    // Capacity: each side answers alike, the sum of what counts, and the rollup equals a rebuild.
    const companyIds = (side: string) =>
      companies
        .filter((item) => item.name.startsWith(`Twin ${side}`))
        .map((item) => `companyId=${item.id}`)
        .join('&');
    for (const parameters of ['metric=units', 'metric=h100e&basis=announced', 'metric=power_mw&groupBy=chip']) {
      const [sideA, sideB] = await Promise.all(
        ['A', 'B'].map(async (side) => (await call('GET', `/api/capacity?${parameters}&${companyIds(side)}`)).body as CapacityResponse),
      );
      expect(asSideA(sideB)).toEqual(sideA);
    }
    const units = (await call('GET', `/api/capacity?metric=units&${companyIds('A')}`)).body as CapacityResponse;
    const counted = indexes.reduce(
      (sum, index) => sum + 1000 + index + (kindOf(index) === 0 ? 500 : 0) + (kindOf(index) === 3 ? 100 + index + 7 : 0),
      0,
    );
    expect(units.total).toBe(counted);
    const runner = testApp.app.get(DataSource).createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const rollup = 'SELECT * FROM capacity_rollup ORDER BY basis, company_id, accelerator_id, accelerator_kind, status, quarter';
      const kept = await runner.query(rollup);
      await rebuildCapacityRollup(runner.manager);
      expect(await runner.query(rollup)).toEqual(kept);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
