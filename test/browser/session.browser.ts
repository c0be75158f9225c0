import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { fillSignIn, navigationLinks, openSignedInPage, openWatchedPage, refreshCookieIn, signInBrowser } from '../support/browser-page.js';
import { http, startTestApp, TEST_ADMIN, testAccount, type TestApp } from '../support/test-app.js';

const READER_PAGES = ['Dashboard', 'Commitments'];
const ANALYST_PAGES = [...READER_PAGES, 'Inbox', 'New entry', 'New record', 'Import', 'Companies', 'Chips'];
const ADMIN_PAGES = [...ANALYST_PAGES, 'Users', 'Audit', 'Webhooks'];

describe('signing in and out, and what each role sees, with the dashboard open to visitors', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let teslaId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true, publicRead: true, rateLimits: { loginPerMinute: 0 } });
    browser = await launchChromium();
    await Promise.all([testApp.session('viewer'), testApp.session('analyst')]);
    const analyst = await testApp.as('analyst');
    const list = await http(testApp.baseUrl, 'GET', '/api/commitments?q=tesla&sort=announcedOn', { headers: analyst });
    teslaId = list.body.items[1].id;
    const changed = await http(testApp.baseUrl, 'PATCH', `/api/commitments/${teslaId}`, {
      json: { version: 1, notes: 'Counted at the <b>Cortex</b> site' },
      headers: analyst,
    });
    expect(changed.status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  // Each test starts from a browser nobody is signed in to (a sign-in lasts across tabs).
  beforeEach(() => browser.context.clearCookies());

  it('lets a visitor read a record without its history, then signs in and comes back to it with the history', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments/${teslaId}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tesla: 50,000 H100 SXM');
    // Text from users is shown as text, never as markup.
    expect(await page.getByTestId('commitment-facts').locator('dd').last().textContent()).toBe('Counted at the <b>Cortex</b> site');
    expect(await navigationLinks(page)).toEqual(READER_PAGES);
    expect(await page.getByRole('heading', { name: 'Change history' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${testApp.baseUrl}/login?next=%2Fcommitments%2F${teslaId}`);
    await fillSignIn(page, { email: testAccount('viewer').email, password: 'not the password' });
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong email or password.');

    await fillSignIn(page, testAccount('viewer'));
    await page.waitForURL(`${testApp.baseUrl}/commitments/${teslaId}`);
    await expect.poll(() => page.getByTestId('account').textContent()).toBe('viewer@ledger.testviewerSign out');
    await expect.poll(() => page.getByTestId('history').locator('li').count()).toBe(2);
    const [created, updated] = await page.getByTestId('history').locator('li').all();
    expect(await created.locator('p').textContent()).toMatch(/^Import by the system, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(await updated.locator('p').textContent()).toMatch(/^Update by analyst@ledger\.test, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(await updated.locator('.changes').textContent()).toBe(
      'Notesrevises the earlier fleet figure → Counted at the <b>Cortex</b> site',
    );
    expect(await navigationLinks(page)).toEqual(READER_PAGES);
    // The visitor's refused password is a 401 Chromium logs; nothing else went wrong.
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    await page.close();
  });

  it('shows an analyst the entry, import and catalog pages and an admin also users and audit', async () => {
    const analyst = await openSignedInPage(browser.context, await testApp.session('analyst'));
    await analyst.page.goto(`${testApp.baseUrl}/commitments`);
    await expect.poll(() => analyst.page.getByTestId('account').textContent()).toBe('analyst@ledger.testanalystSign out');
    expect(await navigationLinks(analyst.page)).toEqual(ANALYST_PAGES);
    await analyst.page.goto(`${testApp.baseUrl}/users`);
    await expect
      .poll(() => analyst.page.getByRole('alert').textContent())
      .toBe('This page needs the admin role; you are signed in as analyst.');
    expect(analyst.problems).toEqual([]);
    await analyst.page.close();

    await browser.context.clearCookies();
    const admin = await openWatchedPage(browser.context);
    await admin.page.goto(`${testApp.baseUrl}/login`);
    expect(await navigationLinks(admin.page)).toEqual(READER_PAGES);
    await fillSignIn(admin.page, TEST_ADMIN);
    await admin.page.waitForURL(`${testApp.baseUrl}/`);
    await expect.poll(() => navigationLinks(admin.page)).toEqual(ADMIN_PAGES);
    expect(admin.problems).toEqual([]);
    await admin.page.close();
  });

  it('signs out: the menu goes back to a visitor’s, the sign-in ends on the server and admin pages ask for a sign-in', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('admin'));
    await page.goto(`${testApp.baseUrl}/users`);
    await page.getByTestId('users').waitFor();
    const cookie = await refreshCookieIn(browser.context);
    expect(cookie).toMatch(/^[0-9a-f-]{36}\./);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${testApp.baseUrl}/login`);
    expect(await navigationLinks(page)).toEqual(READER_PAGES);
    expect(await refreshCookieIn(browser.context)).toBeUndefined();
    const reused = await http(testApp.baseUrl, 'POST', '/api/auth/refresh', { headers: { cookie: `ledger_refresh=${cookie}` } });
    expect(reused.status).toBe(401);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Commitments' }).click();
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('15 records, page 1 of 2');
    await page.goto(`${testApp.baseUrl}/audit`);
    await page.waitForURL(`${testApp.baseUrl}/login?next=%2Faudit`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('treats a sign-in ended elsewhere as a session that ended: sign-in, then the same page again', async () => {
    // The browser's sign-in, ended by the server (as by a sign-out in another browser, a reset or a disabled account).
    const ended = await signInBrowser(browser.context, await testApp.session('admin'));
    expect((await http(testApp.baseUrl, 'POST', '/api/auth/logout', { headers: ended.headers })).status).toBe(204);
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/audit?entityType=user`);
    await page.waitForURL(`${testApp.baseUrl}/login?next=%2Faudit%3FentityType%3Duser&expired=1`);
    await page.getByTestId('session-expired').waitFor();
    expect(await navigationLinks(page)).toEqual(READER_PAGES);
    await fillSignIn(page, TEST_ADMIN);
    await page.waitForURL(`${testApp.baseUrl}/audit?entityType=user`);
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('3 entries, page 1 of 1');
    expect(new Set(problems)).toEqual(
      new Set(['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']),
    );
    await page.close();
  });

  it('changes the signed-in user’s own password: a wrong current one is named, then the new one signs in', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('viewer'));
    await page.goto(`${testApp.baseUrl}/`);
    await page.getByRole('link', { name: 'viewer@ledger.test' }).click();
    await page.waitForURL(`${testApp.baseUrl}/account`);
    await page.getByRole('link', { name: 'Change my password' }).click();
    await page.waitForURL(`${testApp.baseUrl}/account/password`);
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password (at least 12 characters)').fill('a brand new passphrase');
    await page.getByLabel('New password again').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The request was not accepted: Current password: the current password is wrong.');

    await page.getByLabel('Current password').fill(testAccount('viewer').password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Your password is changed. Other sessions of yours have ended.');
    // The page carries on with the new token; the old password no longer signs in, the new one does.
    const old = await http(testApp.baseUrl, 'POST', '/api/auth/login', { json: testAccount('viewer') });
    expect(old.status).toBe(401);
    const fresh = await http(testApp.baseUrl, 'POST', '/api/auth/login', {
      json: { email: testAccount('viewer').email, password: 'a brand new passphrase' },
    });
    expect(fresh.status).toBe(200);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Commitments' }).click();
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('15 records, page 1 of 2');
    expect(problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
    await page.close();
  });
});
