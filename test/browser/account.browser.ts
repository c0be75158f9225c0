import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { fillSignIn, navigationLinks, openWatchedPage, tableCells } from '../support/browser-page.js';
import { http, startTestApp, startWithGeneratedAdmin, TEST_ADMIN, testAccount, type TestApp } from '../support/test-app.js';

const READER_PAGES = ['Dashboard', 'Commitments'];
const ANALYST_PAGES = [...READER_PAGES, 'Inbox', 'New entry', 'New record', 'Import', 'Companies', 'Chips'];

describe('one sign-in for every tab of the browser, and the account page', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let recordId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true, publicRead: false, rateLimits: { loginPerMinute: 0 } });
    browser = await launchChromium();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: testApp.baseUrl });
    const analyst = await testApp.as('analyst');
    recordId = (await http(testApp.baseUrl, 'GET', '/api/commitments?q=tesla', { headers: analyst })).body.items[0].id;
    await testApp.session('viewer');
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  beforeEach(() => browser.context.clearCookies());

  async function signIn(account: { email: string; password: string }, path = '/') {
    const watched = await openWatchedPage(browser.context);
    await watched.page.goto(`${testApp.baseUrl}/login?next=${encodeURIComponent(path)}`);
    await fillSignIn(watched.page, account);
    await watched.page.waitForURL(`${testApp.baseUrl}${path}`);
    return watched;
  }

  it('keeps a record opened in a new tab signed in, and each tab keeps working after the other refreshed', async () => {
    const first = await signIn(testAccount('viewer'), '/commitments');
    await expect.poll(() => first.page.getByTestId('result-count').textContent()).toBe('15 records, page 1 of 2');

    // A new tab, as a middle click on a record opens one: the sign-in comes with it, and so does the history.
    const second = await openWatchedPage(browser.context);
    await second.page.goto(`${testApp.baseUrl}/commitments/${recordId}`);
    await expect.poll(() => second.page.getByTestId('account').textContent()).toBe('viewer@ledger.testviewerSign out');
    await expect.poll(() => second.page.getByTestId('history').locator('li').count()).toBeGreaterThan(0);
    const third = await openWatchedPage(browser.context);
    await third.page.goto(`${testApp.baseUrl}/commitments?q=oracle`);
    await expect.poll(() => third.page.getByTestId('result-count').textContent()).toBe('2 records, page 1 of 1');

    // The first tab carries on, and a reload of it stays signed in too.
    await first.page.getByLabel('Search companies, chips, sources and notes').fill('tesla');
    await expect.poll(() => first.page.getByTestId('result-count').textContent()).toBe('2 records, page 1 of 1');
    await first.page.reload();
    await expect.poll(() => first.page.getByTestId('account').textContent()).toBe('viewer@ledger.testviewerSign out');
    await expect.poll(() => first.page.getByTestId('result-count').textContent()).toBe('2 records, page 1 of 1');
    for (const tab of [first, second, third]) {
      expect(tab.problems).toEqual([]);
      await tab.page.close();
    }
  });

  it('signs every tab out when one signs out', async () => {
    const first = await signIn(testAccount('viewer'), '/commitments');
    const second = await openWatchedPage(browser.context);
    await second.page.goto(`${testApp.baseUrl}/commitments`);
    await expect.poll(() => second.page.getByTestId('account').textContent()).toBe('viewer@ledger.testviewerSign out');

    await second.page.getByRole('button', { name: 'Sign out' }).click();
    await second.page.waitForURL(`${testApp.baseUrl}/login`);
    // The other tab's next request is refused, and it cannot refresh: it asks for a sign-in.
    await first.page.getByLabel('Search companies, chips, sources and notes').fill('oracle');
    await first.page.waitForURL(`${testApp.baseUrl}/login?next=%2Fcommitments%3Fq%3Doracle&expired=1`);
    expect(new Set(first.problems)).toEqual(
      new Set(['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']),
    );
    expect(second.problems).toEqual([]);
    await first.page.close();
    await second.page.close();
  });

  it('creates an API token shown once with a copy button, lists it with its last use, and revokes it', async () => {
    const { page, problems } = await signIn(testAccount('analyst'));
    await page.getByRole('link', { name: 'analyst@ledger.test' }).click();
    await page.waitForURL(`${testApp.baseUrl}/account`);
    expect(await page.getByTestId('account-summary').textContent()).toBe('analyst@ledger.test, signed in as analyst');
    await page.getByTestId('api-tokens-empty').waitFor();
    // Roles up to the analyst's own.
    expect(await page.getByLabel('Role').locator('option').allTextContents()).toEqual(['viewer', 'analyst']);

    await page.getByLabel('Name').fill('BI pull');
    await page.getByLabel('Expires in (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token-value').textContent())!;
    expect(token).toMatch(/^cl_[\w-]{43}$/);
    expect(await page.getByTestId('new-token').locator('p').first().textContent()).toBe(
      'Token “BI pull”: copy it now, it is shown only this once.',
    );
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);

    // The token works for a script, with the role it was given.
    const bearer = { authorization: `Bearer ${token}` };
    expect((await http(testApp.baseUrl, 'GET', '/api/commitments', { headers: bearer })).status).toBe(200);
    expect((await http(testApp.baseUrl, 'POST', '/api/companies', { json: { name: 'BI Lab' }, headers: bearer })).status).toBe(403);

    await page.reload();
    const [header, row] = await tableCells(page.getByTestId('api-tokens'));
    expect(header).toEqual(['Name', 'Role', 'Created', 'Expires', 'Last used', 'Actions']);
    expect(row.slice(0, 2)).toEqual(['BI pull', 'viewer']);
    const created = Date.parse(row[2].replace(' UTC', 'Z').replace(' ', 'T'));
    const expires = Date.parse(row[3].replace(' UTC', 'Z').replace(' ', 'T'));
    expect(expires - created).toBe(30 * 86_400_000);
    expect(row[4]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(await page.getByTestId('new-token').count()).toBe(0);

    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke “BI pull” now' }).click();
    await page.getByTestId('api-tokens-empty').waitFor();
    expect((await http(testApp.baseUrl, 'GET', '/api/commitments', { headers: bearer })).status).toBe(401);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('updates a demoted user’s menus without a new sign-in', async () => {
    const { page, problems } = await signIn(testAccount('analyst'));
    await expect.poll(() => navigationLinks(page)).toEqual(ANALYST_PAGES);
    const analyst = await testApp.session('analyst');
    const admin = await testApp.as('admin');
    const demote = await http(testApp.baseUrl, 'PATCH', `/api/users/${analyst.user.id}`, { json: { role: 'viewer' }, headers: admin });
    expect(demote.status).toBe(200);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Commitments' }).click();
    await expect.poll(() => navigationLinks(page)).toEqual(READER_PAGES);
    await expect.poll(() => page.getByTestId('account').textContent()).toBe('analyst@ledger.testviewerSign out');
    await page.goto(`${testApp.baseUrl}/import`);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('This page needs the analyst role; you are signed in as viewer.');
    await http(testApp.baseUrl, 'PATCH', `/api/users/${analyst.user.id}`, { json: { role: 'analyst' }, headers: admin });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a generated first password in the browser', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let password: string;

  beforeAll(async () => {
    ({ testApp, password } = await startWithGeneratedAdmin(TEST_ADMIN.email));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('takes the first sign-in to the password page, then on to where the user was going', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/login?next=%2Fusers`);
    await fillSignIn(page, { email: TEST_ADMIN.email, password });
    await page.waitForURL(`${testApp.baseUrl}/account/password?required=1&next=%2Fusers`);
    await page.getByTestId('password-change-required').waitFor();
    await page.getByLabel('Current password').fill(password);
    await page.getByLabel('New password (at least 12 characters)').fill('the admin’s own passphrase');
    await page.getByLabel('New password again').fill('the admin’s own passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(`${testApp.baseUrl}/users`);
    await expect.poll(() => page.getByTestId('users').locator('tbody tr').count()).toBe(1);
    // The refused reads of the page the user first landed on are the only console errors.
    expect(new Set(problems)).toEqual(new Set(['console: Failed to load resource: the server responded with a status of 403 (Forbidden)']));
    await page.close();
  });
});
