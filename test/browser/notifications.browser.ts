import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { openSignedInPage, tableCells } from '../support/browser-page.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// Background work runs when the test asks (runDue): each step is seen as it happens, with no clock to wait for.
const pollSetting = process.env.JOB_POLL_SECONDS;
process.env.JOB_POLL_SECONDS = '0';

describe('watches, notifications and webhooks in a browser', () => {
  const receiver = new WebhookReceiver();
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let analyst: Record<string, string>;
  let companyId: string;
  let h100: string;

  const runJobs = async () => {
    const jobs = testApp.app.get(JobsService);
    while ((await jobs.runDue()) > 0) await jobs.idle();
  };
  const newRecord = async (quantity: number) => {
    const response = await http(testApp.baseUrl, 'POST', '/api/commitments', {
      json: {
        companyId,
        acceleratorId: h100,
        quantity,
        announcedOn: '2025-02-01',
        status: 'announced',
        sources: [{ title: 'A note written for this test' }],
      },
      headers: analyst,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    await runJobs();
    return response.body as { id: string };
  };

  beforeAll(async () => {
    await receiver.start();
    testApp = await startTestApp({ rateLimits: { loginPerMinute: 0 } });
    browser = await launchChromium();
    analyst = await testApp.as('analyst');
    const company = await http(testApp.baseUrl, 'POST', '/api/companies', {
      json: { name: 'Lantern Compute', country: 'GB', kind: 'neocloud' },
      headers: analyst,
    });
    companyId = company.body.id;
    const chips = (await http(testApp.baseUrl, 'GET', '/api/accelerators', { headers: analyst })).body as { id: string; name: string }[];
    h100 = chips.find((chip) => chip.name === 'H100 SXM')!.id;
    await newRecord(1000);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
    await receiver.stop();
    if (pollSetting === undefined) delete process.env.JOB_POLL_SECONDS;
    else process.env.JOB_POLL_SECONDS = pollSetting;
  });

  it('saves the dashboard filter as a watch, counts its notification in the header and marks it read', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('viewer'));
    await page.goto(`${testApp.baseUrl}/`);
    await page.getByRole('button', { name: 'Watch this filter' }).click();
    const form = page.getByRole('form', { name: 'Watch this filter' });
    await form.getByLabel('Name of the watch').fill('Whole ledger');
    await form.getByRole('button', { name: 'Save watch' }).click();
    // H100 SXM is the reference chip: 1,000 units are 1,000 H100e.
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Watching' }).textContent())
      .toContain('Watching “Whole ledger” (1,000 H100e now)');
    expect(await page.getByTestId('notifications-link').getAttribute('aria-label')).toBe('Notifications');

    const added = await newRecord(2000);
    await page.goto(`${testApp.baseUrl}/notifications`);
    await expect.poll(() => page.getByTestId('notifications-link').getAttribute('aria-label')).toBe('Notifications: 1 unread');
    await expect
      .poll(async () => (await tableCells(page.getByTestId('notifications'))).map((row) => row.slice(1)))
      .toEqual([
        ['Watch', 'Change', 'Before (H100e)', 'After (H100e)', 'Difference', 'Read'],
        ['Whole ledger', 'A record was added', '1,000', '3,000', '+2,000', 'Mark read'],
      ]);
    expect(await page.getByTestId('notifications').getByRole('link', { name: 'A record' }).getAttribute('href')).toBe(
      `/commitments/${added.id}`,
    );
    expect(await page.getByTestId('watches').textContent()).toContain('Whole ledger — the whole ledger: 3,000 H100e');

    await page.getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(() => page.getByTestId('notifications-link').getAttribute('aria-label')).toBe('Notifications');
    await expect.poll(async () => (await tableCells(page.getByTestId('notifications')))[1].at(-1)).toBe('read');
    expect(problems).toEqual([]);
  });

  it('lets an admin create a webhook, see its secret once and follow its deliveries', async () => {
    const { page, problems } = await openSignedInPage(browser.context, await testApp.session('admin'));
    await page.goto(`${testApp.baseUrl}/webhooks`);
    const form = page.getByRole('form', { name: 'New webhook' });
    const url = receiver.url('/ledger');
    await form.getByLabel('URL').fill(url);
    await form.getByRole('button', { name: 'Create webhook' }).click();
    await expect.poll(() => page.getByTestId('webhook-secret').textContent()).toMatch(/^Created\. Its secret, shown this once: [\w-]{43}$/);
    await expect
      .poll(async () => (await tableCells(page.getByTestId('webhooks')))[1]?.slice(0, 5))
      .toEqual([url, 'commitment.created, commitment.updated, commitment.superseded, commitment.deleted', '0', '0', '0']);

    await newRecord(500);
    expect(receiver.to('/ledger')).toHaveLength(1);
    await page.reload();
    await page.getByRole('button', { name: `Deliveries of ${url}` }).click();
    await expect
      .poll(async () => (await tableCells(page.getByTestId('deliveries'))).map((row) => [row[0], ...row.slice(2, 5)]))
      .toEqual([
        ['Event', 'State', 'Attempts', 'Last answer'],
        ['commitment.created', 'delivered', '1', '200'],
      ]);
    expect(JSON.stringify(await tableCells(page.getByTestId('webhooks')))).not.toContain('Its secret');
    expect(problems).toEqual([]);
  });
});
