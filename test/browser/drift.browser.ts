import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartTable, openWatchedPage, saveScreenshot } from '../support/browser-page.js';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// The dashboard's "how the forecast moved" chart: a quarter's cumulative total as the ledger stood at the end of
// each month (or week, or day) of the past year. Every record here is written today, so only today has a total.
describe('forecast drift on the dashboard', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: false, publicRead: true });
    browser = await launchChromium();
    const analyst = await testApp.as('analyst');
    const call = (path: string, json: object) => http(testApp.baseUrl, 'POST', path, { json, headers: analyst });
    const chips: { id: string; name: string }[] = (await http(testApp.baseUrl, 'GET', '/api/accelerators', { headers: analyst })).body;
    const h100 = chips.find((chip) => chip.name === 'H100 SXM')!.id;
    const company = await call('/api/companies', { name: 'Drift Lab', kind: 'ai_lab' });
    // 1,000,000 H100 (1 H100e each) over 2030-Q1..Q2, and 400,000 in 2030-Q3 (after the quarter followed).
    for (const [quantity, deliveryFrom, deliveryBy] of [
      [1_000_000, '2030-Q1', '2030-Q2'],
      [400_000, '2030-Q3', '2030-Q3'],
    ] as const) {
      const response = await call('/api/commitments', {
        companyId: company.body.id,
        acceleratorId: h100,
        quantity,
        announcedOn: '2030-01-15',
        deliveryFrom,
        deliveryBy,
        status: 'announced',
        sources: [{ title: 'Drift Lab announcement' }],
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it("draws a quarter's cumulative total at each month end, with its table", async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(testApp.baseUrl);
    await page.locator('[data-testid="chart-capacity-by-company"][data-drawn="true"]').waitFor();
    await page.getByTestId('drift-quarter').selectOption('2030-Q2');
    const panel = page.getByTestId('panel-forecast-drift');
    await expect.poll(() => panel.locator('h2').textContent()).toBe('Forecast for 2030-Q2, as it stood each month (H100e)');
    await page.locator('[data-testid="chart-forecast-drift"][data-drawn="true"]').waitFor();
    await panel.getByRole('button', { name: 'Show table' }).click();

    const today = new Date().toISOString().slice(0, 10);
    const table = await chartTable(page, 'forecast-drift');
    const dates = Object.keys(table);
    // Twelve month ends of the past year (or thirteen), then today.
    expect(dates.length).toBeGreaterThanOrEqual(12);
    expect(dates.at(-1)).toBe(today);
    expect(table[today]).toEqual({ 'Cumulative to 2030-Q2': '1,000,000', 'Range low': '1,000,000', 'Range high': '1,000,000' });
    for (const date of dates.slice(0, -1)) expect(table[date]['Cumulative to 2030-Q2'], date).toBe('0');

    // Followed to 2030-Q3, the later record counts too.
    await page.getByTestId('drift-quarter').selectOption('2030-Q3');
    await expect.poll(async () => (await chartTable(page, 'forecast-drift'))[today]?.['Cumulative to 2030-Q3']).toBe('1,400,000');
    await saveScreenshot(page, 'forecast-drift');
    expect(problems).toEqual([]);
  });
});
