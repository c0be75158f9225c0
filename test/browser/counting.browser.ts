import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartTable, openSignedInPage, openWatchedPage, saveScreenshot } from '../support/browser-page.js';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

/** The figures of each series in the one quarter of the ledger, the band's columns left out. */
async function seriesIn(page: Page, chartId: string): Promise<Record<string, string>> {
  const table = await chartTable(page, chartId);
  const { 'Range low': _low, 'Range high': _high, ...series } = table['2030-Q1'] ?? {};
  return series;
}

// Counting each chip once on the dashboard: a tenant's share of a fleet under the tenant (user) or under the fleet's
// owner, the same capacity by country and by kind of company, the records left out with their reasons, and the
// prompt after saving a record that may repeat one already in the ledger.
describe('owners and users, countries and duplicates in the web client', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let mistralId = '';
  let undisclosedId = '';
  let humainId = '';

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
    const company = (name: string, kind: string, country: string) => call('/api/companies', { name, kind, country });
    const google = await company('Google', 'hyperscaler', 'US');
    const anthropic = await company('Anthropic', 'ai_lab', 'US');
    const mistral = await company('Mistral AI', 'ai_lab', 'FR');
    const humain = await company('Humain', 'sovereign', 'US');
    // H100 SXM: 1 H100e a chip; every record in 2030-Q1 only.
    const commit = (companyId: string, fields: object) =>
      call('/api/commitments', {
        companyId,
        acceleratorId: h100,
        announcedOn: '2030-01-15',
        deliveryBy: '2030-Q1',
        status: 'announced',
        sources: [{ title: 'An announcement' }],
        ...fields,
      });
    // Google's fleet of 100,000, of which 30,000 are Anthropic's.
    const fleet = await commit(google.id, { quantity: 100_000 });
    await commit(anthropic.id, { quantity: 30_000, hostCompanyId: google.id, partOfId: fleet.id });
    mistralId = (await commit(mistral.id, { quantity: 20_000 })).id;
    // Humain is registered in the US, its chips are in Saudi Arabia.
    humainId = (await commit(humain.id, { quantity: 10_000, siteCountry: 'SA' })).id;
    // Counted by status and period, but no figure: left out.
    undisclosedId = (await commit(mistral.id, { notes: 'Size not given' })).id;
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('switches between user and owner, in the URL, with the totals computed by hand', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(testApp.baseUrl);
    await page.locator('[data-testid="chart-capacity-by-company"][data-drawn="true"]').waitFor();
    // User: Google's fleet less Anthropic's share, 100,000 − 30,000; 130,000 in all.
    await expect
      .poll(() => seriesIn(page, 'capacity-by-company'))
      .toEqual({ Google: '70,000', Anthropic: '30,000', 'Mistral AI': '20,000', Humain: '10,000' });
    await expect.poll(() => page.getByTestId('tile-capacity').locator('strong').textContent()).toBe('130k');

    // Owner: the whole fleet under Google, Anthropic's share counted there and nowhere else; the same 130,000.
    await page.getByRole('radio', { name: 'Owner' }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('attribution')).toBe('owner');
    await expect.poll(async () => (await seriesIn(page, 'capacity-by-company')).Google).toBe('100,000');
    const owner = await seriesIn(page, 'capacity-by-company');
    expect({ ...owner, Anthropic: owner.Anthropic ?? '0' }).toEqual({
      Google: '100,000',
      Anthropic: '0',
      'Mistral AI': '20,000',
      Humain: '10,000',
    });
    expect(await page.getByTestId('tile-capacity').locator('strong').textContent()).toBe('130k');

    // The link reproduces the view: opened afresh, the owner's figures again.
    await page.goto(`${testApp.baseUrl}/?attribution=owner`);
    await expect.poll(async () => (await seriesIn(page, 'capacity-by-company')).Google).toBe('100,000');
    expect(await page.getByRole('radio', { name: 'Owner' }).isChecked()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('shows the capacity by country and by kind of company, and lists the records left out', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(testApp.baseUrl);
    await page.getByRole('radio', { name: 'Country' }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('groupBy')).toBe('country');
    await page.locator('[data-testid="chart-capacity-by-country"][data-drawn="true"]').waitFor();
    // Google's and Anthropic's chips in the US (the companies' country), Mistral's in France, Humain's at its site.
    await expect.poll(() => seriesIn(page, 'capacity-by-country')).toEqual({ US: '100,000', FR: '20,000', SA: '10,000' });
    expect(await page.getByRole('heading', { name: /^Capacity by country and quarter/ }).count()).toBe(1);

    // By kind of company, user then owner: Anthropic's 30,000 move from the AI labs to the hyperscalers.
    await page.getByRole('radio', { name: 'Kind of company' }).check();
    await expect
      .poll(() => seriesIn(page, 'capacity-by-company-kind'))
      .toEqual({ Hyperscaler: '70,000', 'AI lab': '50,000', 'Sovereign programme': '10,000' });
    await page.getByRole('radio', { name: 'Owner' }).check();
    await expect
      .poll(() => seriesIn(page, 'capacity-by-company-kind'))
      .toEqual({ Hyperscaler: '100,000', 'AI lab': '20,000', 'Sovereign programme': '10,000' });
    expect(new URL(page.url()).search).toBe('?attribution=owner&groupBy=companyKind');

    // "Why?": the reasons, then the records themselves, each a link to its page.
    const tile = page.getByTestId('tile-excluded');
    expect(await tile.locator('strong').textContent()).toBe('1');
    await tile.getByText('Why?').click();
    const records = page.getByTestId('excluded-records').locator('li');
    await expect.poll(() => records.allTextContents()).toEqual(['Mistral AI — quantity undisclosed']);
    expect(await records.getByRole('link').getAttribute('href')).toBe(`/commitments/${undisclosedId}`);
    await saveScreenshot(page, 'counting-dashboard');
    expect(problems).toEqual([]);
  });

  it('shows the server refusal of a site country at its field, then asks about a possible duplicate after the save', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('analyst'));
    await page.goto(`${testApp.baseUrl}/commitments/new`);
    const form = page.locator('form.record-form');
    await form.getByLabel('Company', { exact: true }).selectOption({ label: 'Mistral AI' });
    await form.getByLabel('Chip', { exact: true }).selectOption({ label: 'H100 SXM (Nvidia)' });
    await form.getByLabel('Quantity (units)').fill('21000');
    await form.getByLabel('Announced on').fill('2030-02-01');
    await form.getByLabel('Delivery by (YYYY-Qn)').fill('2030-Q1');
    await form.getByLabel('Title').fill('Mistral AI adds GPUs');
    // Two capitals, but no country: the form lets it through, the server refuses it, the field says so.
    await form.getByLabel('Site country (ISO code)').fill('XX');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    await expect
      .poll(() => page.getByTestId('error-siteCountry').textContent())
      .toBe('Site country must be an ISO 3166 alpha-2 country code such as US');
    await form.getByLabel('Site country (ISO code)').fill('FR');
    await page.getByRole('button', { name: 'Save commitment' }).click();

    // 21,000 against the stored 20,000 of the same company, chip and quarter: within 10 %, so it may repeat it.
    const prompt = page.getByTestId('duplicate-prompt');
    await prompt.waitFor();
    const duplicate = prompt.getByTestId('duplicate');
    await expect.poll(() => duplicate.count()).toBe(1);
    expect(await duplicate.getByRole('link').getAttribute('href')).toBe(`/commitments/${mistralId}`);
    expect(await duplicate.getByRole('link').textContent()).toBe('Mistral AI: 20,000 H100 SXM, 2030-Q1, announced 2030-01-15');
    await saveScreenshot(page, 'counting-duplicate-prompt');
    await duplicate.getByRole('button', { name: 'Mine revises it' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Mistral AI: 21,000 H100 SXM');

    // The revision replaces the record it repeats: 130,000 − 20,000 + 21,000.
    const summary = await http(testApp.baseUrl, 'GET', '/api/capacity/summary');
    expect(summary.body.total).toBe(131_000);
    const stored = await http(testApp.baseUrl, 'GET', `/api/commitments/${mistralId}`);
    expect(stored.body.supersededById).toBe(new URL(page.url()).pathname.split('/').pop());
    // The one refusal: the site country's.
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });

  it('asks on the add-from-text page about a saved record that repeats one in the ledger, and links it as a part', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('analyst'));
    const before = (await http(testApp.baseUrl, 'GET', '/api/capacity/summary')).body.total as number;
    await page.goto(`${testApp.baseUrl}/entry`);
    await page
      .getByLabel('Article text')
      .fill('Humain said on Monday it will install about 10,200 Nvidia H100 GPUs in the first quarter of 2030 at its Riyadh campus.');
    await page.getByLabel('Published on').fill('2030-02-10');
    await page.getByLabel('Title').fill('Humain grows its Riyadh campus');
    await page.getByRole('button', { name: 'Suggest records' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '1 suggested record' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Save 1 accepted record' }).click();
    await expect.poll(() => page.getByTestId('saved').locator('li').allTextContents()).toEqual(['Humain: about 10,200 H100 SXM']);

    // About 10,200 against Humain's stored 10,000 of the same chip and quarter: within 10 %, so it may repeat it.
    const prompt = page.getByTestId('duplicate-prompt');
    await prompt.waitFor();
    expect(await prompt.locator('p').first().textContent()).toContain('(Humain: about 10,200 H100 SXM, 2030-Q1, announced 2030-02-10)');
    const duplicate = prompt.getByTestId('duplicate');
    await expect.poll(() => duplicate.count()).toBe(1);
    expect(await duplicate.getByRole('link').getAttribute('href')).toBe(`/commitments/${humainId}`);
    expect(await duplicate.getByRole('link').textContent()).toBe('Humain: 10,000 H100 SXM, 2030-Q1, announced 2030-01-15');
    await saveScreenshot(page, 'counting-entry-duplicate-prompt');
    await duplicate.getByRole('button', { name: 'Mine is a part of it' }).click();
    await expect
      .poll(() => page.getByTestId('duplicate-settled').textContent())
      .toBe(
        'Humain: about 10,200 H100 SXM, 2030-Q1, announced 2030-02-10 is a part of Humain: 10,000 H100 SXM, 2030-Q1, announced 2030-01-15: counted once, within it.',
      );
    expect(await page.getByTestId('duplicate-prompt').count()).toBe(0);

    // The new record is the stored one's part, with the article as its source.
    const newId = (await page.getByTestId('saved').getByRole('link', { name: 'Humain: about 10,200 H100 SXM' }).getAttribute('href'))!
      .split('/')
      .pop();
    const stored = (await http(testApp.baseUrl, 'GET', `/api/commitments/${newId}`)).body;
    expect(stored).toMatchObject({ partOfId: humainId, quantity: 10_200, sources: [{ title: 'Humain grows its Riyadh campus' }] });
    // Counted once: the part's 10,200 under Humain, the whole's remainder max(0, 10,000 − 10,200) = 0, so the total
    // grows by 200, not by 10,200.
    const after = (await http(testApp.baseUrl, 'GET', '/api/capacity/summary')).body.total as number;
    expect(after - before).toBe(200);
    expect(problems).toEqual([]);
  });
});
