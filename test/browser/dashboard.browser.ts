import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { chartTable, openWatchedPage, saveScreenshot } from '../support/browser-page.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const CHARTS = ['capacity-by-company', 'cumulative-by-company', 'share-by-vendor', 'gpu-versus-custom'];

describe('dashboard in a browser, over the demo data', () => {
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

  async function chartsDrawn(page: import('playwright-core').Page) {
    for (const chart of CHARTS) await page.locator(`[data-testid="chart-${chart}"][data-drawn="true"]`).waitFor();
  }

  it('draws every chart with the figures of the demo data and the headline tiles', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(testApp.baseUrl);
    await chartsDrawn(page);

    // H100 SXM is the reference chip (factor 1): Meta's about 350,000 by 2024-Q4, announced in 2024-Q1, is 87,500 a quarter.
    const bars = await chartTable(page, 'capacity-by-company');
    expect(Object.keys(bars)).toEqual([
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
    ]);
    expect(bars['2024-Q1'].Meta).toBe('87,500');
    expect(bars['2024-Q3'].xAI).toBe('100,000');
    // Tesla's 50k at Cortex revises the 35k: only the newer record counts, in 2024-Q4 where it was delivered.
    expect(bars['2024-Q4'].Tesla).toBe('50,000');
    expect(await page.getByTestId('chart-capacity-by-company').getAttribute('aria-label')).toContain('Meta 350k H100e');

    // 3 left out in H100e: Meta's MTIA (undisclosed), OpenAI's 1 GW (power only), Oracle's MI450 (no BF16 rate).
    expect(await page.getByTestId('tile-excluded').locator('strong').textContent()).toBe('3');
    expect(await page.getByTestId('tile-counted').locator('strong').textContent()).toBe('11');
    expect(await page.getByTestId('tile-latest').textContent()).toContain('2025-11-04');

    await page.getByTestId('tile-excluded').getByText('Why?').click();
    expect(await page.getByTestId('excluded-reasons').locator('li').allTextContents()).toEqual([
      'quantity undisclosed: 2',
      'chip spec missing: 1',
    ]);
    // Opening it reads the records themselves, by company.
    await expect
      .poll(() => page.getByTestId('excluded-records').locator('li').allTextContents())
      .toEqual(['Meta — quantity undisclosed', 'OpenAI — quantity undisclosed', 'Oracle — chip spec missing']);

    const latest = page.getByTestId('latest-commitments');
    expect(await latest.locator('tbody tr').first().textContent()).toContain('up to 10,000');

    await saveScreenshot(page, 'dashboard-laptop');
    expect(problems).toEqual([]);
  });

  it('switches to units: the URL, the stacked bars, the line and the tiles follow; back returns', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(testApp.baseUrl);
    await chartsDrawn(page);
    await page.getByRole('radio', { name: 'Units' }).check();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/?metric=units`);
    await expect
      .poll(async () => (await chartTable(page, 'capacity-by-company'))['2026-Q1'])
      .toEqual({
        Anthropic: '250,000',
        Meta: '0',
        Oracle: '0',
        xAI: '0',
        Tesla: '0',
        'Mistral AI': '3,000',
        'Deutsche Telekom': '10,000',
        Others: '0',
        // Up to 1,000,000 TPUs and up to 10,000 B200 from 0; Mistral's 3,000 exact.
        'Range low': '3,000',
        'Range high': '263,000',
      });
    // Others = AIST 6,128 (2025-Q1), UK Research and Innovation 5,448 (2025-Q3), Indosat 2,304 (2025-Q4).
    const bars = await chartTable(page, 'capacity-by-company');
    expect([bars['2025-Q1'].Others, bars['2025-Q3'].Others, bars['2025-Q4'].Others]).toEqual(['6,128', '5,448', '2,304']);
    const line = await chartTable(page, 'cumulative-by-company');
    expect(line['2026-Q4']).toEqual({
      Anthropic: '1,500,000',
      Meta: '350,000',
      Oracle: '181,072',
      xAI: '100,000',
      Tesla: '50,000',
      'Mistral AI': '18,000',
      'Deutsche Telekom': '10,000',
      Others: '13,880',
    });
    expect(await page.getByTestId('tile-capacity').locator('strong').textContent()).toBe('2.2M');
    expect(await page.getByTestId('tile-companies').locator('strong').textContent()).toBe('10');

    await page.goBack();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/`);
    await expect.poll(async () => (await chartTable(page, 'capacity-by-company'))['2024-Q1'].Meta).toBe('87,500');
    expect(await page.getByRole('radio', { name: 'H100e' }).isChecked()).toBe(true);
    await page.goForward();
    await expect.poll(() => page.getByRole('radio', { name: 'Units' }).isChecked()).toBe(true);
    expect(problems).toEqual([]);
  });

  it("counts H100-equivalents at Epoch AI's precision (the highest dense rate ÷ 1,979) when asked", async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(testApp.baseUrl);
    await chartsDrawn(page);
    await page.getByRole('radio', { name: 'max (Epoch)' }).check();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/?precision=max`);
    // Anthropic in 2026-Q1: a quarter of 1,000,000 TPU v7 at 4,614 ÷ 1,979; in 2025-Q1 a quarter of 500,000 Trainium2
    // at 1,299 ÷ 1,979. Meta's H100s: 1,979 ÷ 1,979, as at BF16.
    await expect.poll(async () => (await chartTable(page, 'capacity-by-company'))['2026-Q1'].Anthropic).toBe('582,870.1');
    const bars = await chartTable(page, 'capacity-by-company');
    expect([bars['2025-Q1'].Anthropic, bars['2024-Q1'].Meta]).toEqual(['82,049', '87,500']);
    expect(problems).toEqual([]);
  });

  it('filters by chip kind and company from the controls, and a shared URL reproduces the view', async () => {
    const companies = (await http(testApp.baseUrl, 'GET', '/api/companies')).body as { id: string; name: string }[];
    const anthropic = companies.find((company) => company.name === 'Anthropic')!;
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/?metric=units`);
    await chartsDrawn(page);
    await page.getByTestId('filter-kind').locator('summary').click();
    await page.getByRole('checkbox', { name: 'Custom chip' }).check();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/?metric=units&kind=custom`);
    // Custom chips in units: only Anthropic (Trainium2 500,000 over 2025, TPU up to 1,000,000 over 2026); Meta's MTIA has no quantity.
    await expect
      .poll(() => chartTable(page, 'capacity-by-company'))
      .toEqual({
        // With the range of the total: about 500,000 Trainium2 is ±10 %, up to 1,000,000 TPUs from 0.
        '2025-Q1': { Anthropic: '125,000', 'Range low': '112,500', 'Range high': '137,500' },
        '2025-Q2': { Anthropic: '125,000', 'Range low': '112,500', 'Range high': '137,500' },
        '2025-Q3': { Anthropic: '125,000', 'Range low': '112,500', 'Range high': '137,500' },
        '2025-Q4': { Anthropic: '125,000', 'Range low': '112,500', 'Range high': '137,500' },
        '2026-Q1': { Anthropic: '250,000', 'Range low': '0', 'Range high': '250,000' },
        '2026-Q2': { Anthropic: '250,000', 'Range low': '0', 'Range high': '250,000' },
        '2026-Q3': { Anthropic: '250,000', 'Range low': '0', 'Range high': '250,000' },
        '2026-Q4': { Anthropic: '250,000', 'Range low': '0', 'Range high': '250,000' },
      });
    await expect.poll(() => chartTable(page, 'share-by-vendor')).toEqual({ Google: { units: '1,000,000' }, AWS: { units: '500,000' } });

    await page.getByRole('checkbox', { name: 'Custom chip' }).uncheck();
    await page.getByTestId('filter-kind').locator('summary').click();
    await page.getByTestId('filter-company').locator('summary').click();
    await page.getByRole('checkbox', { name: 'Anthropic' }).check();
    await page.getByLabel('From', { exact: true }).selectOption('2025-Q3');
    await page.getByRole('checkbox', { name: 'Cumulative' }).check();
    const sharedUrl = `${testApp.baseUrl}/?metric=units&cumulative=true&from=2025-Q3&company=${anthropic.id}`;
    await expect.poll(() => page.url()).toBe(sharedUrl);
    // Cumulative from 2025-Q3 starts with everything before it: 2 quarters of 125,000 already delivered.
    const expected = {
      '2025-Q3': { Anthropic: '375,000', 'Range low': '337,500', 'Range high': '412,500' },
      '2025-Q4': { Anthropic: '500,000', 'Range low': '450,000', 'Range high': '550,000' },
      '2026-Q1': { Anthropic: '750,000', 'Range low': '450,000', 'Range high': '800,000' },
      '2026-Q2': { Anthropic: '1,000,000', 'Range low': '450,000', 'Range high': '1,050,000' },
      '2026-Q3': { Anthropic: '1,250,000', 'Range low': '450,000', 'Range high': '1,300,000' },
      '2026-Q4': { Anthropic: '1,500,000', 'Range low': '450,000', 'Range high': '1,550,000' },
    };
    await expect.poll(() => chartTable(page, 'capacity-by-company')).toEqual(expected);

    const shared = await openWatchedPage(browser.context);
    await shared.page.goto(sharedUrl);
    await chartsDrawn(shared.page);
    expect(await chartTable(shared.page, 'capacity-by-company')).toEqual(expected);
    expect(await shared.page.getByRole('checkbox', { name: 'Cumulative' }).isChecked()).toBe(true);
    expect(await shared.page.getByLabel('From', { exact: true }).inputValue()).toBe('2025-Q3');
    expect(await shared.page.getByTestId('filter-company').locator('summary').textContent()).toBe('Companies: 1 selected');
    expect([...problems, ...shared.problems]).toEqual([]);
  });

  it('exports a chart as PNG and its data as CSV', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/?metric=units&kind=custom`);
    await chartsDrawn(page);
    const panel = page.getByTestId('panel-share-by-vendor');
    const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: /as CSV$/ }).click()]);
    expect(csv.suggestedFilename()).toBe('share-by-vendor.csv');
    const csvText = await new Response(await csv.createReadStream()).text();
    expect(csvText).toBe('Vendor,units\r\nGoogle,1000000\r\nAWS,500000\r\n');
    const [png] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: /as PNG$/ }).click()]);
    expect(png.suggestedFilename()).toBe('share-by-vendor.png');
    const pngBytes = Buffer.from(await new Response(await png.createReadStream()).arrayBuffer());
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pngBytes.length).toBeGreaterThan(2_000);
    expect(problems).toEqual([]);
  });

  it('reads on a phone width, with the data table as the text alternative', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(testApp.baseUrl);
    await chartsDrawn(page);
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBe(390);
    const panel = page.getByTestId('panel-gpu-versus-custom');
    await panel.getByRole('button', { name: 'Show table' }).click();
    expect(await panel.getByTestId('chart-table-gpu-versus-custom').isVisible()).toBe(true);
    await saveScreenshot(page, 'dashboard-phone');
    expect(problems).toEqual([]);
  });
});
