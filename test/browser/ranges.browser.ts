import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartTable, openWatchedPage, saveScreenshot } from '../support/browser-page.js';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// The dashboard shows how sure its totals are: a band from low to high around the stacked bars, the range in the
// tooltip, the data table and its CSV, the headline tile as "3.6M H100e (3.1M–4M)", and a note for open-ended records.
describe('ranges on the dashboard', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: false, publicRead: true });
    browser = await launchChromium();
    const analyst = await testApp.as('analyst');
    const call = (path: string, json: object) => http(testApp.baseUrl, 'POST', path, { json, headers: analyst });
    const chips: { id: string; name: string }[] = (await http(testApp.baseUrl, 'GET', '/api/accelerators', { headers: analyst })).body;
    const h100 = chips.find((chip) => chip.name === 'H100 SXM')!.id;
    const commit = async (name: string, fields: object) => {
      const company = await call('/api/companies', { name, kind: 'ai_lab' });
      const response = await call('/api/commitments', {
        companyId: company.body.id,
        acceleratorId: h100,
        announcedOn: '2030-01-15',
        status: 'announced',
        sources: [{ title: `${name} announcement` }],
        ...fields,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    };
    // H100 SXM counts 1 H100e a chip. About 2,000,000 over 2030-Q1..Q2: 1,000,000 a quarter (900,000–1,100,000).
    await commit('Wide Lab', { quantity: 2_000_000, quantityQualifier: 'approximate', deliveryBy: '2030-Q2' });
    // 1,500,000 in 2030-Q2, between 1,200,000 and 1,700,000.
    await commit('Bound Lab', { quantity: 1_500_000, amountLow: 1_200_000, amountHigh: 1_700_000, deliveryFrom: '2030-Q2' });
    // At least 100,000 in 2030-Q1: no upper bound.
    await commit('Floor Lab', { quantity: 100_000, quantityQualifier: 'at_least', deliveryFrom: '2030-Q1' });
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('draws the band, and shows the range in the tiles, the tooltip, the table and the CSV', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(testApp.baseUrl);
    const canvas = page.locator('[data-testid="chart-capacity-by-company"][data-drawn="true"]');
    await canvas.waitFor();

    // 3,600,000 in all: low 1,800,000 + 1,200,000 + 100,000, high 2,200,000 + 1,700,000 + 100,000.
    const tile = page.getByTestId('tile-capacity');
    await expect.poll(() => tile.locator('strong').textContent()).toBe('3.6M');
    expect(await page.getByTestId('tile-capacity-range').textContent()).toBe('(3.1M–4M)');
    expect((await tile.locator('dd').first().textContent())?.replace(/\s+/g, ' ')).toBe('3.6M H100e (3.1M–4M)');
    expect(await page.getByTestId('tile-open-above').textContent()).toBe('1 record has no upper bound');

    // The table (and the chart's text alternative) gives each quarter's total range.
    const table = await chartTable(page, 'capacity-by-company');
    expect(table).toEqual({
      '2030-Q1': { 'Wide Lab': '1,000,000', 'Floor Lab': '100,000', 'Bound Lab': '0', 'Range low': '1,000,000', 'Range high': '1,200,000' },
      '2030-Q2': {
        'Wide Lab': '1,000,000',
        'Floor Lab': '0',
        'Bound Lab': '1,500,000',
        'Range low': '2,100,000',
        'Range high': '2,800,000',
      },
    });
    const panel = page.getByTestId('panel-capacity-by-company');
    const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: /as CSV$/ }).click()]);
    expect(await new Response(await csv.createReadStream()).text()).toBe(
      'Quarter,Wide Lab,Bound Lab,Floor Lab,Range low,Range high\r\n' +
        '2030-Q1,1000000,0,100000,1000000,1200000\r\n' +
        '2030-Q2,1000000,1500000,0,2100000,2800000\r\n',
    );

    // The band is drawn: in 2030-Q2 its high edge (2.8M) is above the bars' top (2.5M), and just under that edge
    // the canvas is shaded; just above it, it is white.
    const band = JSON.parse((await canvas.getAttribute('data-band'))!) as { x: number; low: number; high: number }[];
    expect(band).toHaveLength(2);
    for (const quarter of band) expect(quarter.high).toBeLessThan(quarter.low);
    // The canvas's colour at a point given in CSS pixels (the canvas may have more pixels than that).
    const pixel = (x: number, y: number) =>
      page.evaluate(`(() => {
        const chart = document.querySelector('[data-testid="chart-capacity-by-company"]');
        const scale = chart.width / chart.clientWidth;
        return [...chart.getContext('2d').getImageData(Math.round(${x} * scale), Math.round(${y} * scale), 1, 1).data];
      })()`) as Promise<number[]>;
    const x = band[1].x - 10;
    const [r, g, b] = await pixel(x, band[1].high + 4);
    expect(r).toBeLessThan(245);
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(8);
    expect(await pixel(x, band[1].high - 8)).toEqual([255, 255, 255, 255]);

    // The tooltip of 2030-Q2 names the range of its total.
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + x, box.y + band[1].high + 4);
    await expect.poll(() => canvas.getAttribute('data-tooltip-footer')).toBe('Total: 2.5M (2.1M–2.8M) H100e');
    const lines = (await canvas.getAttribute('data-tooltip'))!.split('\n');
    expect(lines.slice(-2)).toEqual(['Range low: 2.1M H100e', 'Range high: 2.8M H100e']);
    await saveScreenshot(page, 'dashboard-ranges');
    expect(problems).toEqual([]);
  });
});
