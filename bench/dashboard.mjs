// Dashboard figures at 10,000, 100,000 and 1,000,000 commitments: `npm run bench` (builds the server first).
// `--quick`: the 100,000 size only. Database: a scratch database created (and dropped) on BENCH_DATABASE_URL, else
// the embedded PostgreSQL in memory. The API runs as its own process (`node dist/src/main.js`), so its RSS is its own.
// Prints a table and writes bench/results/latest.json (latest-quick.json with --quick).
import 'reflect-metadata';
import autocannon from 'autocannon';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { rebuildRollup, scratchDatabase, signIn, startServer, stopServer } from './bench-server.mjs';
import { insertCommitments, insertCompanies, settleAfterLoad, SyntheticLedger } from './synthetic-ledger.mjs';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [100_000] : [10_000, 100_000, 1_000_000];
const PORT = Number(process.env.BENCH_PORT ?? 3181);
/** Seconds of load per request and size, in ROUNDS interleaved runs. */
const DURATION_S = quick ? 6 : 12;
const ROUNDS = quick ? 3 : 4;
const CONNECTIONS = 10;
/** API answers and the raw SQL's agree to this relative difference (sums are rounded differently, not wrongly). */
const TOLERANCE = 1e-9;

const BASE = `http://127.0.0.1:${PORT}`;
const DASHBOARD = '/api/capacity?metric=h100e&groupBy=company&basis=delivery&top=10';
const FILTERED = [
  {
    path: '/api/capacity?metric=h100e&groupBy=company&basis=delivery&top=10&vendor=AMD&status=confirmed,delivered',
    sql: { vendor: 'amd', statuses: ['confirmed', 'delivered'] },
  },
  {
    path: '/api/capacity?metric=h100e&groupBy=company&basis=delivery&top=10&kind=custom&from=2024-Q1&to=2026-Q4',
    sql: { kind: 'custom', from: 2024 * 4, to: 2026 * 4 + 3 },
  },
];

const log = (message) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * autocannon on several paths, in interleaved rounds so that a change in the machine's load hits them all alike.
 * Latencies come from autocannon's per-response timings (sub-millisecond); RSS is sampled every 100 ms meanwhile.
 */
async function load(paths, pid) {
  const runs = paths.map(() => ({ latencies: [], requests: 0, seconds: 0, peakRss: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, path] of paths.entries()) {
      const run = runs[index];
      run.peakRss = Math.max(run.peakRss, rssMb(pid));
      const sampler = setInterval(() => (run.peakRss = Math.max(run.peakRss, rssMb(pid))), 100);
      const instance = autocannon({ url: `${BASE}${path}`, connections: CONNECTIONS, duration: DURATION_S / ROUNDS });
      instance.on('response', (_client, _status, _bytes, responseTime) => run.latencies.push(responseTime));
      const result = await instance;
      clearInterval(sampler);
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      run.requests += result.requests.total;
      run.seconds += result.duration;
    }
  }
  return runs.map(({ latencies, requests, seconds, peakRss }) => {
    latencies.sort((a, b) => a - b);
    const at = (share) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))];
    return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), rps: Math.round(requests / seconds), rssMb: Math.round(peakRss) };
  });
}

const round = (value, digits = 2) => Number(value.toFixed(digits));

/**
 * What a BI tool pointed at the tables would run: H100e (BF16) by company and quarter on the delivery basis, from the
 * base tables, plus the count of records left out. Rows: (company, quarter, amount); the exclusion count as a row
 * with no company.
 */
const RAW_SQL = `
  WITH live AS (
    SELECT c.company_id, c.window_first_quarter AS first_q, c.window_last_quarter AS last_q,
      coalesce(c.stated_h100e, c.quantity * (a.dense_bf16_tflops / 989)) AS amount
    FROM commitments c LEFT JOIN accelerators a ON a.id = c.accelerator_id
    WHERE c.deleted_at IS NULL AND c.status = ANY($1::commitment_status[])
      AND NOT EXISTS (SELECT 1 FROM commitments n WHERE n.supersedes_id = c.id AND n.deleted_at IS NULL)
      AND ($2::text IS NULL OR lower(a.vendor) = $2)
      AND ($3::accelerator_kind IS NULL OR c.accelerator_kind = $3)
  )
  SELECT company_id::text AS company, q AS quarter, sum(amount / (last_q - first_q + 1)) AS amount
  FROM live, generate_series(greatest(first_q, $4::integer), least(last_q, $5::integer)) AS q
  WHERE amount IS NOT NULL
  GROUP BY company_id, q
  UNION ALL
  SELECT NULL, NULL, count(*) FROM live
  WHERE amount IS NULL AND ($4::integer IS NULL OR last_q >= $4) AND ($5::integer IS NULL OR first_q <= $5)`;

async function rawSql(
  pool,
  { statuses = ['announced', 'confirmed', 'delivered'], vendor = null, kind = null, from = null, to = null } = {},
) {
  const started = performance.now();
  const { rows } = await pool.query(RAW_SQL, [statuses, vendor, kind, from, to]);
  const ms = performance.now() - started;
  const cells = new Map();
  let excluded = 0;
  for (const row of rows) {
    if (row.company === null) excluded = Number(row.amount);
    else cells.set(`${row.company}|${row.quarter}`, Number(row.amount));
  }
  return { ms, cells, excluded };
}

const quarterIndex = (quarter) => Number(quarter.slice(0, 4)) * 4 + Number(quarter.slice(6)) - 1;
const close = (a, b) => a === b || Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));

/** Checks an API answer (with `top`) against the raw SQL's cells; throws on the first difference. */
function checkAgainstSql(answer, sql, path) {
  const fail = (what) => {
    throw new Error(`${path}: the API and the raw SQL disagree: ${what}`);
  };
  if (answer.excluded.count !== sql.excluded) fail(`excluded ${answer.excluded.count} ≠ ${sql.excluded}`);
  const totals = new Map();
  const quarters = new Set();
  for (const [cell, amount] of sql.cells) {
    const [company, quarter] = cell.split('|');
    totals.set(company, (totals.get(company) ?? 0) + amount);
    quarters.add(Number(quarter));
  }
  const wanted = [...quarters];
  if (answer.quarters.length > 0 || wanted.length > 0) {
    const first = Math.min(...wanted);
    const last = Math.max(...wanted);
    if (quarterIndex(answer.quarters[0]) !== first || quarterIndex(answer.quarters.at(-1)) !== last)
      fail(`quarters ${answer.quarters[0]}..${answer.quarters.at(-1)}`);
  }
  const others = answer.series.find((series) => series.key === 'others');
  const kept = answer.series.filter((series) => series !== others);
  const keptKeys = new Set(kept.map((series) => series.key));
  for (const series of kept) {
    series.values.forEach((value, index) => {
      const expected = sql.cells.get(`${series.key}|${quarterIndex(answer.quarters[index])}`) ?? 0;
      if (!close(value, expected)) fail(`${series.key} ${answer.quarters[index]}: ${value} ≠ ${expected}`);
    });
  }
  const smallestKept = Math.min(...kept.map((series) => totals.get(series.key) ?? 0));
  for (const [company, total] of totals)
    if (!keptKeys.has(company) && total > smallestKept * (1 + TOLERANCE)) fail(`${company} should be among the top series`);
  if (others) {
    others.values.forEach((value, index) => {
      const quarter = quarterIndex(answer.quarters[index]);
      let expected = 0;
      for (const company of totals.keys()) if (!keptKeys.has(company)) expected += sql.cells.get(`${company}|${quarter}`) ?? 0;
      if (!close(value, expected) && Math.abs(value - expected) > 1e-6) fail(`Others ${answer.quarters[index]}: ${value} ≠ ${expected}`);
    });
  } else if (kept.length < totals.size) fail('series are missing');
  const total = [...sql.cells.values()].reduce((sum, amount) => sum + amount, 0);
  if (!close(answer.total, total) && Math.abs(answer.total - total) > 1e-6) fail(`total ${answer.total} ≠ ${total}`);
}

/**
 * The median time of three status changes through the API to a record of the largest company (the rollup is kept
 * in the write's transaction). The next size's checks against the raw SQL then cover these writes too.
 */
async function timeWrites(pool, companyId) {
  const headers = { 'content-type': 'application/json', ...(await signIn(PORT)) };
  const times = [];
  for (const status of ['confirmed', 'delivered', 'announced']) {
    const [record] = (
      await pool.query('SELECT id, version FROM commitments WHERE company_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT 1', [companyId])
    ).rows;
    const started = performance.now();
    const response = await fetch(`${BASE}/api/commitments/${record.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ status, version: record.version }),
    });
    if (!response.ok) throw new Error(`PATCH /api/commitments/${record.id}: ${response.status} ${await response.text()}`);
    times.push(performance.now() - started);
  }
  return round(times.sort((a, b) => a - b)[1], 1);
}

async function getJson(path) {
  const started = performance.now();
  const response = await fetch(`${BASE}${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  const body = await response.json();
  return { body, ms: performance.now() - started };
}

async function main() {
  const startedAt = Date.now();
  const loadBefore = loadavg();
  const database = await scratchDatabase('ledger_bench');
  log(`database: ${database.label}`);
  let server;
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const results = [];
  try {
    // The dashboard's reads as a public deployment serves them.
    server = await startServer({ databaseUrl: database.url, port: PORT, env: { PUBLIC_READ: 'true' } });
    log(`API started (pid ${server.pid}) on port ${PORT}; migrations ran and the chip catalog is loaded`);
    const chips = (await pool.query('SELECT id, kind FROM accelerators ORDER BY lower(vendor), lower(name)')).rows;
    const ledger = new SyntheticLedger(chips);
    await insertCompanies(pool, ledger);
    let loaded = 0;
    for (const size of SIZES) {
      let started = performance.now();
      await insertCommitments(pool, ledger, size - loaded);
      loaded = size;
      const loadMs = performance.now() - started;
      started = performance.now();
      const rebuilt = await rebuildRollup(database.url);
      const rebuildMs = performance.now() - started;
      await settleAfterLoad(pool);
      const [{ rollup_rows: rollupRows }] = (await pool.query('SELECT count(*)::integer AS rollup_rows FROM capacity_rollup')).rows;
      log(
        `${size} commitments: loaded in ${(loadMs / 1000).toFixed(1)} s; ${rebuilt} (${(rebuildMs / 1000).toFixed(1)} s with the process start)`,
      );

      // The first request after a write computes the answer from the rollup; the ones after it are served from the cache.
      const uncached = await getJson(DASHBOARD);
      const checks = [{ path: DASHBOARD, answer: uncached.body, sql: {} }];
      for (const filtered of FILTERED) checks.push({ path: filtered.path, answer: (await getJson(filtered.path)).body, sql: filtered.sql });
      for (const check of checks) checkAgainstSql(check.answer, await rawSql(pool, check.sql), check.path);
      log(`answers equal the raw SQL's (relative ${TOLERANCE}) for the dashboard and both filtered requests`);

      const rawTimes = [];
      for (let run = 0; run < 3; run++) rawTimes.push((await rawSql(pool)).ms);
      const rawSqlMs = round(rawTimes.sort((a, b) => a - b)[1], 1);

      const [health, capacity, ...measured] = await load(['/api/health', DASHBOARD, ...FILTERED.map(({ path }) => path)], server.pid);
      const filtered = measured.map((figures, index) => ({ path: FILTERED[index].path, ...figures }));
      const rssMb = Math.max(health.rssMb, capacity.rssMb, ...filtered.map((entry) => entry.rssMb));
      const writeMs = await timeWrites(pool, ledger.companies[0].id);
      const strip = ({ p50Ms, p99Ms, rps }) => ({ p50Ms, p99Ms, rps });
      results.push({
        records: size,
        health: strip(health),
        capacity: strip(capacity),
        rawSqlMs,
        rssMb,
        filtered: filtered.map((entry) => ({ path: entry.path, ...strip(entry) })),
        capacityUncachedMs: round(uncached.ms, 1),
        writeMs,
        rollupRows,
        answersMatchRawSql: true,
      });
      log(`${size}: health p50 ${health.p50Ms} ms, capacity p50 ${capacity.p50Ms} ms, raw SQL ${rawSqlMs} ms, RSS ${rssMb} MB`);
    }
  } finally {
    await pool.end();
    await stopServer(server);
    await database.drop();
  }

  const run = {
    database: database.label,
    node: process.version,
    connections: CONNECTIONS,
    durationSeconds: DURATION_S,
    loadAverageBefore: loadBefore.map((value) => round(value, 1)),
    loadAverageAfter: loadavg().map((value) => round(value, 1)),
    tookSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
  report(results, run);
  mkdirSync('bench/results', { recursive: true });
  const file = quick ? 'bench/results/latest-quick.json' : 'bench/results/latest.json';
  writeFileSync(
    file,
    `${JSON.stringify(
      results.map((result) => ({ ...result, run })),
      null,
      2,
    )}\n`,
  );
  log(`written ${file}`);
}

function report(results, run) {
  const pad = (value, width) => String(value).padStart(width);
  console.log(
    `\n${run.database}, node ${run.node}, autocannon ${run.connections} connections × ${run.durationSeconds} s per request in ${ROUNDS} interleaved rounds, load average ${run.loadAverageBefore.join(' ')} → ${run.loadAverageAfter.join(' ')}`,
  );
  console.log(
    'records   | health p50  p99   req/s | dashboard p50  p99   req/s | filtered p50 (a, b) | uncached ms | raw SQL ms | RSS MB | rollup rows | write ms',
  );
  for (const r of results) {
    console.log(
      `${pad(r.records, 9)} | ${pad(r.health.p50Ms, 10)} ${pad(r.health.p99Ms, 5)} ${pad(r.health.rps, 7)} | ${pad(r.capacity.p50Ms, 13)} ${pad(r.capacity.p99Ms, 5)} ${pad(r.capacity.rps, 7)} | ${pad(r.filtered.map((f) => f.p50Ms).join(', '), 19)} | ${pad(r.capacityUncachedMs, 11)} | ${pad(r.rawSqlMs, 10)} | ${pad(r.rssMb, 6)} | ${pad(r.rollupRows, 11)} | ${pad(r.writeMs, 8)}`,
    );
  }
  const largest = results.at(-1);
  const smallest = results[0];
  const checks = [
    [
      `capacity p50 ≤ 1.5 × health p50 at ${largest.records}`,
      largest.capacity.p50Ms <= 1.5 * largest.health.p50Ms,
      `${largest.capacity.p50Ms} vs ${largest.health.p50Ms}`,
    ],
    [
      `capacity req/s ≥ 60 % of health's at ${largest.records}`,
      largest.capacity.rps >= 0.6 * largest.health.rps,
      `${largest.capacity.rps} vs ${largest.health.rps}`,
    ],
    [
      `capacity p50 at ${largest.records} ≤ 1.5 × at ${smallest.records}`,
      largest.capacity.p50Ms <= 1.5 * smallest.capacity.p50Ms,
      `${largest.capacity.p50Ms} vs ${smallest.capacity.p50Ms}`,
    ],
    [
      `capacity p50 at ${largest.records} ≤ raw SQL ÷ 10`,
      largest.capacity.p50Ms <= largest.rawSqlMs / 10,
      `${largest.capacity.p50Ms} vs ${largest.rawSqlMs}`,
    ],
    ['RSS ≤ 300 MB at every size', results.every((r) => r.rssMb <= 300), results.map((r) => r.rssMb).join(', ')],
    ['answers equal the raw SQL at every size', results.every((r) => r.answersMatchRawSql), `relative ${TOLERANCE}`],
  ];
  for (const [what, ok, figures] of checks) console.log(`${ok ? 'met    ' : 'MISSED '} ${what} (${figures})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
