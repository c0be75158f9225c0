import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { openWatchedPage, saveScreenshot, signInBrowser } from '../support/browser-page.js';
import { articlePage, FeedServer, rssFeed } from '../support/feed-server.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

// The feed server is on 127.0.0.1: the inbox reaches it only when allowed. Jobs wait for the page's "Read now".
const saved = { JOB_POLL_SECONDS: process.env.JOB_POLL_SECONDS, FEED_ALLOW_PRIVATE_ADDRESSES: process.env.FEED_ALLOW_PRIVATE_ADDRESSES };
process.env.JOB_POLL_SECONDS = '0';
process.env.FEED_ALLOW_PRIVATE_ADDRESSES = 'true';

// Our own sentences, in the style of technology news.
const NORTHWIND_SENTENCE = 'Northwind AI said on Tuesday that it will buy 20,000 Nvidia H100 GPUs by the end of 2025.';
const ORION_SENTENCE = 'Orion Cloud berencana membeli sekitar 50.000 unit GPU H100 pada akhir tahun ini.';
const FILLER =
  'The company has been expanding its training capacity for two years. Its executives described the plan at an event for ' +
  'partners and customers, where they also spoke about software and hiring. Analysts said demand for accelerators is still ' +
  'growing across the industry, and that prices for rented capacity have started to settle after a volatile period. ' +
  'The firm plans to publish more details about its sites later, together with its next quarterly results.';

describe('the inbox in a browser, signed in as an analyst', () => {
  const server = new FeedServer();
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let analyst: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await server.start();
    server.routes.set('/wire.xml', {
      body: rssFeed('Test Wire', [
        {
          title: 'Northwind orders H100 GPUs',
          link: server.url('/articles/northwind'),
          guid: 'wire-northwind',
          pubDate: 'Tue, 04 Mar 2025 09:00:00 GMT',
          content: `<p>${NORTHWIND_SENTENCE}</p><p>${FILLER}</p>`,
        },
        {
          title: 'Orion Cloud memperluas pusat datanya',
          link: server.url('/articles/orion'),
          pubDate: 'Wed, 02 Apr 2025 07:00:00 GMT',
          description: 'Orion Cloud memperluas pusat datanya.',
        },
      ]),
    });
    server.routes.set('/articles/orion', {
      contentType: 'text/html; charset=utf-8',
      body: articlePage({
        title: 'Orion Cloud menambah kapasitas',
        language: 'id',
        published: '2025-04-02T10:00:00+07:00',
        paragraphs: [
          'JAKARTA - Orion Cloud mengumumkan rencana ekspansi pusat datanya pada hari Selasa di hadapan para mitra dan pelanggan.',
          ORION_SENTENCE,
        ],
      }),
    });
    testApp = await startTestApp();
    browser = await launchChromium();
    const session = await testApp.session('analyst');
    analyst = session.headers;
    await signInBrowser(browser.context, session);
    for (const [name, aliases] of [
      ['Northwind', ['Northwind AI']],
      ['Orion Cloud', []],
    ] as const) {
      ids[name] = (await api('POST', '/api/companies', { name, aliases, kind: 'ai_lab', country: 'US' })).body.id;
    }
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
    await server.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const api = (method: string, path: string, json?: unknown) => http(testApp.baseUrl, method, path, { json, headers: analyst });
  const listTitles = (page: Page) => page.getByTestId('inbox-list').locator('.inbox-title').allTextContents();
  const shownTitle = (page: Page) => page.getByTestId('inbox-item').getByRole('heading', { level: 2 }).textContent();

  it('adds a feed, reads it, and goes through its items with the keyboard: edit and accept one, dismiss the other', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/inbox`);
    await expect.poll(() => page.getByTestId('empty-state').getByRole('heading').textContent()).toBe('Nothing waiting for review');

    // A feed without a name is refused at its field; then added and read at once.
    await page.getByLabel('Feed URL').fill(server.url('/wire.xml'));
    await page.getByRole('button', { name: 'Add feed' }).click();
    expect(await page.getByTestId('error-name').textContent()).toContain('Name the feed');
    await page.getByLabel('Feed name').fill('Test Wire');
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page.getByRole('button', { name: 'Read “Test Wire” now' }).click();

    // Newest first; the first item is shown with its sentence marked and its fields filled.
    await expect.poll(() => listTitles(page)).toEqual(['Orion Cloud memperluas pusat datanya', 'Northwind orders H100 GPUs']);
    expect(await shownTitle(page)).toBe('Orion Cloud memperluas pusat datanya');
    const item = page.getByTestId('inbox-item');
    expect(await item.getByText('Read from the linked page').count()).toBe(1);
    expect(await item.getByTestId('evidence-text').locator('mark').allTextContents()).toEqual([ORION_SENTENCE]);
    const orion = item.getByTestId('suggestion-1');
    expect(await orion.getByLabel('Company').locator('option:checked').textContent()).toBe('Orion Cloud');
    expect(await orion.getByLabel('Quantity').inputValue()).toBe('50000');
    expect(await orion.getByLabel('Delivery by').inputValue()).toBe('2025-Q4');

    // j and k move through the list.
    await page.keyboard.press('j');
    await expect.poll(() => shownTitle(page)).toBe('Northwind orders H100 GPUs');
    await page.keyboard.press('k');
    await expect.poll(() => shownTitle(page)).toBe('Orion Cloud memperluas pusat datanya');

    // Typing a figure does not trigger the keys; a accepts once the field is left.
    await orion.getByLabel('Quantity').fill('55000');
    await orion.getByLabel('Certainty').selectOption('confirmed');
    await item.getByRole('heading', { level: 2 }).click();
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('inbox-outcome').textContent()).toContain('Orion Cloud: about 55,000 H100 SXM');
    await expect.poll(() => listTitles(page)).toEqual(['Northwind orders H100 GPUs']);
    expect(await shownTitle(page)).toBe('Northwind orders H100 GPUs');

    // d dismisses the item shown: nothing is left waiting.
    await page.keyboard.press('d');
    await expect.poll(() => page.getByTestId('inbox-outcome').textContent()).toBe('Dismissed “Northwind orders H100 GPUs”.');
    await expect.poll(() => page.getByTestId('empty-state').count()).toBe(1);
    await page.getByRole('button', { name: 'Dismissed' }).click();
    await expect.poll(() => listTitles(page)).toEqual(['Northwind orders H100 GPUs']);
    await saveScreenshot(page, 'inbox-dismissed');

    const records = (await api('GET', `/api/commitments?companyId=${ids['Orion Cloud']}`)).body.items;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      quantity: 55_000,
      quantityQualifier: 'approximate',
      certainty: 'confirmed',
      announcedOn: '2025-04-02',
      deliveryBy: '2025-Q4',
      sources: [
        {
          url: server.url('/articles/orion'),
          title: 'Orion Cloud memperluas pusat datanya',
          publisher: 'Test Wire',
          publishedOn: '2025-04-02',
          language: 'id',
          quote: ORION_SENTENCE,
        },
      ],
    });
    expect((await api('GET', `/api/commitments?companyId=${ids.Northwind}`)).body.total).toBe(0);
    expect(problems).toEqual([]);
  });
});
