import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { openWatchedPage, tableCells } from '../support/browser-page.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

describe('commitments pages in a browser', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true, publicRead: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** Company, quantity and status cells of the list's rows. */
  async function listRows(page: import('playwright-core').Page) {
    const [, ...rows] = await tableCells(page.getByTestId('commitments-list'));
    return rows.map((row) => [row[1], row[3], row[5]]);
  }

  it('pages through the 15 demo records, newest first, with qualifiers in the quantities', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments`);
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('15 records, page 1 of 2');
    expect(await listRows(page)).toEqual([
      ['Deutsche Telekom', 'up to 10,000', 'Announced'],
      ['Indosat Ooredoo Hutchison', '2,304', 'Delivered'],
      ['Anthropic', 'up to 1,000,000', 'Announced'],
      ['Oracle', '50,000', 'Announced'],
      ['OpenAI', '1,000 MW', 'Announced'],
      ['Mistral AI', '18,000', 'Announced'],
      ['Tesla', '50,000', 'Delivered'],
      ['Anthropic', 'about 500,000', 'Delivered'],
      ['AIST', '6,128', 'Delivered'],
      ['Oracle', '131,072', 'Announced'],
    ]);

    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments?page=2`);
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('15 records, page 2 of 2');
    expect(await listRows(page)).toEqual([
      ['xAI', '100,000', 'Delivered'],
      ['Tesla', '35,000', 'Deliveredsuperseded'],
      ['Meta', 'undisclosed', 'Announced'],
      ['Meta', 'about 350,000', 'Announced'],
      ['UK Research and Innovation', '5,448', 'Delivered'],
    ]);

    await page.goBack();
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('15 records, page 1 of 2');
    expect(problems).toEqual([]);
  });

  it('searches and sorts, keeping both in the URL', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments`);
    await page.getByLabel('Search companies, chips, sources and notes').fill('tesla');
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments?q=tesla`);
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('2 records, page 1 of 1');
    expect(await listRows(page)).toEqual([
      ['Tesla', '50,000', 'Delivered'],
      ['Tesla', '35,000', 'Deliveredsuperseded'],
    ]);

    await page.getByRole('button', { name: /^Sort by Quantity/ }).click();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments?q=tesla&sort=quantity`);
    await expect
      .poll(() => listRows(page))
      .toEqual([
        ['Tesla', '35,000', 'Deliveredsuperseded'],
        ['Tesla', '50,000', 'Delivered'],
      ]);

    // The same URL in a new tab shows the same list.
    const shared = await openWatchedPage(browser.context);
    await shared.page.goto(`${testApp.baseUrl}/commitments?q=TPU&sort=company`);
    await expect.poll(() => shared.page.getByTestId('result-count').textContent()).toBe('1 record, page 1 of 1');
    expect(await listRows(shared.page)).toEqual([['Anthropic', 'up to 1,000,000', 'Announced']]);
    await expect.poll(() => shared.page.getByLabel('Search companies, chips, sources and notes').inputValue()).toBe('TPU');

    await page.getByLabel('Search companies, chips, sources and notes').fill('no such words');
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('Nothing matches “no such words”');
    expect([...problems, ...shared.problems]).toEqual([]);
  });

  it('opens a deep link to a record with its sources and the chain of revisions', async () => {
    const list = await http(testApp.baseUrl, 'GET', '/api/commitments?q=tesla&sort=announcedOn');
    const [older, newer] = list.body.items as { id: string }[];
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments/${newer.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tesla: 50,000 H100 SXM');
    expect(await page.getByTestId('sources').textContent()).toBe(
      'Tesla completes deployment of 50k H100 at Cortex — Data Center Dynamics, 2025-01-29, en',
    );
    await expect
      .poll(() => page.getByTestId('supersession-chain').locator('li').allTextContents())
      .toEqual(['2024-04-23: 35,000 H100 SXM', '2025-01-29: 50,000 H100 SXM (this record)counted']);
    // The history needs a sign-in: a visitor's page neither shows nor asks for it.
    expect(await page.getByRole('heading', { name: 'Change history' }).count()).toBe(0);

    await page.getByRole('link', { name: '2024-04-23: 35,000 H100 SXM' }).click();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments/${older.id}`);
    await expect.poll(() => page.getByRole('note').textContent()).toContain('A newer record revises this one');

    await page.goto(`${testApp.baseUrl}/commitments/00000000-0000-4000-8000-000000000000`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Not found');
    // Chromium logs every 404 response: here the unknown record.
    expect(
      problems.filter((problem) => problem !== 'console: Failed to load resource: the server responded with a status of 404 (Not Found)'),
    ).toEqual([]);
  });

  it('serves index.html for client routes and JSON for unknown API routes', async () => {
    const page = await http(testApp.baseUrl, 'GET', '/commitments/some-deep-link');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(String(page.body)).toContain('<div id="root"></div>');
    const api = await http(testApp.baseUrl, 'GET', '/api/nope');
    expect(api.status).toBe(404);
    expect(api.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/nope' });
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self';object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self'",
    );
  });
});
