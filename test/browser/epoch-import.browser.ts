import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { openWatchedPage, signInBrowser, tableCells } from '../support/browser-page.js';
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
