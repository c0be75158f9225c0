import { mkdirSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { projectPath } from '../../src/common/project-root.js';

export const ARTIFACTS = projectPath('test-artifacts');

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions and failed requests seen since the page opened. */
  problems: string[];
}

/** A new tab that records everything that went wrong in it, for a "no console errors" check at the end. */
export async function openWatchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Leaving a page aborts its requests still in flight; any other failure is a fault.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  return { page, problems };
}

/** The cells of a table as text, header row first. */
export function tableCells(table: Locator): Promise<string[][]> {
  // Runs in the page; the test project has no DOM types, so the table is described by what is read from it.
  type Table = { rows: ArrayLike<{ cells: ArrayLike<{ textContent: string | null }> }> };
  return table.evaluate((element) =>
    Array.from((element as unknown as Table).rows, (row) => Array.from(row.cells, (cell) => (cell.textContent ?? '').trim())),
  );
}

/** The data table behind a chart as {quarter (or label) → {column → text}}. */
export async function chartTable(page: Page, chartId: string): Promise<Record<string, Record<string, string>>> {
  const [header, ...rows] = await tableCells(page.getByTestId(`chart-table-${chartId}`));
  return Object.fromEntries(
    rows.map((row) => [row[0], Object.fromEntries(header.slice(1).map((column, index) => [column, row[index + 1]]))]),
  );
}

export function saveScreenshot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

/** Fills and sends the sign-in form of the page already open at /login. */
export async function fillSignIn(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A tab that starts signed in with this session, as the client keeps one after signing in (sessionStorage). */
export async function openSignedInPage(context: BrowserContext, session: { accessToken: string; user: object }): Promise<WatchedPage> {
  const watched = await openWatchedPage(context);
  const stored = JSON.stringify({ accessToken: session.accessToken, user: session.user });
  // Once per tab, as a sign-in would: a later reload or sign-out in the tab must not bring it back.
  await watched.page.addInitScript(`if (!sessionStorage.getItem('test.signed-in')) {
    sessionStorage.setItem('test.signed-in', '1');
    sessionStorage.setItem('compute-ledger.session', ${JSON.stringify(stored)});
  }`);
  return watched;
}

/** The link texts of the main navigation. */
export function navigationLinks(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
}
