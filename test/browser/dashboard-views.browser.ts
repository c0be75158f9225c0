import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/common/project-root.js';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { chartTable, openSignedInPage, openWatchedPage, saveScreenshot, tableCells } from '../support/browser-page.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const CHARTS = ['capacity-by-company', 'cumulative-by-company', 'share-by-vendor', 'gpu-versus-custom'];

describe('the dashboard as managers read it: colours, running totals, definitions, phones', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let companyIds: Record<string, string>;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true, publicRead: true });
    browser = await launchChromium();
    const companies = (await http(testApp.baseUrl, 'GET', '/api/companies')).body as { id: string; name: string }[];
    companyIds = Object.fromEntries(companies.map((company) => [company.name, company.id]));
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** Opens a view of the dashboard and waits until every chart has drawn its data. */
  async function openView(page: Page, search: string) {
    await page.goto(`${testApp.baseUrl}/${search}`);
    for (const chart of CHARTS) await page.locator(`[data-testid="chart-${chart}"][data-drawn="true"]`).waitFor();
  }

  /** The colour of each series of a chart, by label, as the page gave them to chart.js. */
  async function colours(page: Page, chart: string): Promise<Record<string, string>> {
    return JSON.parse((await page.getByTestId(`chart-${chart}`).getAttribute('data-colours')) ?? '{}') as Record<string, string>;
  }

  it('keeps one colour per company across filters, metrics and both company charts, and per vendor and kind', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await openView(page, '');
    const meta = (await colours(page, 'capacity-by-company')).Meta;
    const anthropic = (await colours(page, 'capacity-by-company')).Anthropic;
    expect(meta).toMatch(/^#[0-9A-F]{6}$/);
    expect(meta).not.toBe(anthropic);
    expect((await colours(page, 'cumulative-by-company')).Meta).toBe(meta);
    const nvidia = (await colours(page, 'share-by-vendor')).Nvidia;

    // Two filters (GPUs only; Meta alone) and two metrics (units; MW): Meta, Anthropic and Nvidia keep their colours.
    const views = ['?kind=gpu', `?company=${companyIds.Meta}`, '?metric=units', '?metric=power_mw&basis=announced'];
    for (const view of views) {
      await openView(page, view);
      await expect.poll(async () => (await colours(page, 'capacity-by-company')).Meta, { message: view }).toBe(meta);
      expect((await colours(page, 'cumulative-by-company')).Meta, view).toBe(meta);
      const bars = await colours(page, 'capacity-by-company');
      if (bars.Anthropic) expect(bars.Anthropic, view).toBe(anthropic);
      expect((await colours(page, 'share-by-vendor')).Nvidia, view).toBe(nvidia);
      // No two series of a chart share a colour.
      expect(new Set(Object.values(bars)).size, view).toBe(Object.keys(bars).length);
    }

    // The vendor chart never wears the colours of the GPU-versus-custom chart beside it.
    await openView(page, '?metric=units');
    const kinds = await colours(page, 'gpu-versus-custom');
    expect(Object.keys(kinds).sort()).toEqual(['Custom chip', 'GPU']);
    const vendors = await colours(page, 'share-by-vendor');
    expect(Object.keys(vendors)).toEqual(expect.arrayContaining(['Nvidia', 'Google', 'AWS']));
    expect(Object.values(vendors).filter((colour) => Object.values(kinds).includes(colour))).toEqual([]);
    // Custom chips alone: the kind keeps its colour.
    await openView(page, '?metric=units&kind=custom');
    await expect.poll(async () => (await colours(page, 'gpu-versus-custom'))['Custom chip']).toBe(kinds['Custom chip']);
    expect(problems).toEqual([]);
  });

  it('runs the running totals to the ledger’s last quarter, whatever the companies shown, and never down', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    // Meta's records end in 2024-Q4; the ledger's counted H100e run to 2026-Q4 (Anthropic's TPUs, Mistral's GB200).
    await openView(page, `?company=${companyIds.Meta}`);
    const line = await chartTable(page, 'cumulative-by-company');
    expect(Object.keys(line)).toEqual([
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
    // 350,000 H100 spread over 2024: 87,500 a quarter, then level (MTIA has no quantity).
    expect(Object.values(line).map((row) => row.Meta)).toEqual([
      '87,500',
      '175,000',
      '262,500',
      '350,000',
      ...Array.from({ length: 8 }, () => '350,000'),
    ]);
    // The bars show the per-quarter figures only where Meta has some.
    expect(Object.keys(await chartTable(page, 'capacity-by-company'))).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);

    // With cumulative bars, and with an explicit end, the same rule; the kind chart follows.
    await page.getByRole('checkbox', { name: 'Cumulative' }).check();
    await expect.poll(async () => Object.keys(await chartTable(page, 'capacity-by-company')).at(-1)).toBe('2026-Q4');
    expect((await chartTable(page, 'capacity-by-company'))['2026-Q4'].Meta).toBe('350,000');
    await expect.poll(async () => Object.keys(await chartTable(page, 'gpu-versus-custom')).at(-1)).toBe('2026-Q4');
    await openView(page, `?company=${companyIds.Meta}&to=2025-Q2`);
    expect(Object.keys(await chartTable(page, 'cumulative-by-company')).at(-1)).toBe('2025-Q2');

    // Every company's line only rises.
    await openView(page, '');
    const all = await chartTable(page, 'cumulative-by-company');
    for (const company of Object.keys(Object.values(all)[0])) {
      const values = Object.values(all).map((row) => Number(row[company].replaceAll(',', '')));
      expect(values, company).toEqual([...values].sort((a, b) => a - b));
    }
    expect(problems).toEqual([]);
  });

  it('offers the precision for H100-equivalents only', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await openView(page, '');
    expect(await page.getByRole('group', { name: 'Precision' }).getByRole('radio').count()).toBe(3);
    await page.getByRole('radio', { name: 'FP8' }).check();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/?precision=fp8`);
    await page.getByRole('radio', { name: 'Units' }).check();
    // Units: no precision to choose, and none in the address.
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/?metric=units`);
    expect(await page.getByRole('group', { name: 'Precision' }).count()).toBe(0);
    await page.getByRole('radio', { name: 'MW' }).check();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/?metric=power_mw`);
    expect(await page.getByRole('group', { name: 'Precision' }).count()).toBe(0);
    // Back to H100e: the address held no precision, so it is the default again.
    await page.getByRole('radio', { name: 'H100e' }).check();
    await expect.poll(() => page.url()).toBe(`${testApp.baseUrl}/`);
    expect(await page.getByRole('radio', { name: 'BF16' }).isChecked()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('shows as the latest announcement the first of the latest records, in every view', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    // Oracle in H100e: the MI450 (2025-10-14) has no BF16 rate, so it is left out of the total but is the latest
    // announcement of the view; OpenAI has only a power figure; the announced basis picks 2024-Q4's records.
    const views = [
      ['', '2025-11-04', 'Deutsche Telekom'],
      [`?company=${companyIds.Oracle}`, '2025-10-14', 'Oracle'],
      [`?metric=units&company=${companyIds.OpenAI},${companyIds.Meta}`, '2025-10-06', 'OpenAI'],
      ['?basis=announced&from=2024-Q4&to=2024-Q4', '2024-12-03', 'Anthropic'],
      // Tesla's 50k, announced in 2025-Q1, was delivered in 2024-Q4: not in this period on the delivery basis.
      ['?from=2025-Q1&to=2025-Q1', '2024-12-03', 'Anthropic'],
    ];
    for (const [view, date, company] of views) {
      await openView(page, view);
      const tile = page.getByTestId('tile-latest');
      await expect.poll(() => tile.locator('strong').textContent(), { message: view }).toBe(date);
      expect(await tile.getByRole('link').textContent(), view).toBe(company);
      const [, first] = await tableCells(page.getByTestId('latest-commitments'));
      expect([first[0], first[1]], view).toEqual([date, company]);
    }
    expect(problems).toEqual([]);
  });

  it('links the dashboard to the methodology, which everyone can read with the chip factors', async () => {
    const visitor = await openWatchedPage(browser.context);
    await openView(visitor.page, '');
    await visitor.page.getByRole('link', { name: 'How these numbers are made' }).click();
    await expect.poll(() => visitor.page.url()).toBe(`${testApp.baseUrl}/methodology`);
    await visitor.page.getByTestId('factors-table').waitFor();
    expect(await visitor.page.getByRole('heading', { level: 1 }).textContent()).toBe('How the numbers are made');
    const text = await visitor.page.locator('main').textContent();
    expect(text).toContain("the H100 SXM's: 989 TFLOP/s");
    expect(text).toContain('1,979 TFLOP/s');
    expect(text).toContain('87,500 in each quarter');
    expect(text).toContain('Chip spec missing');
    const [header, ...rows] = await tableCells(visitor.page.getByTestId('factors-table'));
    expect(header.slice(0, 5)).toEqual(['Chip', 'Vendor', 'Kind', 'Dense BF16 TFLOP/s', 'H100e factor (BF16)']);
    const h100 = rows.find((row) => row[0] === 'H100 SXM')!;
    expect(h100.slice(1, 7)).toEqual(['Nvidia', 'GPU', '989', '1', '1,979', '1']);
    const b200 = rows.find((row) => row[0] === 'B200')!;
    // 2,250 ÷ 989 = 2.275; 4,500 ÷ 1,979 = 2.274.
    expect([b200[4], b200[6]]).toEqual(['2.275', '2.274']);

    // A viewer reads the same page, and sees no catalog editing.
    const viewer = await openSignedInPage(browser.context, await testApp.session('viewer'));
    await viewer.page.goto(`${testApp.baseUrl}/methodology`);
    await viewer.page.getByTestId('factors-table').waitFor();
    expect(await viewer.page.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    expect([...visitor.problems, ...viewer.problems]).toEqual([]);
  });

  it('on a phone, folds the filters behind a button and opens a tooltip on a tap', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.setViewportSize({ width: 390, height: 844 });
    const touch = await page.context().newCDPSession(page);
    await touch.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    await openView(page, '');
    const filters = page.getByRole('form', { name: 'Dashboard filters' });
    expect(await filters.isVisible()).toBe(false);
    // The charts start on the first screen.
    const chartTop = (await page.getByTestId('panel-capacity-by-company').boundingBox())!.y;
    expect(chartTop).toBeLessThan(844);
    await page.getByRole('button', { name: 'Filters', exact: true }).click();
    expect(await filters.isVisible()).toBe(true);
    await page.getByRole('radio', { name: 'Units' }).check();
    await page.getByRole('button', { name: 'Hide filters' }).click();
    expect(await filters.isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Filters (1 set)' }).isVisible()).toBe(true);

    // A tap on the bars opens the tooltip of the quarter under the finger: its title and a line per company.
    const canvas = page.getByTestId('chart-capacity-by-company');
    await expect.poll(async () => (await chartTable(page, 'capacity-by-company'))['2025-Q1'].Anthropic).toBe('125,000');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    expect(await canvas.getAttribute('data-tooltip')).toBeNull();
    const [x, y] = [box.x + box.width * 0.6, box.y + box.height * 0.4];
    await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect.poll(() => canvas.getAttribute('data-tooltip')).not.toBeNull();
    const [title, ...lines] = (await canvas.getAttribute('data-tooltip'))!.split('\n');
    const table = await chartTable(page, 'capacity-by-company');
    expect(Object.keys(table)).toContain(title);
    expect(lines.map((line) => line.split(': ')[0])).toEqual(Object.keys(table[title]));
    expect(lines.every((line) => line.endsWith(' units'))).toBe(true);
    await saveScreenshot(page, 'dashboard-phone-tooltip');
    expect(problems).toEqual([]);
  });

  it('loads at most 250 KB gzip of scripts and styles on the first page', () => {
    const dist = projectPath('client/dist');
    const html = readFileSync(`${dist}/index.html`, 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]);
    expect(initial.length).toBeGreaterThanOrEqual(2);
    const gzipped = (file: string) => gzipSync(readFileSync(`${dist}/${file}`)).length;
    const initialBytes = initial.reduce((sum, file) => sum + gzipped(file), 0);
    const allBytes = readdirSync(`${dist}/assets`).reduce((sum, file) => sum + gzipped(`assets/${file}`), 0);
    console.log(`client bundle, gzip: first page ${(initialBytes / 1024).toFixed(1)} KB; every chunk ${(allBytes / 1024).toFixed(1)} KB`);
    expect(initialBytes).toBeLessThanOrEqual(250 * 1024);
    expect(allBytes).toBeLessThanOrEqual(250 * 1024);
  });
});
