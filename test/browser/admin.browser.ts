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

    const role = page.getByLabel('Role of new.analyst@ledger.test');
    await role.selectOption('viewer');
    await expect.poll(async () => (await signIn(NEW_USER.password)).body.user?.role).toBe('viewer');
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
    expect(entry.slice(1)).toEqual(['analyst@ledger.test', 'Update', `commitment ${mistral.id.slice(0, 8)}`, 'quantity18000 → 18500']);

    // The user changes of the test before, newest first: the refused demotion left no entry.
    await page.getByLabel('Record type').selectOption('user');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('3 entries, page 1 of 1');
    const [, ...userEntries] = await tableCells(page.getByTestId('audit'));
    expect(userEntries.map((cells) => cells.slice(1))).toEqual([
      ['admin@ledger.test', 'Update', expect.stringMatching(/^user [0-9a-f]{8}$/), 'disabledtrue → false'],
      ['admin@ledger.test', 'Update', expect.stringMatching(/^user [0-9a-f]{8}$/), 'disabledfalse → true'],
      ['admin@ledger.test', 'Update', expect.stringMatching(/^user [0-9a-f]{8}$/), 'roleanalyst → viewer'],
    ]);

    // The whole trail, 25 entries a page, newest first. At start: the first admin, 19 chips of the catalog,
    // 11 companies and 15 commitments imported with the demo data and 1 supersession = 47; since: 2 users created
    // (the analyst, the new analyst), 3 updates and a password reset of one, 1 commitment update = 54.
    await page.getByLabel('Record type').selectOption('');
    await page.getByLabel('Action').selectOption('');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('54 entries, page 1 of 3');
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/audit?page=2`);
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('54 entries, page 2 of 3');
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('54 entries, page 3 of 3');
    const [, ...oldest] = await tableCells(page.getByTestId('audit'));
    expect(oldest).toHaveLength(4);
    expect(oldest[3].slice(1, 3)).toEqual(['system', 'Create']);
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
