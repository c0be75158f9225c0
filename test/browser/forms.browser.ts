import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { openSignedInPage } from '../support/browser-page.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

/** The `name` of the element that has the focus: the API's name of the field. */
const focusedField = (page: Page) => page.evaluate('document.activeElement?.getAttribute("name")');

describe('forms that say what is wrong in the words of the page', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('moves the focus to the first error, and warns of a delivery window before the announcement without refusing it', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('analyst'));
    await page.goto(`${testApp.baseUrl}/commitments/new`);
    const form = page.locator('form.record-form');
    await form.getByLabel('Quantity (units)').fill('500');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    // The company comes first in the form: the focus goes there, and every message uses the page's words.
    await expect.poll(() => focusedField(page)).toBe('companyId');
    expect(await page.getByTestId('error-companyId').textContent()).toBe('Choose the company');
    expect(await page.getByTestId('error-announcedOn').textContent()).toBe('Enter the date of the announcement');
    const messages = await page.locator('.field-error').allTextContents();
    expect(messages.filter((message) => /\b[a-z]+[A-Z]\w*\b/.test(message))).toEqual([]);

    await form.getByLabel('Company').selectOption({ label: 'xAI' });
    await form.getByLabel('Announced on').fill('2025-05-20');
    await form.getByLabel('Title').fill('xAI memasang GPU tahun lalu');
    // Delivered by 2024-Q2, announced in 2025-Q2: allowed (a report of deliveries made), flagged as a likely typo.
    await form.getByLabel('Delivery by (YYYY-Qn)').fill('2024-Q2');
    await expect
      .poll(() => page.getByTestId('warning-deliveryBy').textContent())
      .toBe(
        'The whole delivery window (to 2024-Q2) is before the announcement (2025-Q2): usually a typo. Right only for deliveries already made.',
      );
    await form.getByLabel('Delivery by (YYYY-Qn)').fill('2025-Q4');
    await expect.poll(() => page.getByTestId('warning-deliveryBy').count()).toBe(0);
    await form.getByLabel('Delivery by (YYYY-Qn)').fill('2024-Q2');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('xAI: 500 Unknown GPU');
    expect(await page.getByTestId('commitment-facts').textContent()).toContain('2024-Q2');
    expect(problems).toEqual([]);
  });

  it('names a server refusal at its field in plain words and focuses it', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('analyst'));
    await page.goto(`${testApp.baseUrl}/commitments/new`);
    const form = page.locator('form.record-form');
    await form.getByLabel('Company').selectOption({ label: 'Meta' });
    await form.getByLabel('Announced on').fill('2025-02-02');
    // Only the server checks lengths: 201 characters of publisher.
    await form.getByLabel('Title').fill('Meta tambah GPU');
    await form.getByLabel('Publisher').fill('P'.repeat(201));
    await page.getByRole('button', { name: 'Save commitment' }).click();
    await expect.poll(() => page.getByTestId('error-sources-0-publisher').textContent()).toBe('Publisher must be at most 200 characters');
    await expect.poll(() => focusedField(page)).toBe('sources[0].publisher');
    expect(await page.getByRole('alert').last().textContent()).toBe(
      'The request was not accepted: Publisher must be at most 200 characters.',
    );
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });

  it('shows a source error of an article once, at the source’s field, not in every suggestion', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('analyst'));
    await page.goto(`${testApp.baseUrl}/entry`);
    await page
      .getByLabel('Article text')
      .fill(
        'Meta juga berencana mengamankan sekitar 120.000 unit GPU H200 dari Nvidia pada akhir tahun ini. Perusahaan ini berencana memasang versi terbaru chip kustom buatannya tahun ini.',
      );
    await page.getByLabel('Published on').fill('2024-02-28');
    await page.getByLabel('URL').fill('news.example.id/meta-gpu');
    await page.getByRole('button', { name: 'Suggest records' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '2 suggested records' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Save 2 accepted records' }).click();
    await expect.poll(() => page.getByTestId('error-url').textContent()).toBe('Enter a web address starting with http:// or https://');
    expect(await page.getByTestId('error-url').count()).toBe(1);
    expect(await page.getByTestId('other-errors').count()).toBe(0);
    await expect.poll(() => focusedField(page)).toBe('url');

    await page.getByLabel('URL').fill('https://news.example.id/meta-gpu');
    await page.getByRole('button', { name: 'Save 2 accepted records' }).click();
    await expect.poll(() => page.getByTestId('saved').locator('li').count()).toBe(2);
    const saved = (await http(testApp.baseUrl, 'GET', '/api/commitments?sort=-createdAt&limit=2', { headers: await testApp.as('analyst') }))
      .body;
    expect(saved.items.map((record: { sources: { url: string }[] }) => record.sources[0].url)).toEqual([
      'https://news.example.id/meta-gpu',
      'https://news.example.id/meta-gpu',
    ]);
    expect(problems).toEqual([]);
  });
});
