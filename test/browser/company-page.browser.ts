import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartTable, openWatchedPage, saveScreenshot } from '../support/browser-page.js';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// A company's page: its capacity with the range of its total, its records as a timeline where a supersession chain
// is one line, its sources and hosts, the drift of its total and what it hosts for others; and the company's name
// links there from the list, a record and the dashboard.
describe('a company page', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let labId: string;
  let hostId: string;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: false, publicRead: true });
    browser = await launchChromium();
    const analyst = await testApp.as('analyst');
    const call = async (path: string, json: object) => {
      const response = await http(testApp.baseUrl, 'POST', path, { json, headers: analyst });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body as { id: string };
    };
    const chips: { id: string; name: string }[] = (await http(testApp.baseUrl, 'GET', '/api/accelerators', { headers: analyst })).body;
    const h100 = chips.find((chip) => chip.name === 'H100 SXM')!.id;
    labId = (await call('/api/companies', { name: 'Timeline Lab', kind: 'ai_lab', country: 'FR' })).id;
    hostId = (await call('/api/companies', { name: 'Host Cloud', kind: 'hyperscaler' })).id;
    const commit = (fields: object) => call('/api/commitments', { companyId: labId, acceleratorId: h100, status: 'announced', ...fields });
    const source = (title: string, publishedOn: string) => ({
      title,
      url: `https://news.example/${title.replace(/ /g, '-')}`,
      publisher: 'Wire',
      publishedOn,
    });

    // One commitment revised twice: 1,000 → 3,000 → about 4,000 chips, the last delivered. Only the newest counts.
    const first = await commit({
      quantity: 1000,
      announcedOn: '2030-01-15',
      deliveryFrom: '2030-Q1',
      deliveryBy: '2030-Q2',
      sources: [source('First plan', '2030-01-15')],
    });
    const second = await commit({
      quantity: 3000,
      announcedOn: '2030-03-01',
      deliveryFrom: '2030-Q2',
      deliveryBy: '2030-Q4',
      supersedesId: first.id,
      sources: [source('Bigger plan', '2030-03-01')],
    });
    await commit({
      quantity: 4000,
      quantityQualifier: 'approximate',
      announcedOn: '2030-06-10',
      deliveryFrom: '2030-Q2',
      deliveryBy: '2030-Q3',
      status: 'delivered',
      supersedesId: second.id,
      sources: [source('Delivered', '2030-06-10')],
    });
    // A cancelled order (not counted) and a rented share of Host Cloud's chips (counted under the lab).
    await commit({
      quantity: 500,
      announcedOn: '2030-02-01',
      deliveryFrom: '2030-Q1',
      deliveryBy: '2030-Q1',
      status: 'cancelled',
      sources: [source('Order', '2030-02-01')],
    });
    await commit({
      quantity: 600,
      announcedOn: '2030-04-01',
      deliveryFrom: '2030-Q3',
      deliveryBy: '2030-Q3',
      hostCompanyId: hostId,
      sources: [source('Rental', '2030-04-01')],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('shows the capacity with its range, one line per supersession chain in order, the sources and the host', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/companies/${labId}`);
    await page.getByRole('heading', { level: 1, name: 'Timeline Lab' }).waitFor();
    await page.locator('[data-testid="chart-company-capacity"][data-drawn="true"]').waitFor();
    expect(await page.getByTestId('company-facts').textContent()).toBe('AI lab, FR');

    // Counted: the newest of the chain, about 4,000 H100 over 2030-Q2..Q3 (2,000 a quarter, 1,800–2,200), and the
    // rented 600 in 2030-Q3 (exact). The superseded records and the cancelled order count nothing.
    expect(await chartTable(page, 'company-capacity')).toEqual({
      '2030-Q2': { Nvidia: '2,000', 'Range low': '1,800', 'Range high': '2,200' },
      '2030-Q3': { Nvidia: '2,600', 'Range low': '2,400', 'Range high': '2,800' },
    });
    // Running totals: 2,000 then 4,600 (4,200–5,000).
    // The box follows the URL, so it shows checked once the navigation its click starts has rendered (`check()`
    // looks at once). By role: the chart's title and buttons then speak of "Cumulative" capacity too.
    const cumulative = page.getByRole('checkbox', { name: 'Cumulative' });
    await cumulative.click();
    await expect.poll(() => cumulative.isChecked()).toBe(true);
    await expect
      .poll(() => chartTable(page, 'company-capacity'))
      .toEqual({
        '2030-Q2': { Nvidia: '2,000', 'Range low': '1,800', 'Range high': '2,200' },
        '2030-Q3': { Nvidia: '4,600', 'Range low': '4,200', 'Range high': '5,000' },
      });
    expect(new URL(page.url()).searchParams.get('cumulative')).toBe('true');

    // How the company's forecast moved: every record was written today, so each month end before it holds 0 and
    // today the lab's total to 2030-Q3, 4,600 (4,200–5,000).
    await page.getByTestId('drift-quarter').selectOption('2030-Q3');
    const drift = page.getByTestId('panel-forecast-drift');
    await expect.poll(() => drift.locator('h2').textContent()).toBe('Forecast for 2030-Q3, as it stood each month (H100e)');
    await page.locator('[data-testid="chart-forecast-drift"][data-drawn="true"]').waitFor();
    await drift.getByRole('button', { name: 'Show table' }).click();
    const driftTable = await chartTable(page, 'forecast-drift');
    const dates = Object.keys(driftTable);
    expect(dates.at(-1)).toBe(today);
    expect(driftTable[today]).toEqual({ 'Cumulative to 2030-Q3': '4,600', 'Range low': '4,200', 'Range high': '5,000' });
    for (const date of dates.slice(0, -1)) expect(driftTable[date]['Cumulative to 2030-Q3'], date).toBe('0');

    // The timeline: three lines, by first announcement; the chain of three records is one line of four events.
    const lines = page.getByTestId('timeline-line');
    expect(await lines.count()).toBe(3);
    const events = (index: number) =>
      lines
        .nth(index)
        .locator('.timeline-event')
        .evaluateAll((items) => items.map((item) => `${item.getAttribute('data-kind')}: ${(item.textContent ?? '').trim()}`));
    expect(await events(0)).toEqual([
      'announced: Announced 2030-01-15: 1,000 H100 SXM, delivery 2030-Q1 – 2030-Q2 (Wire)',
      'revised: Revised 2030-03-01: 3,000 H100 SXM, delivery 2030-Q2 – 2030-Q4 (Wire)',
      'revised: Revised 2030-06-10: about 4,000 H100 SXM, delivery 2030-Q2 – 2030-Q3 (Wire)',
      'delivered: Delivered by 2030-Q3',
    ]);
    expect(await events(1)).toEqual([
      'announced: Announced 2030-02-01: 500 H100 SXM, delivery 2030-Q1 (Wire)',
      `cancelled: Cancelled (recorded ${today})`,
    ]);
    expect(await events(2)).toEqual(['announced: Announced 2030-04-01: 600 H100 SXM, delivery 2030-Q3 (Wire)']);

    // Sources, newest first; the host is linked to its own page.
    expect(await page.getByTestId('company-sources').locator('li > a').allTextContents()).toEqual([
      'Delivered',
      'Rental',
      'Bigger plan',
      'Order',
      'First plan',
    ]);
    const hosts = page.getByTestId('hosts-and-parts');
    expect((await hosts.locator('li').textContent())?.replace(/\s+/g, ' ')).toBe('600 H100 SXM run on chips of Host Cloud');
    await saveScreenshot(page, 'company-page');
    await hosts.getByRole('link', { name: 'Host Cloud' }).click();
    await page.getByRole('heading', { level: 1, name: 'Host Cloud' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/companies/${hostId}`);
    // The host's page lists what other companies run on its chips; the lab's own page has no such list.
    const hosted = page.getByTestId('hosted-here');
    await expect.poll(() => hosted.locator('h2').textContent()).toBe("Hosted on Host Cloud's chips");
    expect((await hosted.locator('li').allTextContents()).map((text) => text.replace(/\s+/g, ' '))).toEqual(['Timeline Lab 600 H100 SXM']);
    await hosted.getByRole('link', { name: 'Timeline Lab' }).click();
    await page.getByRole('heading', { level: 1, name: 'Timeline Lab' }).waitFor();
    await page.getByTestId('hosts-and-parts').waitFor();
    expect(await page.getByTestId('hosted-here').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('links company names to the page from the list, a record and the dashboard', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments`);
    const list = page.getByTestId('commitments-list');
    await list.getByRole('link', { name: '2030-04-01' }).click();
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toBe('Timeline Lab: 600 H100 SXM');
    await heading.getByRole('link', { name: 'Timeline Lab' }).click();
    await page.getByRole('heading', { level: 1, name: 'Timeline Lab' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/companies/${labId}`);

    await page.goto(`${testApp.baseUrl}/commitments`);
    await list.getByRole('link', { name: 'Timeline Lab' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Timeline Lab' }).waitFor();

    await page.goto(`${testApp.baseUrl}/?from=2030-Q1&to=2030-Q4`);
    const links = page.getByTestId('dashboard-company-links');
    await expect.poll(() => links.getByRole('link').allTextContents()).toEqual(['Timeline Lab']);
    expect(await links.getByRole('link').getAttribute('href')).toBe(`/companies/${labId}`);
    expect(problems).toEqual([]);
  });
});
