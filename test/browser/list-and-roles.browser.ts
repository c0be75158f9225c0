import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { openSignedInPage, openWatchedPage, tableCells } from '../support/browser-page.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

/** Chromium logs every 4xx response; the ones a test provokes on purpose are left out of its problems. */
const NOT_FOUND = 'console: Failed to load resource: the server responded with a status of 404 (Not Found)';

describe('the commitments list and what each role may do with a record', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let analyst: Record<string, string>;
  let companyIds: Record<string, string>;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true, publicRead: true });
    browser = await launchChromium();
    analyst = await testApp.as('analyst');
    const companies = (await http(testApp.baseUrl, 'GET', '/api/companies')).body as { id: string; name: string; version: number }[];
    companyIds = Object.fromEntries(companies.map((company) => [company.name, company.id]));
    // Meta as sources and press also call it.
    const meta = companies.find((company) => company.name === 'Meta')!;
    const patched = await http(testApp.baseUrl, 'PATCH', `/api/companies/${meta.id}`, {
      json: { version: meta.version, aliases: ['Meta Platforms', 'Facebook'] },
      headers: analyst,
    });
    expect(patched.status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** Announced, company, chip and quantity of the list's rows. */
  async function listRows(page: Page): Promise<string[][]> {
    await page.getByTestId('commitments-list').waitFor();
    const [, ...rows] = await tableCells(page.getByTestId('commitments-list'));
    return rows.map((row) => row.slice(0, 4));
  }

  it('filters from the page, keeping every filter in the URL under the API’s names', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments`);
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('15 records, page 1 of 2');

    await page.getByTestId('filter-company').locator('summary').click();
    await page.getByRole('checkbox', { name: 'Meta', exact: true }).check();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments?companyId=${companyIds.Meta}`);
    await expect
      .poll(() => listRows(page))
      .toEqual([
        ['2024-02-01', 'Meta', 'MTIA v2', 'undisclosed'],
        ['2024-01-18', 'Meta', 'H100 SXM', 'about 350,000'],
      ]);
    await page.getByTestId('filter-company').locator('summary').click();
    await page.getByTestId('filter-vendor').locator('summary').click();
    await page.getByRole('checkbox', { name: 'Nvidia' }).check();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments?companyId=${companyIds.Meta}&vendor=Nvidia`);
    await expect.poll(() => listRows(page)).toEqual([['2024-01-18', 'Meta', 'H100 SXM', 'about 350,000']]);
    await page.getByTestId('filter-vendor').locator('summary').click();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments`);

    // A shared address reproduces the view: delivered GPUs whose delivery falls in 2025, the controls set to match.
    const shared = await openWatchedPage(browser.context);
    await shared.page.goto(`${testApp.baseUrl}/commitments?kind=gpu&status=delivered&from=2025-Q1&to=2025-Q4`);
    await expect
      .poll(() => listRows(shared.page))
      .toEqual([
        ['2025-11-01', 'Indosat Ooredoo Hutchison', 'GB200', '2,304'],
        ['2024-11-14', 'AIST', 'H200', '6,128'],
        ['2023-11-01', 'UK Research and Innovation', 'GH200', '5,448'],
      ]);
    expect(await shared.page.getByTestId('filter-status').locator('summary').textContent()).toBe('Status: 1 selected');
    expect(await shared.page.getByLabel('From', { exact: true }).inputValue()).toBe('2025-Q1');
    // By announcement date instead: Indosat's, and Tesla's report (January 2025) of 50,000 delivered in 2024.
    await shared.page.getByLabel('Period by').selectOption('announced');
    await expect.poll(() => shared.page.url()).toContain('&basis=announced');
    await expect
      .poll(() => listRows(shared.page))
      .toEqual([
        ['2025-11-01', 'Indosat Ooredoo Hutchison', 'GB200', '2,304'],
        ['2025-01-29', 'Tesla', 'H100 SXM', '50,000'],
      ]);

    // The dashboard's view opens the list with the same filters.
    await page.goto(`${testApp.baseUrl}/?company=${companyIds.Anthropic}`);
    await page.getByRole('link', { name: 'All commitments of this view' }).click();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments?companyId=${companyIds.Anthropic}`);
    await expect.poll(async () => (await listRows(page)).map((row) => row[1])).toEqual(['Anthropic', 'Anthropic']);
    expect([...problems, ...shared.problems]).toEqual([]);
  });

  it('searches publishers, company and chip aliases, and notes', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    // The list follows the search box after a pause, so each search waits for its own rows, not the count of the last.
    const expectSearch = async (text: string, rows: string[][]) => {
      await page.goto(`${testApp.baseUrl}/commitments`);
      await page.getByLabel('Search companies, chips, sources and notes').fill(text);
      await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments?q=${encodeURIComponent(text).replaceAll('%20', '+')}`);
      await expect.poll(() => listRows(page)).toEqual(rows);
      expect(await page.getByTestId('result-count').textContent()).toMatch(new RegExp(`^${rows.length} records?`));
    };
    // Reuters published the MTIA story, and its name is nowhere else in the record.
    await expectSearch('Reuters', [['2024-02-01', 'Meta', 'MTIA v2', 'undisclosed']]);
    await expectSearch('Meta Platforms', [
      ['2024-02-01', 'Meta', 'MTIA v2', 'undisclosed'],
      ['2024-01-18', 'Meta', 'H100 SXM', 'about 350,000'],
    ]);
    // "Artemis" is an alias of MTIA v2; Mistral's notes say "superchips".
    await expectSearch('Artemis', [['2024-02-01', 'Meta', 'MTIA v2', 'undisclosed']]);
    await expectSearch('superchips', [['2025-06-11', 'Mistral AI', 'GB200', '18,000']]);
    expect(problems).toEqual([]);
  });

  it('lists the record changed last first when asked, so a record just saved is at the top', async () => {
    const list = await http(testApp.baseUrl, 'GET', '/api/commitments?q=isambard');
    const [isambard] = list.body.items as { id: string; version: number }[];
    const changed = await http(testApp.baseUrl, 'PATCH', `/api/commitments/${isambard.id}`, {
      json: { version: isambard.version, notes: 'switched on in July 2025' },
      headers: analyst,
    });
    expect(changed.status).toBe(200);
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments`);
    // Announced in 2023, it is on the last page of the default order.
    expect((await listRows(page)).map((row) => row[1])).not.toContain('UK Research and Innovation');
    await page.getByLabel('Order').selectOption('-updatedAt');
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments?sort=-updatedAt`);
    await expect.poll(async () => (await listRows(page))[0]).toEqual(['2023-11-01', 'UK Research and Innovation', 'GH200', '5,448']);
    expect(problems).toEqual([]);
  });

  it('shows viewers and visitors no Edit, Revise or Delete; an analyst deletes after confirming', async () => {
    const record = await http(testApp.baseUrl, 'POST', '/api/commitments', {
      json: {
        companyId: companyIds.xAI,
        acceleratorKind: 'gpu',
        quantity: 4321,
        announcedOn: '2025-04-04',
        status: 'announced',
        sources: [{ title: 'Catatan uji hapus' }],
      },
      headers: analyst,
    });
    expect(record.status).toBe(201);
    const path = `${testApp.baseUrl}/commitments/${record.body.id}`;
    const heading = 'xAI: 4,321 Unknown GPU';

    const viewer = await openSignedInPage(browser.context, await testApp.session('viewer'));
    const visitor = await openWatchedPage(browser.context);
    for (const { page } of [viewer, visitor]) {
      await page.goto(path);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
      expect(await page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
      expect(await page.getByRole('link', { name: /^Revise/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    }
    // The viewer still reads the history.
    await viewer.page.getByTestId('history').waitFor();

    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('analyst'));
    await page.goto(path);
    await expect.poll(() => page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Delete' }).click();
    const question = page.getByRole('group', { name: /^Delete this record\? It stops counting in every total/ });
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await question.count()).toBe(0);
    expect((await http(testApp.baseUrl, 'GET', `/api/commitments/${record.body.id}`)).status).toBe(200);

    await page.getByRole('button', { name: 'Delete' }).click();
    await question.getByRole('button', { name: 'Delete the record' }).click();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/commitments`);
    expect(await page.getByTestId('notice').textContent()).toBe(`Deleted ${heading}.`);
    expect((await http(testApp.baseUrl, 'GET', `/api/commitments/${record.body.id}`)).status).toBe(404);
    expect([...problems, ...viewer.problems, ...visitor.problems].filter((problem) => problem !== NOT_FOUND)).toEqual([]);
  });
});
