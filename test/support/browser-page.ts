import { mkdirSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { REFRESH_COOKIE, REFRESH_COOKIE_PATH } from '../../src/auth/refresh-cookie.js';
import { projectPath } from '../../src/common/project-root.js';
import type { TestSession } from './test-app.js';

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

/**
 * The browser signed in as this session's account, as the sign-in page leaves it: a refresh cookie of a new session
 * of its own (so the browser rotating it never touches the session the test calls the API with). Every tab opened
 * afterwards starts signed in. Returns the browser's session.
 */
export async function signInBrowser(context: BrowserContext, session: TestSession): Promise<TestSession> {
  const own = await session.signInAgain();
  await context.addCookies([
    {
      name: REFRESH_COOKIE,
      value: own.refreshCookie,
      domain: new URL(own.baseUrl).hostname,
      path: REFRESH_COOKIE_PATH,
      httpOnly: true,
      sameSite: 'Strict',
      secure: false,
    },
  ]);
  return own;
}

/** A tab that starts signed in as this session's account (see signInBrowser). */
export async function openSignedInPage(context: BrowserContext, session: TestSession): Promise<WatchedPage> {
  await signInBrowser(context, session);
  return openWatchedPage(context);
}

/** The browser's refresh cookie, if it holds one. */
export async function refreshCookieIn(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === REFRESH_COOKIE)?.value;
}

/** The link texts of the main navigation. */
export function navigationLinks(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
}
