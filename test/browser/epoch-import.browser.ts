import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { openWatchedPage, saveScreenshot, signInBrowser, tableCells } from '../support/browser-page.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

const SMALL = readFileSync(new URL('../fixtures/epoch/gpu_clusters_small.csv', import.meta.url));
const CREDIT = 'Epoch AI, "Data on GPU Clusters", epoch.ai/data/gpu-clusters (CC BY 4.0)';

describe("the import page's Epoch AI GPU Clusters source, in a browser, as an analyst", () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let analyst: Record<string, string>;

  beforeAll(async () => {
    testApp = await startTestApp();
    browser = await launchChromium();
    const session = await testApp.session('analyst');
    analyst = session.headers;
    await signInBrowser(browser.context, session);
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it("previews the file, lists the row it leaves out, imports the others, and credits Epoch's data", async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/import`);
    await page.getByLabel('Source').selectOption({ label: 'Epoch AI GPU Clusters (CSV)' });
    expect(await page.getByTestId('epoch-clusters-credit').textContent()).toBe(`Data: ${CREDIT}.`);
    // Without EPOCH_CLUSTERS_URL the page says how to turn the schedule on.
    await expect.poll(() => page.getByTestId('epoch-clusters-sync').textContent()).toContain('set EPOCH_CLUSTERS_URL');

    await page.getByLabel('File published on').fill('2025-12-10');
    await page.setInputFiles('#import-file', { name: 'gpu_clusters.csv', mimeType: 'text/csv', buffer: SMALL });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: /problem found/ }).textContent())
      .toBe('1 problem found: those rows will be left out, nothing written yet');
    expect(await tableCells(page.getByTestId('import-counts'))).toEqual([
      ['Rows', 'Valid', 'Records', 'Would create', 'Would update', 'Unchanged', 'Errors'],
      ['7', '6', '7', '7', '0', '0', '1'],
    ]);
    const [, ...errors] = await tableCells(page.getByTestId('import-errors'));
    expect(errors).toEqual([['9', 'Status', 'must be Existing, Planned or Decommissioned', 'Rumoured']]);
    expect(await page.getByTestId('import-warnings').locator('summary').textContent()).toBe('1 warning (imported as described)');
    expect((await http(testApp.baseUrl, 'GET', '/api/commitments', { headers: analyst })).body.total).toBe(0);

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: /^Imported/ }).textContent())
      .toBe('Imported; 1 problem found, those rows left out');
    expect((await tableCells(page.getByTestId('import-counts')))[1]).toEqual(['7', '6', '7', '7', '0', '0', '1']);
    expect(await page.getByTestId('import-report').textContent()).toContain(`Data: ${CREDIT}.`);
    const stored = (await http(testApp.baseUrl, 'GET', '/api/commitments?limit=100', { headers: analyst })).body;
    expect(stored.total).toBe(7);
    expect(stored.items.map((record: { key: string }) => record.key)).toContain('epoch:Gamma Mixed#2');

    // The announcements source is the page as it was: no Epoch credit, no schedule.
    await page.getByLabel('Source').selectOption({ label: 'Announcements (CSV)' });
    expect(await page.getByTestId('epoch-clusters-credit').count()).toBe(0);
    expect(await page.getByTestId('epoch-clusters-sync').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

describe("Epoch AI's credit under the totals that count its records", () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let analyst: Record<string, string>;
  /** A demo company: none of Epoch's records is its. */
  let demo: { id: string; name: string };

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true, publicRead: true });
    browser = await launchChromium();
    analyst = await testApp.as('analyst');
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** Opens the dashboard and waits for its core chart and for its answer to whether the ledger holds Epoch's records. */
  async function openDashboard() {
    const watched = await openWatchedPage(browser.context);
    const asked = watched.page.waitForResponse(
      (response) => response.url().includes('/api/commitments?') && new URL(response.url()).searchParams.get('q') === CREDIT,
    );
    await watched.page.goto(testApp.baseUrl);
    await watched.page.locator('[data-testid="chart-capacity-by-company"][data-drawn="true"]').waitFor();
    const answer = (await (await asked).json()) as { items: unknown[] };
    return { ...watched, answer };
  }

  /** Opens a company's page and waits for its records (the timeline), from which the credit is decided. */
  async function openCompany(id: string, name: string) {
    const watched = await openWatchedPage(browser.context);
    await watched.page.goto(`${testApp.baseUrl}/companies/${id}`);
    await watched.page.getByRole('heading', { level: 1, name }).waitFor();
    await watched.page.getByTestId('company-timeline').waitFor();
    return watched;
  }

  it('shows no credit on the dashboard or a company page before any Epoch import', async () => {
    const { page, problems, answer } = await openDashboard();
    expect(answer.items).toEqual([]);
    expect(await page.getByRole('heading', { name: /^Capacity by company and quarter/ }).count()).toBe(1);
    expect(await page.getByTestId('epoch-clusters-credit').count()).toBe(0);

    demo = (await http(testApp.baseUrl, 'GET', '/api/commitments?limit=1', { headers: analyst })).body.items[0].company;
    const companyPage = await openCompany(demo.id, demo.name);
    expect(await companyPage.page.getByTestId('epoch-clusters-credit').count()).toBe(0);
    expect([...problems, ...companyPage.problems]).toEqual([]);
  });

  it('shows the clusters credit, linked to the data set, on the dashboard and on the page of a company with Epoch records', async () => {
    const imported = await http(testApp.baseUrl, 'POST', '/api/imports/epoch-clusters?publishedOn=2025-12-10', {
      text: SMALL.toString('utf8'),
      contentType: 'text/csv',
      headers: analyst,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.created).toBe(7);

    const { page, problems, answer } = await openDashboard();
    expect(answer.items).toHaveLength(1);
    const credit = page.getByTestId('epoch-clusters-credit');
    await expect.poll(() => credit.textContent()).toBe(`Includes records from ${CREDIT}.`);
    expect(await credit.getByRole('link', { name: CREDIT }).getAttribute('href')).toBe('https://epoch.ai/data/gpu-clusters');

    const companies: { id: string; name: string }[] = (await http(testApp.baseUrl, 'GET', '/api/companies', { headers: analyst })).body;
    const alpha = companies.find((company) => company.name === 'Alpha Cloud')!;
    const alphaPage = await openCompany(alpha.id, alpha.name);
    expect(await alphaPage.page.getByTestId('epoch-clusters-credit').textContent()).toBe(`Includes records from ${CREDIT}.`);

    // A company with none of Epoch's records shows none, though the ledger now holds some.
    const demoPage = await openCompany(demo.id, demo.name);
    expect(await demoPage.page.getByTestId('epoch-clusters-credit').count()).toBe(0);
    await saveScreenshot(page, 'dashboard-epoch-credit');
    expect([...problems, ...alphaPage.problems, ...demoPage.problems]).toEqual([]);
  });
});
