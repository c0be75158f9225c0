import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { fillSignIn, navigationLinks, openWatchedPage } from '../support/browser-page.js';
import { startTestApp, testAccount, type TestApp } from '../support/test-app.js';

/** Long enough to sign in and load a page on a busy machine, short enough to wait out. */
const TOKEN_TTL_SECONDS = 8;
const REFUSED = 'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)';

describe('a server that keeps everything behind a sign-in, with short sessions', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;

  beforeAll(async () => {
    testApp = await startTestApp({
      demoData: true,
      publicRead: false,
      tokenTtlSeconds: TOKEN_TTL_SECONDS,
      rateLimits: { loginPerMinute: 0 },
    });
    browser = await launchChromium();
    await testApp.session('viewer');
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  // Each test starts from a browser nobody is signed in to (a sign-in lasts across tabs).
  beforeEach(() => browser.context.clearCookies());

  it('sends a visitor whose read is refused to sign-in, then to the page they asked for', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments?q=tesla`);
    await page.waitForURL(`${testApp.baseUrl}/login?next=%2Fcommitments%3Fq%3Dtesla`);
    expect(await page.getByTestId('session-expired').count()).toBe(0);
    await fillSignIn(page, testAccount('viewer'));
    await page.waitForURL(`${testApp.baseUrl}/commitments?q=tesla`);
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('2 records, page 1 of 1');
    expect(await navigationLinks(page)).toEqual(['Dashboard', 'Commitments']);
    expect(new Set(problems)).toEqual(new Set([REFUSED]));
    await page.close();
  });

  it('brings a user whose session expired back to sign-in, then back to where they were', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/login`);
    await fillSignIn(page, testAccount('viewer'));
    await page.waitForURL(`${testApp.baseUrl}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Commitments' }).click();
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('15 records, page 1 of 2');

    await sleep((TOKEN_TTL_SECONDS + 1) * 1000);
    await page.getByLabel('Search companies, chips, sources and notes').fill('oracle');
    await page.waitForURL(`${testApp.baseUrl}/login?next=%2Fcommitments%3Fq%3Doracle&expired=1`);
    await page.getByTestId('session-expired').waitFor();
    expect(await page.getByTestId('account').count()).toBe(0);

    await fillSignIn(page, testAccount('viewer'));
    await page.waitForURL(`${testApp.baseUrl}/commitments?q=oracle`);
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('2 records, page 1 of 1');
    expect(new Set(problems)).toEqual(new Set([REFUSED]));
    await page.close();
  });
});
