import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { openSignedInPage, tableCells } from '../support/browser-page.js';
import { http, startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app.js';

const NEW_USER = { email: 'new.analyst@ledger.test', password: 'a long enough password' };
const UPDATE_CELLS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;

describe('the admin pages in a browser', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true, publicRead: true, rateLimits: { loginPerMinute: 0 } });
    browser = await launchChromium();
    await testApp.session('analyst');
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('creates a user, changes the role, disables, resets the password and refuses to demote the last admin', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('admin'));
    await page.goto(`${testApp.baseUrl}/users`);
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Email').fill(NEW_USER.email);
    await form.getByLabel('Password').fill(NEW_USER.password);
    await form.getByLabel('Role').selectOption('analyst');
    await form.getByRole('button', { name: 'Create user' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Created new.analyst@ledger.test (analyst).');
    await expect
      .poll(async () => (await tableCells(page.getByTestId('users'))).map((row) => row.slice(0, 3)))
      .toEqual([
        ['Email', 'Role', 'Status'],
        ['admin@ledger.testyou', 'vieweranalystadmin', 'active'],
        ['analyst@ledger.test', 'vieweranalystadmin', 'active'],
        ['new.analyst@ledger.test', 'vieweranalystadmin', 'active'],
      ]);
    const signIn = (password: string) => http(testApp.baseUrl, 'POST', '/api/auth/login', { json: { email: NEW_USER.email, password } });
    expect((await signIn(NEW_USER.password)).body.user.role).toBe('analyst');

    // A role change asks first: cancelled, nothing changes; confirmed, it applies.
    const role = page.getByLabel('Role of new.analyst@ledger.test');
    await role.selectOption('viewer');
    const question = page.getByRole('group', { name: /^Make new\.analyst@ledger\.test a viewer instead of an analyst\?/ });
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await role.inputValue()).toBe('analyst');
    expect((await signIn(NEW_USER.password)).body.user.role).toBe('analyst');
    await role.selectOption('viewer');
    await question.getByRole('button', { name: 'Change role' }).click();
    await expect.poll(async () => (await signIn(NEW_USER.password)).body.user?.role).toBe('viewer');
    await expect.poll(() => question.count()).toBe(0);
    expect(await role.inputValue()).toBe('viewer');

    await page.getByRole('button', { name: 'Disable new.analyst@ledger.test' }).click();
    await page.getByRole('button', { name: 'Enable new.analyst@ledger.test' }).waitFor();
    expect(await page.getByTestId('user-new.analyst@ledger.test').locator('td').nth(2).textContent()).toBe('disabled');
    const refused = await signIn(NEW_USER.password);
    expect([refused.status, refused.body.message]).toEqual([401, 'This account is disabled']);

    await page.getByRole('button', { name: 'Enable new.analyst@ledger.test' }).click();
    await page.getByRole('button', { name: 'Disable new.analyst@ledger.test' }).waitFor();
    const row = page.getByTestId('user-new.analyst@ledger.test');
    await row.getByRole('button', { name: 'Reset password' }).click();
    await row.getByLabel('New password for new.analyst@ledger.test').fill('another long password');
    await row.getByRole('button', { name: 'Set password' }).click();
    await row.getByRole('button', { name: 'Reset password' }).waitFor();
    expect((await signIn(NEW_USER.password)).status).toBe(401);
    expect((await signIn('another long password')).status).toBe(200);

    // The server keeps one enabled admin: the 409 is shown and the role stays as it is.
    const adminRole = page.getByLabel(`Role of ${TEST_ADMIN.email}`);
    await adminRole.selectOption('viewer');
    await page.getByTestId(`user-${TEST_ADMIN.email}`).getByRole('button', { name: 'Change role' }).click();
    await expect
      .poll(() => page.getByTestId(`user-${TEST_ADMIN.email}`).getByRole('alert').textContent())
      .toBe('This cannot be done: this is the last enabled admin: make another admin first.');
    expect(await adminRole.inputValue()).toBe('admin');
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    await page.close();
  });

  it('shows a change made through the API in the audit trail, with who, what and the values before and after', async () => {
    const analyst = await testApp.as('analyst');
    const list = await http(testApp.baseUrl, 'GET', '/api/commitments?q=mistral', { headers: analyst });
    const [mistral] = list.body.items as { id: string; version: number }[];
    const changed = await http(testApp.baseUrl, 'PATCH', `/api/commitments/${mistral.id}`, {
      json: { version: mistral.version, quantity: 18500 },
      headers: analyst,
    });
    expect(changed.status).toBe(200);

    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('admin'));
    await page.goto(`${testApp.baseUrl}/audit`);
    await page.getByTestId('audit').waitFor();
    await page.getByLabel('Record type').selectOption('commitment');
    await page.getByLabel('Action').selectOption('update');
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/audit?entityType=commitment&action=update`);
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('1 entry, page 1 of 1');
    const [header, entry] = await tableCells(page.getByTestId('audit'));
    expect(header).toEqual(['When', 'Who', 'Action', 'Record', 'Changes']);
    expect(entry[0]).toMatch(UPDATE_CELLS);
    // Names, not ids: the record as company · chip · amount, the field by its label.
    expect(entry.slice(1)).toEqual(['analyst@ledger.test', 'Update', 'Mistral AI · GB200 · 18,500', 'Quantity18000 → 18500']);

    // The user changes of the test before, newest first, each user by their email: the refused demotion left no entry.
    await page.getByLabel('Record type').selectOption('user');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('3 entries, page 1 of 1');
    const [, ...userEntries] = await tableCells(page.getByTestId('audit'));
    expect(userEntries.map((cells) => cells.slice(1))).toEqual([
      ['admin@ledger.test', 'Update', NEW_USER.email, 'Disabledtrue → false'],
      ['admin@ledger.test', 'Update', NEW_USER.email, 'Disabledfalse → true'],
      ['admin@ledger.test', 'Update', NEW_USER.email, 'Roleanalyst → viewer'],
    ]);

    // The whole trail, 25 entries a page, newest first. At start: the first admin and the 19 chips of the catalog
    // (20 entries), then the demo import (11 companies, 15 commitments and 1 supersession: 27 entries in one write);
    // since: 2 users created (the analyst, the new analyst), 3 updates and a password reset of one, 1 commitment
    // update = 54. The import is one row with its count, whichever pages its entries fall on.
    await page.getByLabel('Record type').selectOption('');
    await page.getByLabel('Action').selectOption('');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('54 entries, page 1 of 3');
    const [, ...newest] = await tableCells(page.getByTestId('audit'));
    expect(newest).toHaveLength(7 + 1);
    expect(newest[7].slice(1, 4)).toEqual(['system', 'Import', '27 entries in one file']);
    const group = page.getByTestId('import-group');
    await group.getByRole('button', { name: 'Show the 27 entries' }).click();
    await expect.poll(async () => (await tableCells(page.getByTestId('audit'))).length).toBe(1 + 8 + 27);
    const [, ...unfolded] = await tableCells(page.getByTestId('audit'));
    // Tesla's 50k revises the 35k: the supersession names both records.
    expect(unfolded.map((cells) => cells.slice(2)).find((cells) => cells[0] === 'Supersede')).toEqual([
      'Supersede',
      'Tesla · H100 SXM · 35,000',
      'Superseded by Tesla · H100 SXM · 50,000',
    ]);
    expect(unfolded.filter((cells) => cells[2] === 'Import').map((cells) => cells[3])).toContain('Meta · H100 SXM · 350,000');

    // Past the page that ends in the import, the older entries come next: the catalog and the first admin.
    await page.getByRole('button', { name: 'Older than this import' }).click();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('20 entries, page 1 of 1');
    const [, ...oldest] = await tableCells(page.getByTestId('audit'));
    expect(oldest).toHaveLength(20);
    expect(oldest[19].slice(1, 4)).toEqual(['system', 'Create', TEST_ADMIN.email]);
    expect(oldest[0].slice(1, 4)).toEqual(['system', 'Create', expect.any(String)]);
    expect(await page.getByRole('button', { name: 'Older', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('54 entries, page 1 of 3');

    // The export: the trail the filters select, with names.
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export these entries (CSV)' }).click();
    const file = await downloaded;
    expect(file.suggestedFilename()).toBe('audit.csv');
    const lines = (await new Response(await file.createReadStream()).text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,at,actor,action,record_type,record_id,record,changed,before,after');
    expect(lines.some((line) => line.includes(',update,commitment,') && line.includes('Mistral AI · GB200 · 18,500'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
