/**
 * Time from navigation to the first chart drawn on the dashboard, in headless Chromium, and the size of the
 * production bundle. Each navigation opens a new tab on the built API, run as its own process over a scratch
 * database. "Cold": the server's capacity answers are not cached — the first navigation after it started (the
 * browser's cache empty too) and each navigation after a write; "warm": they are, as for every manager after the
 * first until the next write. Prints figures and writes bench/results/first-chart.json; asserts nothing about speed.
 *
 *   npm run bench:first-chart                                                                   # the demo data
 *   BENCH_RECORDS=1000000 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:first-chart
 *
 * BENCH_RECORDS loads that many synthetic commitments (bench/synthetic-ledger.mjs, as `npm run bench` does) instead
 * of the demo data. The database is created (and dropped) on BENCH_DATABASE_URL, else it is the embedded PostgreSQL
 * in memory. BENCH_COLD_RUNS (default 5) and BENCH_WARM_RUNS (default 10) set the navigations.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, it } from 'vitest';
import { projectPath } from '../src/common/project-root.js';
import { launchChromium, type HeadlessBrowser } from '../test/support/chromium.js';
import { rebuildRollup, type ScratchDatabase, scratchDatabase, signIn, startServer, stopServer } from './bench-server.mjs';
import { insertCommitments, insertCompanies, settleAfterLoad, SyntheticLedger } from './synthetic-ledger.mjs';

const RECORDS = process.env.BENCH_RECORDS ? Number(process.env.BENCH_RECORDS) : null;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3183);
const BASE = `http://127.0.0.1:${PORT}`;
/** The targets of issue 8: the first chart within a second at a million records, the bundle within 250 KB gzip. */
const FIRST_CHART_TARGET_MS = 1000;
const BUNDLE_TARGET_KB = 250;
const CLIENT_DIST = projectPath('client/dist');
const SET_UP_TIMEOUT_MS = 20 * 60_000;

let database: ScratchDatabase | undefined;
let server: ChildProcess | undefined;
let browser: HeadlessBrowser | undefined;
let dataSet = 'demo data';
const loadBefore = loadavg();
let peakRssMb = 0;
let rssSampler: NodeJS.Timeout | undefined;

beforeAll(async () => {
  database = await scratchDatabase('ledger_first_chart');
  server = await startServer({
    databaseUrl: database.url,
    port: PORT,
    env: { PUBLIC_READ: 'true', DEMO_DATA: RECORDS === null ? 'true' : 'false' },
  });
  if (RECORDS !== null) {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const chips: { id: string; kind: string }[] = (
        await pool.query('SELECT id, kind FROM accelerators ORDER BY lower(vendor), lower(name)')
      ).rows;
      const ledger = new SyntheticLedger(chips);
      await insertCompanies(pool, ledger);
      await insertCommitments(pool, ledger, RECORDS);
      console.log(`${RECORDS} synthetic commitments loaded; ${await rebuildRollup(database.url)}`);
      await settleAfterLoad(pool);
    } finally {
      await pool.end();
    }
    dataSet = `${RECORDS.toLocaleString('en')} synthetic commitments`;
  }
  const pid = server.pid!;
  rssSampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(pid))), 100);
  browser = await launchChromium();
}, SET_UP_TIMEOUT_MS);

afterAll(async () => {
  clearInterval(rssSampler);
  await browser?.close();
  await stopServer(server);
  await database?.drop();
});

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

interface Navigation {
  firstChart: number;
  /** When the core chart's API call was sent and when its answer had arrived. */
  capacityRequested: number;
  capacityReceived: number;
  allChartsDrawn: number;
  /** When the latest records (below the charts, asked once the core chart is answered) were listed. */
  latestListed: number;
  /** The paths of the page and the files it loaded from the server, API calls aside. */
  files: string[];
}

async function navigate(): Promise<Navigation> {
  const page = await browser!.context.newPage();
  await page.goto(BASE);
  await page.locator('canvas[data-drawn="true"]').first().waitFor();
  for (const chart of ['capacity-by-company', 'cumulative-by-company', 'share-by-vendor', 'gpu-versus-custom']) {
    await page.locator(`[data-testid="chart-${chart}"][data-drawn="true"]`).waitFor();
  }
  // The chart wrapper sets the mark on the first frame any chart draws; times are from navigation start.
  // Runs in the page (the bench compiles without DOM types, hence the narrow casts).
  const timing = await page.evaluate(() => {
    const resources = performance.getEntriesByType('resource' as never) as unknown as {
      name: string;
      startTime: number;
      responseEnd: number;
    }[];
    const capacity = resources.find((entry) => entry.name.includes('/api/capacity?'))!;
    return {
      firstChart: performance.getEntriesByName('first-chart-drawn')[0].startTime,
      capacityRequested: capacity.startTime,
      capacityReceived: capacity.responseEnd,
      allChartsDrawn: performance.now(),
      files: ['/', ...resources.map((entry) => new URL(entry.name).pathname).filter((path) => !path.startsWith('/api/'))],
    };
  });
  // The page's last request, the latest records, is awaited too, so that no navigation overlaps the next one.
  await page.getByTestId('latest-commitments').waitFor();
  const latestListed = await page.evaluate(() => performance.now());
  await page.close();
  return { ...timing, latestListed };
}

/** A write through the API (a record's status between two counted ones), which makes every cached answer stale. */
async function write(record: { headers: { authorization: string }; id: string; status: string; version: number }): Promise<void> {
  record.status = record.status === 'announced' ? 'confirmed' : 'announced';
  const response = await fetch(`${BASE}/api/commitments/${record.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...record.headers },
    body: JSON.stringify({ status: record.status, version: record.version }),
  });
  if (!response.ok) throw new Error(`PATCH /api/commitments/${record.id}: ${response.status} ${await response.text()}`);
  record.version = ((await response.json()) as { version: number }).version;
}

/** The record the writes change, with the headers they are sent with. */
async function recordToWrite(): Promise<{ headers: { authorization: string }; id: string; status: string; version: number }> {
  const headers = await signIn(PORT);
  const list = await fetch(`${BASE}/api/commitments?status=announced&limit=1`, { headers });
  const [record] = ((await list.json()) as { items: { id: string; status: string; version: number }[] }).items;
  return { headers, id: record.id, status: record.status, version: record.version };
}

/** Every file of the production bundle with its gzip size (zlib's default level), by path as the server serves it. */
function bundleFiles(): Map<string, number> {
  const files = new Map<string, number>();
  for (const entry of readdirSync(CLIENT_DIST, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(CLIENT_DIST.length).replace(/\/index\.html$/, '/'), gzipSync(readFileSync(path)).length);
  }
  return files;
}

interface Figures {
  runs: number;
  medianMs: number;
  worstMs: number;
}

function figures(values: number[]): Figures {
  const sorted = [...values].sort((a, b) => a - b);
  return { runs: values.length, medianMs: Math.round(sorted[Math.floor((sorted.length - 1) / 2)]), worstMs: Math.round(sorted.at(-1)!) };
}

it(`navigation to first chart drawn, ${COLD_RUNS} cold and ${WARM_RUNS} warm`, { timeout: 30 * 60_000 }, async () => {
  const record = await recordToWrite();
  const cold = [await navigate()];
  const warm: Navigation[] = [];
  for (let run = 0; run < WARM_RUNS; run++) warm.push(await navigate());
  for (let run = 1; run < COLD_RUNS; run++) {
    await write(record);
    cold.push(await navigate());
  }

  const bundle = bundleFiles();
  const kb = (paths: Iterable<string>) => Math.round([...paths].reduce((sum, path) => sum + (bundle.get(path) ?? 0), 0) / 102.4) / 10;
  const dashboardFiles = [...new Set(cold[0].files)].filter((path) => bundle.has(path));
  const summary = (navigations: Navigation[]) => ({
    firstChartMs: navigations.map((run) => Math.round(run.firstChart)),
    firstChart: figures(navigations.map((run) => run.firstChart)),
    capacityRequested: figures(navigations.map((run) => run.capacityRequested)),
    capacityAnswered: figures(navigations.map((run) => run.capacityReceived)),
    allChartsDrawn: figures(navigations.map((run) => run.allChartsDrawn)),
    latestListed: figures(navigations.map((run) => run.latestListed)),
  });
  const result = {
    dataSet,
    records: RECORDS,
    database: database!.label,
    node: process.version,
    loadAverageBefore: loadBefore.map((value) => Math.round(value * 10) / 10),
    loadAverageAfter: loadavg().map((value) => Math.round(value * 10) / 10),
    cold: summary(cold),
    warm: summary(warm),
    serverPeakRssMb: Math.round(peakRssMb),
    bundle: {
      dashboardKbGzip: kb(dashboardFiles),
      dashboardFiles,
      wholeKbGzip: kb(bundle.keys()),
      wholeFiles: bundle.size,
    },
  };

  const cells = (widths: number[], values: (string | number)[]) =>
    values.map((value, index) => (index === 0 ? String(value).padEnd(widths[0]) : String(value).padStart(widths[index]))).join(' ');
  const widths = [26, 4, 7, 7, 7, 9, 7, 7, 7];
  const row = (name: string, figures: ReturnType<typeof summary>) =>
    cells(widths, [
      name,
      figures.firstChart.runs,
      figures.firstChart.medianMs,
      figures.firstChart.worstMs,
      figures.capacityRequested.medianMs,
      figures.capacityAnswered.medianMs,
      figures.allChartsDrawn.medianMs,
      figures.allChartsDrawn.worstMs,
      figures.latestListed.medianMs,
    ]);
  const checks: [string, boolean][] = [
    [
      `first chart ≤ ${FIRST_CHART_TARGET_MS} ms, warm (worst ${result.warm.firstChart.worstMs} ms)`,
      result.warm.firstChart.worstMs <= FIRST_CHART_TARGET_MS,
    ],
    [
      `first chart ≤ ${FIRST_CHART_TARGET_MS} ms, cold (worst ${result.cold.firstChart.worstMs} ms)`,
      result.cold.firstChart.worstMs <= FIRST_CHART_TARGET_MS,
    ],
    [`production bundle ≤ ${BUNDLE_TARGET_KB} KB gzip (${result.bundle.wholeKbGzip} KB)`, result.bundle.wholeKbGzip <= BUNDLE_TARGET_KB],
  ];
  console.log(
    [
      `\nfirst chart: ${dataSet} on ${result.database}, node ${result.node}, load average ${result.loadAverageBefore.join(' ')} → ${result.loadAverageAfter.join(' ')}`,
      'ms from navigation start; first chart and all four charts: median and worst; capacity call: medians; latest records: median',
      cells(widths, ['', 'runs', 'first', 'chart', 'capacity', 'call', 'all four', 'charts', 'latest']),
      cells(widths, ['', '', 'median', 'worst', 'sent', 'answered', 'median', 'worst', 'listed']),
      row('cold (answers not cached)', result.cold),
      row('warm (answers cached)', result.warm),
      `server peak RSS ${result.serverPeakRssMb} MB`,
      `bundle: the dashboard loads ${result.bundle.dashboardKbGzip} KB gzip (${dashboardFiles.join(', ')}); the whole production bundle is ${result.bundle.wholeKbGzip} KB gzip in ${result.bundle.wholeFiles} files`,
      ...checks.map(([what, met]) => `${met ? 'met    ' : 'MISSED '} ${what}`),
    ].join('\n'),
  );
  mkdirSync(projectPath('bench/results'), { recursive: true });
  writeFileSync(projectPath('bench/results/first-chart.json'), `${JSON.stringify(result, null, 2)}\n`);
});
