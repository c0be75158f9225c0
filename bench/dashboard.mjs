// What a manager gets from the API: `npm run bench` (builds the server first; docs/performance.md tells how to read it).
//
// For each size (10,000, 200,000 and 1,000,000 commitments over 300 companies; `--quick`: 10,000 and 50,000 with
// shorter runs) the built server runs as `npm run start:prod` starts it, on PostgreSQL (BENCH_DATABASE_URL, default
// the local server), with its production defaults — log level, pool size, PUBLIC_READ off — and its log written to
// a file, twice side by side: once with PUBLIC_READ on for anonymous readers, once as deployed, read with a viewer's
// bearer token. autocannon (32 connections) measures the health check, the full capacity answer, the top-10 answer,
// the commitments list's first page and a record's detail (also revalidated with If-None-Match) on both, in
// interleaved rounds, while the servers' RSS is sampled. Answers are checked against plain SQL over the base tables
// first. Prints a table and writes bench/results/latest.json (latest-quick.json with --quick).
//
// Each size's ledger is seeded once into its own database (`ledger_bench_<size>_<fingerprint>`) and reused while
// it holds the whole ledger; the fingerprint covers the generator, the migrations and the size. `--reseed` seeds
// again, `--drop-seeds` drops every seeded database and stops. The bench's writes put back
// what they change. Options: `--sizes=10000,200000`, `--only=signedIn:capacityFull,signedIn:health` (a subset of the
// measurements), `--cpu-prof` (CPU profiles of the measured servers, in bench/results/profiles/), `--seconds=N`,
// `--log-level=warn` (another LOG_LEVEL, to see what the request log costs).
//
// `--time` (`npm run bench:time`) measures the ledger's past instead, at 100,000 records (`--sizes` for others), on
// one signed-in server with the same defaults: capacity and the list's first page as of 90 days ago, and the drift
// of the current quarter's cumulative total over the seeded history by month and by day — each first answer timed
// cold and again, checked against SQL over the record versions, then measured under load with the health floor in
// the same interleaved rounds. Prints a table and writes bench/results/time.json.
import 'reflect-metadata';
import autocannon from 'autocannon';
import PipelinedRequestsQueue from 'autocannon/lib/pipelinedRequestsQueue.js';
import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { rebuildRollup, signIn, startServer, stopServer } from './bench-server.mjs';
import { insertCommitments, insertCompanies, settleAfterLoad, SyntheticLedger } from './synthetic-ledger.mjs';

// autocannon appends every response body to a string (a UTF-8 decoding per chunk) that nothing here reads. On the
// bench's one thread, beside the servers on the same cores, that cost grows with the answer's size and counts in each
// response's time: for the full answer (474 KB) it was more than the server's own work (docs/performance.md). Bodies
// are checked before the load, against SQL; under load, statuses and timings.
PipelinedRequestsQueue.prototype.addBody = function discardBody() {};

const argument = (name) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const reseed = process.argv.includes('--reseed');
const cpuProfile = process.argv.includes('--cpu-prof');
const dropSeeds = process.argv.includes('--drop-seeds');
const timeMode = process.argv.includes('--time');
const SIZES = argument('sizes')?.split(',').map(Number) ?? (timeMode ? [100_000] : quick ? [10_000, 50_000] : [10_000, 200_000, 1_000_000]);
const ONLY = argument('only')?.split(',');
/** Seconds of load per measurement and size, in ROUNDS interleaved runs. */
const DURATION_S = Number(argument('seconds') ?? (quick ? 3 : 10));
const ROUNDS = quick ? 1 : 5;
const CONNECTIONS = 32;
const PORT = Number(process.env.BENCH_PORT ?? 3181);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** API answers and the raw SQL's agree to this relative difference (sums are rounded differently, not wrongly). */
const TOLERANCE = 1e-9;
const VIEWER = { email: 'bench-viewer@ledger.local', password: 'bench viewer password', role: 'viewer' };

// The requests as the web client makes them: the dashboard's query with its defaults, the list page's first page.
const CAPACITY_FULL = '/api/capacity?metric=h100e&precision=bf16&basis=delivery&groupBy=company&cumulative=false';
const CAPACITY_TOP = `${CAPACITY_FULL}&top=10`;
const LIST_FIRST_PAGE = '/api/commitments?sort=-announcedOn&page=1&limit=10';
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
const MODES = ['anonymous', 'signedIn'];
/** The modes measured: --quick reads signed in only, as the targets do. */
const RUN_MODES = quick ? ['signedIn'] : MODES;
const MEASURED = ['health', 'capacityFull', 'capacityTop10', 'list', 'detail', 'detailNotModified'];

const log = (message) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const round = (value, digits = 2) => Number(value.toFixed(digits));
const load1 = () => round(loadavg()[0], 2);

function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function databaseUrl(name) {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** What a seeded database depends on: the generator, what it imports, the migrations and the size. */
function seedFingerprint(size) {
  const hash = createHash('sha256').update(`records ${size}, companies 300\n`);
  for (const file of ['bench/synthetic-ledger.mjs', 'dist/src/domain/delivery-window.js', 'dist/src/domain/quarter.js'])
    hash.update(readFileSync(file));
  for (const file of readdirSync('migrations').sort()) hash.update(file).update(readFileSync(join('migrations', file)));
  return hash.digest('hex');
}

async function seedMatches(url, fingerprint, size) {
  try {
    return await withClient(url, async (client) => {
      const [seed] = (await client.query('SELECT fingerprint FROM bench_seed')).rows;
      const [{ count }] = (await client.query('SELECT count(*)::integer AS count FROM commitments')).rows;
      return seed?.fingerprint === fingerprint && count === size;
    });
  } catch {
    return false; // no such database, or not seeded to the end
  }
}

/**
 * The database of one size, seeded unless it already holds this size's ledger. Its name carries the fingerprint,
 * so checkouts with other migrations keep their own databases side by side.
 */
async function seededDatabase(size) {
  const fingerprint = seedFingerprint(size);
  const name = `ledger_bench_${size}_${fingerprint.slice(0, 8)}`;
  const url = databaseUrl(name);
  if (!reseed && (await seedMatches(url, fingerprint, size))) {
    log(`${size}: reusing the seeded database ${name}`);
    return { url, reused: true, seedSeconds: 0 };
  }
  const started = performance.now();
  await withClient(SERVER_URL, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  // A server runs the migrations and loads the chip catalog; the ledger is then inserted around it.
  const server = await startServer({ databaseUrl: url, port: PORT + 2, logFile: join(tmpdir(), `ledger-bench-seed-${size}.log`) });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const chips = (await pool.query('SELECT id, kind FROM accelerators ORDER BY lower(vendor), lower(name)')).rows;
    const ledger = new SyntheticLedger(chips);
    await insertCompanies(pool, ledger);
    await insertCommitments(pool, ledger, size);
    log(`${size}: ${await rebuildRollup(url)}`);
    await settleAfterLoad(pool);
    await pool.query('CREATE TABLE bench_seed (fingerprint text NOT NULL)');
    await pool.query('INSERT INTO bench_seed VALUES ($1)', [fingerprint]);
  } finally {
    await pool.end();
    await stopServer(server);
  }
  const seedSeconds = round((performance.now() - started) / 1000, 1);
  log(`${size}: seeded ${name} in ${seedSeconds} s`);
  return { url, reused: false, seedSeconds };
}

/**
 * The server with its production defaults: log level, pool size, rate limits and PUBLIC_READ unset (only
 * `publicRead` turns it on). The rate limits count per client, and one load generator would be one client stopped
 * after its 1,200 requests a minute: the server trusts one proxy (TRUST_PROXY=1, as behind a TLS proxy) and the
 * requests come from CLIENTS addresses in turn (X-Forwarded-For), each well under its limit, as many managers'.
 */
function startMeasured(url, port, publicRead, logFile) {
  const profileDir = join('bench', 'results', 'profiles');
  if (cpuProfile) mkdirSync(profileDir, { recursive: true });
  return startServer({
    databaseUrl: url,
    port,
    logFile,
    nodeFlags: cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    env: {
      LOG_LEVEL: argument('log-level'),
      DATABASE_POOL_SIZE: undefined,
      RATE_LIMIT_PER_MINUTE: undefined,
      LOGIN_RATE_LIMIT_PER_MINUTE: undefined,
      PUBLIC_READ: publicRead ? 'true' : undefined,
      TRUST_PROXY: '1',
    },
  });
}

/** Client addresses the load comes from, in turn: at 6,000 requests a second each sends about 90 a minute. */
const CLIENTS = 4096;
let nextClient = 0;
const forwardedFor = () => {
  nextClient = (nextClient + 1) % CLIENTS;
  return `10.${nextClient >> 8}.${nextClient & 255}.1`;
};
const fromManyClients = [
  { setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'x-forwarded-for': forwardedFor() } }) },
];

/**
 * autocannon on each measurement in interleaved rounds, so that a change in the machine's load hits them all alike.
 * Latencies come from autocannon's per-response timings; each server's RSS is sampled every 100 ms meanwhile.
 */
async function measure(measurements) {
  // One request each first: a server's first answer to a query is read from the rollup (timed apart, above).
  for (const { url, headers } of measurements) await fetch(url, { headers }).then((response) => response.arrayBuffer());
  const runs = measurements.map(() => ({ latencies: [], requests: 0, seconds: 0, peakRss: 0, load: [] }));
  for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
    for (const [index, { url, headers, status, pid }] of measurements.entries()) {
      const run = runs[index];
      run.load.push(load1());
      const sample = () => (run.peakRss = Math.max(run.peakRss, rssMb(pid)));
      sample();
      const sampler = setInterval(sample, 100);
      const instance = autocannon({ url, headers, requests: fromManyClients, connections: CONNECTIONS, duration: DURATION_S / ROUNDS });
      let unexpected = 0;
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode !== status) unexpected++;
        run.latencies.push(responseTime);
      });
      const result = await instance;
      clearInterval(sampler);
      if (unexpected > 0 || result.errors > 0 || result.timeouts > 0)
        throw new Error(`${url}: ${unexpected} answers not ${status}, ${result.errors} errors, ${result.timeouts} timeouts`);
      if (result.requests.total === 0) throw new Error(`${url}: no answer in ${result.duration} s`);
      run.requests += result.requests.total;
      run.seconds += result.duration;
    }
  }
  return runs.map(({ latencies, requests, seconds, peakRss, load }) => {
    latencies.sort((a, b) => a - b);
    const at = (share) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))];
    return {
      p50Ms: round(at(0.5)),
      p95Ms: round(at(0.95)),
      p99Ms: round(at(0.99)),
      rps: Math.round(requests / seconds),
      rssMb: Math.round(peakRss),
      loadAverage: round(load.reduce((sum, value) => sum + value, 0) / load.length, 2),
    };
  });
}

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

/**
 * The records valid at the end of the date $1, from their versions, independently of the server's temporary tables:
 * RAW_SQL reads them as `past` (a table of this session, indexed as the base table is, so the supersession check is
 * not a scan per record).
 */
const PAST = `SELECT r.* FROM commitment_versions v, jsonb_populate_record(NULL::commitments, v.record) r
  WHERE v.valid_from <= (($1::date + 1)::timestamp AT TIME ZONE 'UTC') - interval '1 microsecond'
    AND (v.valid_to IS NULL OR v.valid_to > (($1::date + 1)::timestamp AT TIME ZONE 'UTC') - interval '1 microsecond')`;
const PAST_RAW_SQL = RAW_SQL.replaceAll('FROM commitments ', 'FROM past ');

/** `read(client)` with the table `past` holding the ledger at the end of `asOf`, on one connection of `pool`. */
async function withPast(pool, asOf, read) {
  const client = await pool.connect();
  try {
    await client.query(`CREATE TEMPORARY TABLE past AS ${PAST}`, [asOf]);
    await client.query('CREATE INDEX ON past (id); CREATE INDEX ON past (supersedes_id); ANALYZE past');
    return await read(client);
  } finally {
    await client.query('DROP TABLE IF EXISTS past').catch(() => {});
    client.release();
  }
}

async function rawSql(
  pool,
  { statuses = ['announced', 'confirmed', 'delivered'], vendor = null, kind = null, from = null, to = null, asOf = null } = {},
) {
  const started = performance.now();
  const parameters = [statuses, vendor, kind, from, to];
  const { rows } =
    asOf === null ? await pool.query(RAW_SQL, parameters) : await withPast(pool, asOf, (client) => client.query(PAST_RAW_SQL, parameters));
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

/** Checks an API answer (with or without `top`) against the raw SQL's cells; throws on the first difference. */
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

/** The list's first page against the base table: the live records, newest announcement first, then by id. */
async function checkListAgainstSql(page, pool) {
  const [{ total }] = (await pool.query('SELECT count(*)::integer AS total FROM commitments WHERE deleted_at IS NULL')).rows;
  const ids = (
    await pool.query('SELECT id FROM commitments WHERE deleted_at IS NULL ORDER BY announced_on DESC, id ASC LIMIT 10')
  ).rows.map((row) => row.id);
  const listed = page.items.map((item) => item.id);
  if (page.total !== total) throw new Error(`${LIST_FIRST_PAGE}: total ${page.total} ≠ ${total} live records`);
  if (listed.join() !== ids.join()) throw new Error(`${LIST_FIRST_PAGE}: ids ${listed.join()} ≠ the SQL's ${ids.join()}`);
}

/** A GET through node:http, which sets no time limit (`fetch` gives up after 300 s without headers, and `--time` waits longer). */
function getJson(url, headers = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) return reject(new Error(`${url}: ${response.statusCode} ${text}`));
        resolve({ body: JSON.parse(text), text, etag: response.headers.etag ?? null, ms: performance.now() - started });
      });
    }).on('error', reject);
  });
}

/** A viewer's bearer header on the server at `port`: the account is created (once per database) by the bench admin. */
async function viewerHeaders(port) {
  const admin = await signIn(port);
  const created = await fetch(`http://127.0.0.1:${port}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...admin },
    body: JSON.stringify(VIEWER),
  });
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating the viewer: ${created.status} ${await created.text()}`);
  return signIn(port, VIEWER);
}

/**
 * The median time of three status changes through the API to a record of the largest company (the rollup is kept
 * in the write's transaction); the last one puts the record's status back, so the seeded ledger stays as it was.
 */
async function timeWrites(pool, port) {
  const headers = { 'content-type': 'application/json', ...(await signIn(port)) };
  const [record] = (
    await pool.query(
      `SELECT id, status FROM commitments WHERE deleted_at IS NULL AND company_id = (
         SELECT company_id FROM commitments GROUP BY company_id ORDER BY count(*) DESC, company_id LIMIT 1)
       ORDER BY id LIMIT 1`,
    )
  ).rows;
  const statuses = [...['confirmed', 'delivered', 'announced'].filter((status) => status !== record.status).slice(0, 2), record.status];
  const times = [];
  for (const status of statuses) {
    const [{ version }] = (await pool.query('SELECT version FROM commitments WHERE id = $1', [record.id])).rows;
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/commitments/${record.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ status, version }),
    });
    if (!response.ok) throw new Error(`PATCH /api/commitments/${record.id}: ${response.status} ${await response.text()}`);
    times.push(performance.now() - started);
  }
  return round(times.sort((a, b) => a - b)[1], 1);
}

function logFileFigures(file) {
  if (!existsSync(file)) return { lines: 0, megabytes: 0 };
  const bytes = readFileSync(file);
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
  return { lines, megabytes: round(statSync(file).size / 1048576, 1) };
}

async function benchSize(size) {
  const loadBefore = load1();
  const database = await seededDatabase(size);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const logFiles = Object.fromEntries(RUN_MODES.map((mode) => [mode, join(tmpdir(), `ledger-bench-${mode}-${size}.log`)]));
  const servers = {};
  const ports = { anonymous: PORT, signedIn: PORT + 1 };
  try {
    if (RUN_MODES.includes('anonymous')) servers.anonymous = await startMeasured(database.url, ports.anonymous, true, logFiles.anonymous);
    servers.signedIn = await startMeasured(database.url, ports.signedIn, false, logFiles.signedIn);
    const base = (mode) => `http://127.0.0.1:${ports[mode]}`;
    const headers = { anonymous: {}, signedIn: await viewerHeaders(ports.signedIn) };
    const [{ rollup_rows: rollupRows }] = (await pool.query('SELECT count(*)::integer AS rollup_rows FROM capacity_rollup')).rows;

    // The first request after a start computes the answer from the rollup; the ones after it come from the cache.
    const uncached = await getJson(`${base('signedIn')}${CAPACITY_FULL}`, headers.signedIn);
    if (servers.anonymous && (await getJson(`${base('anonymous')}${CAPACITY_FULL}`)).text !== uncached.text)
      throw new Error('the anonymous and the signed-in full answers differ');
    const checks = [
      { path: CAPACITY_FULL, answer: uncached.body, sql: {} },
      { path: CAPACITY_TOP, answer: (await getJson(`${base('signedIn')}${CAPACITY_TOP}`, headers.signedIn)).body, sql: {} },
      ...(await Promise.all(
        FILTERED.map(async ({ path, sql }) => ({
          path,
          answer: (await getJson(`${base('signedIn')}${path}`, headers.signedIn)).body,
          sql,
        })),
      )),
    ];
    for (const check of checks) checkAgainstSql(check.answer, await rawSql(pool, check.sql), check.path);
    const list = await getJson(`${base('signedIn')}${LIST_FIRST_PAGE}`, headers.signedIn);
    await checkListAgainstSql(list.body, pool);
    const detailPath = `/api/commitments/${list.body.items[0].id}`;
    const detail = await getJson(`${base('signedIn')}${detailPath}`, headers.signedIn);
    if (detail.body.id !== list.body.items[0].id || !detail.etag?.startsWith(`"${detail.body.version}.`))
      throw new Error(`${detailPath}: not the record listed, or no ETag of its version and view`);
    log(`${size}: answers equal the raw SQL's (relative ${TOLERANCE}): full, top 10, two filtered, the list's first page`);

    const rawTimes = [];
    for (let run = 0; run < 3; run++) rawTimes.push((await rawSql(pool)).ms);
    const rawSqlMs = round(rawTimes.sort((a, b) => a - b)[1], 1);

    const paths = {
      health: ['/api/health', 200],
      capacityFull: [CAPACITY_FULL, 200],
      capacityTop10: [CAPACITY_TOP, 200],
      list: [LIST_FIRST_PAGE, 200],
      detail: [detailPath, 200],
      detailNotModified: [detailPath, 304],
    };
    const measurements = RUN_MODES.flatMap((mode) =>
      MEASURED.map((name) => ({
        mode,
        name,
        url: `${base(mode)}${paths[name][0]}`,
        status: paths[name][1],
        headers: { ...headers[mode], ...(name === 'detailNotModified' ? { 'if-none-match': detail.etag } : {}) },
        pid: servers[mode].pid,
      })),
    ).filter(({ mode, name }) => !ONLY || ONLY.includes(`${mode}:${name}`));
    log(`${size}: ${measurements.length} measurements × ${DURATION_S} s in ${ROUNDS} rounds, ${CONNECTIONS} connections`);
    const figures = await measure(measurements);
    const writeMs = await timeWrites(pool, ports.signedIn);

    const result = { records: size, reusedSeed: database.reused, seedSeconds: database.seedSeconds, rollupRows };
    for (const mode of MODES) {
      const own = measurements.map((entry, index) => ({ ...entry, ...figures[index] })).filter((entry) => entry.mode === mode);
      if (own.length === 0) continue;
      const health = own.find((entry) => entry.name === 'health');
      result[mode] = {
        rssMb: Math.max(...own.map((entry) => entry.rssMb)),
        ...Object.fromEntries(
          own.map(({ name, p50Ms, p99Ms, rps, loadAverage }) => [
            name,
            {
              p50Ms,
              p99Ms,
              rps,
              ...(health && name !== 'health' ? { p50VsHealth: round(p50Ms / health.p50Ms), rpsVsHealth: round(rps / health.rps) } : {}),
              loadAverage,
            },
          ]),
        ),
      };
    }
    Object.assign(result, {
      capacityUncachedMs: round(uncached.ms, 1),
      rawSqlMs,
      writeMs,
      answersMatchRawSql: true,
      loadAverage: { before: loadBefore, after: load1() },
    });
    return { result, logFiles };
  } finally {
    await pool.end();
    await Promise.all(Object.values(servers).map((server) => stopServer(server)));
  }
}

/**
 * The growth target side by side: signed-in servers on the smallest and on the largest ledger at once, their full
 * answers (cached, after a first cold one) measured in the same interleaved rounds, so the machine's load, which
 * moves between sizes measured minutes apart, hits both alike.
 */
async function benchGrowth(small, large) {
  const servers = [];
  try {
    const sides = [];
    for (const [index, size] of [small, large].entries()) {
      const { url } = await seededDatabase(size);
      const port = PORT + 3 + index;
      const server = await startMeasured(url, port, false, join(tmpdir(), `ledger-bench-growth-${size}.log`));
      servers.push(server);
      const headers = await viewerHeaders(port);
      await getJson(`http://127.0.0.1:${port}${CAPACITY_FULL}`, headers);
      sides.push({ url: `http://127.0.0.1:${port}${CAPACITY_FULL}`, headers, status: 200, pid: server.pid });
    }
    log(`growth: the signed-in full answer at ${small} and at ${large} records, interleaved`);
    const [smallest, largest] = await measure(sides);
    return { smallRecords: small, largeRecords: large, small: smallest, large: largest, p50Ratio: round(largest.p50Ms / smallest.p50Ms) };
  } finally {
    await Promise.all(servers.map((server) => stopServer(server)));
  }
}

const DAY_MS = 86_400_000;
/** What `--time` measures under load, in this order (health is the floor the others are divided by). */
const TIME_MEASURED = ['health', 'capacityAsOf', 'listAsOf', 'driftMonth', 'driftDay'];

/** The quarter a date (YYYY-MM-DD) falls in. */
const quarterOfDate = (date) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

/**
 * `--time`: one signed-in server with the production defaults on the seeded ledger of `size` records and its
 * history. Each request's first answer is timed cold (nothing of it computed since the start) and then again; the
 * answers are checked against SQL over the versions; then every request is measured under load beside health.
 */
async function benchTime(size) {
  const loadBefore = load1();
  const database = await seededDatabase(size);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const port = PORT + 1;
  const logFile = join(tmpdir(), `ledger-bench-time-${size}.log`);
  let server;
  try {
    const [history] = (
      await pool.query(
        `SELECT to_char(min(valid_from) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS first,
           to_char(max(greatest(valid_from, valid_to)) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last,
           count(*)::integer AS versions,
           (SELECT count(*)::integer FROM (SELECT 1 FROM commitment_versions GROUP BY commitment_id HAVING count(*) > 1) edited) AS edited,
           (SELECT count(*)::integer FROM commitments WHERE deleted_at IS NOT NULL) AS deleted
         FROM commitment_versions`,
      )
    ).rows;
    server = await startMeasured(database.url, port, false, logFile);
    const base = `http://127.0.0.1:${port}`;
    const headers = await viewerHeaders(port);
    const today = new Date().toISOString().slice(0, 10);
    const asOf = new Date(Date.now() - 90 * DAY_MS).toISOString().slice(0, 10);
    const quarter = quarterOfDate(today);
    const drift = (step) =>
      `/api/capacity/drift?quarter=${quarter}&from=${history.first}&step=${step}&metric=h100e&precision=bf16&basis=delivery`;
    const paths = {
      health: '/api/health',
      capacityAsOf: `${CAPACITY_FULL}&asOf=${asOf}`,
      listAsOf: `${LIST_FIRST_PAGE}&asOf=${asOf}`,
      driftMonth: drift('month'),
      driftDay: drift('day'),
    };
    log(
      `${size}: history ${history.first} – ${history.last}, ${history.versions} versions, ${history.edited} records edited, ${history.deleted} deleted; asOf ${asOf}, drift of ${quarter}`,
    );

    // Cold, then again: each drift reads its own first date in full and the changes after it, so the drift by day
    // reuses nothing of the drift by month.
    const answers = {};
    const firstMs = {};
    const againMs = {};
    for (const name of TIME_MEASURED.slice(1)) {
      const cold = await getJson(`${base}${paths[name]}`, headers);
      const again = await getJson(`${base}${paths[name]}`, headers);
      if (again.text !== cold.text) throw new Error(`${paths[name]}: the second answer differs from the first`);
      answers[name] = cold.body;
      firstMs[name] = round(cold.ms, 1);
      againMs[name] = round(again.ms, 1);
      log(`${size}: ${name} first ${firstMs[name]} ms, again ${againMs[name]} ms`);
    }

    // Capacity as of the date against the SQL over the versions valid at its end.
    checkAgainstSql(answers.capacityAsOf, await rawSql(pool, { asOf }), paths.capacityAsOf);
    const present = (await getJson(`${base}${CAPACITY_FULL}`, headers)).body;
    if (close(present.total, answers.capacityAsOf.total)) throw new Error(`${paths.capacityAsOf}: the same total as now; no history read`);
    // The list's first page as of the date: the live records then, newest announcement first.
    const listed = answers.listAsOf;
    const { rows: pastLive } = await withPast(pool, asOf, (client) =>
      client.query(
        'SELECT id, count(*) OVER ()::integer AS total FROM past WHERE deleted_at IS NULL ORDER BY announced_on DESC, id ASC LIMIT 10',
      ),
    );
    if (listed.total !== pastLive[0].total || listed.items.map((item) => item.id).join() !== pastLive.map((row) => row.id).join())
      throw new Error(`${paths.listAsOf}: not the SQL's first page (${listed.total} vs ${pastLive[0].total} records)`);
    // The drift by day and by month agree on their common dates; by day, the date asOf names is the SQL's total then.
    const byDay = new Map(answers.driftDay.dates.map((date, index) => [date, answers.driftDay.values[index]]));
    answers.driftMonth.dates.forEach((date, index) => {
      if (!close(byDay.get(date), answers.driftMonth.values[index]))
        throw new Error(`drift on ${date}: ${byDay.get(date)} by day, ${answers.driftMonth.values[index]} by month`);
    });
    const pastUpTo = await rawSql(pool, { asOf, to: quarterIndex(quarter) });
    const expected = [...pastUpTo.cells.values()].reduce((sum, amount) => sum + amount, 0);
    if (!close(byDay.get(asOf), expected) && Math.abs(byDay.get(asOf) - expected) > 1e-6)
      throw new Error(`drift on ${asOf}: ${byDay.get(asOf)} ≠ the SQL's ${expected}`);
    log(`${size}: answers equal the SQL over the versions: capacity and the list as of ${asOf}, the drift on that date`);

    const measurements = TIME_MEASURED.map((name) => ({
      name,
      url: `${base}${paths[name]}`,
      status: 200,
      headers,
      pid: server.pid,
    })).filter(({ name }) => !ONLY || ONLY.includes(name));
    log(`${size}: ${measurements.length} measurements × ${DURATION_S} s in ${ROUNDS} rounds, ${CONNECTIONS} connections`);
    const figures = await measure(measurements);
    const health = figures[measurements.findIndex((entry) => entry.name === 'health')];
    const measured = Object.fromEntries(
      measurements.map(({ name }, index) => {
        const f = figures[index];
        const ratios =
          health && name !== 'health' ? { p50VsHealth: round(f.p50Ms / health.p50Ms), rpsVsHealth: round(f.rps / health.rps) } : {};
        return [name, { ...f, ...ratios, firstMs: firstMs[name], againMs: againMs[name] }];
      }),
    );
    return {
      records: size,
      reusedSeed: database.reused,
      seedSeconds: database.seedSeconds,
      history: { ...history, asOf, quarter, driftDates: { month: answers.driftMonth.dates.length, day: answers.driftDay.dates.length } },
      paths,
      signedIn: measured,
      rssMb: Math.max(...figures.map((f) => f.rssMb)),
      serverLog: logFileFigures(logFile),
      answersMatchSql: true,
      loadAverage: { before: loadBefore, after: load1() },
    };
  } finally {
    await pool.end();
    await stopServer(server);
  }
}

function reportTime(results, run) {
  const pad = (value, width) => String(value ?? '').padStart(width);
  console.log(
    `\n${run.database}, node ${run.node}, autocannon ${run.connections} connections × ${run.secondsPerMeasurement} s per measurement in ${run.rounds} interleaved round(s)`,
  );
  for (const r of results) {
    const h = r.history;
    console.log(
      `\n${r.records} records (${r.reusedSeed ? 'seed reused' : `seeded in ${r.seedSeconds} s`}; history ${h.first} – ${h.last}: ${h.versions} versions, ${h.edited} edited, ${h.deleted} deleted; asOf ${h.asOf}; drift of ${h.quarter} over ${h.driftDates.month} months / ${h.driftDates.day} days; load average ${r.loadAverage.before} → ${r.loadAverage.after})`,
    );
    console.log('signed in      first ms  again ms  p50 ms  p95 ms  p99 ms   req/s  p50/health  req/s/health  load');
    for (const name of TIME_MEASURED) {
      const f = r.signedIn[name];
      if (!f) continue;
      console.log(
        `${name.padEnd(14)} ${pad(f.firstMs, 8)} ${pad(f.againMs, 9)} ${pad(f.p50Ms, 7)} ${pad(f.p95Ms, 7)} ${pad(f.p99Ms, 7)} ${pad(f.rps, 7)} ${pad(f.p50VsHealth, 11)} ${pad(f.rpsVsHealth, 13)} ${pad(f.loadAverage, 5)}`,
      );
    }
    console.log(`RSS ${r.rssMb} MB; log ${r.serverLog.lines} lines (${r.serverLog.megabytes} MB)`);
  }
}

const PARTIAL_RUN = 'a partial run (--only, --sizes, --seconds or --log-level): no results file written';

/** Whether the run measures less than the whole benchmark, so that its figures are not written as the results. */
const partialRun = () => ONLY || argument('sizes') || argument('seconds') || argument('log-level');

/** What a results file says of its run: `script` is the npm script, with the arguments given to it. */
function runFacts(script, version, startedAt) {
  const given = process.argv.slice(2).filter((arg) => arg !== '--time');
  return {
    date: new Date().toISOString(),
    command: `npm run ${script}${given.length > 0 ? ` -- ${given.join(' ')}` : ''}`,
    database: `PostgreSQL ${version}`,
    node: process.version,
    connections: CONNECTIONS,
    secondsPerMeasurement: DURATION_S,
    rounds: ROUNDS,
    tookSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
}

async function mainTime(version, startedAt) {
  const results = [];
  for (const size of SIZES) results.push(await benchTime(size));
  const run = runFacts('bench:time', version, startedAt);
  reportTime(results, run);
  if (partialRun()) return log(PARTIAL_RUN);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/time.json', `${JSON.stringify({ run, results }, null, 2)}\n`);
  log('written bench/results/time.json');
}

async function main() {
  const startedAt = Date.now();
  const version = await withClient(SERVER_URL, async (client) => (await client.query('SHOW server_version')).rows[0].server_version);
  log(
    `PostgreSQL ${version} at ${new URL(SERVER_URL).host}; load average ${loadavg()
      .map((value) => round(value, 1))
      .join(' ')}`,
  );
  if (dropSeeds) {
    const names = await withClient(SERVER_URL, async (client) => {
      const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'ledger\\_bench\\_%'`);
      for (const { datname } of rows) await client.query(`DROP DATABASE ${datname} WITH (FORCE)`);
      return rows.map((row) => row.datname);
    });
    return log(`dropped the seeded databases ${names.join(', ') || '(none)'}`);
  }
  if (timeMode) return mainTime(version, startedAt);
  const results = [];
  for (const size of SIZES) {
    const { result, logFiles } = await benchSize(size);
    result.serverLog = Object.fromEntries(Object.entries(logFiles).map(([mode, file]) => [mode, logFileFigures(file)]));
    results.push(result);
    log(`${size}: done (load average ${result.loadAverage.before} → ${result.loadAverage.after})`);
  }
  const growth = SIZES.length > 1 && (!ONLY || ONLY.includes('signedIn:capacityFull')) ? await benchGrowth(SIZES[0], SIZES.at(-1)) : null;
  const run = runFacts('bench', version, startedAt);
  report(results, growth, run);
  if (partialRun()) return log(PARTIAL_RUN);
  mkdirSync('bench/results', { recursive: true });
  const file = quick ? 'bench/results/latest-quick.json' : 'bench/results/latest.json';
  writeFileSync(file, `${JSON.stringify({ run, results, growth, targets: targets(results, growth) }, null, 2)}\n`);
  log(`written ${file}`);
}

/** The issue's targets, checked on the sizes of 200,000 records and more (all sizes in --quick runs but the first). */
function targets(results, growth) {
  const large = results.filter((r, index) => (quick ? index > 0 : r.records >= 200_000) && r.signedIn);
  const checks = [];
  const add = (what, ok, figures) => checks.push({ what, met: ok, figures });
  for (const r of large) {
    const s = r.signedIn;
    if (!s.health) continue;
    for (const name of ['capacityFull', 'capacityTop10']) {
      if (!s[name]) continue;
      add(
        `${r.records}: signed-in ${name} p50 ≤ 1.5 × health's`,
        s[name].p50Ms <= 1.5 * s.health.p50Ms,
        `${s[name].p50Ms} vs ${s.health.p50Ms} ms`,
      );
      add(
        `${r.records}: signed-in ${name} req/s ≥ 60 % of health's`,
        s[name].rps >= 0.6 * s.health.rps,
        `${s[name].rps} vs ${s.health.rps}`,
      );
    }
    for (const name of ['list', 'detail']) {
      if (!s[name]) continue;
      add(
        `${r.records}: signed-in ${name} req/s ≥ 50 % of health's`,
        s[name].rps >= 0.5 * s.health.rps,
        `${s[name].rps} vs ${s.health.rps}`,
      );
    }
  }
  if (growth) {
    const [a, b] = [growth.small.p50Ms, growth.large.p50Ms];
    add(
      `signed-in full answer p50 at ${growth.largeRecords} ≤ 1.5 × at ${growth.smallRecords} (side by side)`,
      b <= 1.5 * a,
      `${b} vs ${a} ms`,
    );
  }
  const rss = results.flatMap((r) => MODES.filter((mode) => r[mode]).map((mode) => r[mode].rssMb));
  add(
    'server RSS ≤ 300 MB under load at every size',
    rss.every((mb) => mb <= 300),
    `${Math.max(...rss)} MB at most`,
  );
  add(
    'answers equal the raw SQL at every size',
    results.every((r) => r.answersMatchRawSql),
    `relative ${TOLERANCE}`,
  );
  return checks;
}

function report(results, growth, run) {
  const pad = (value, width) => String(value ?? '').padStart(width);
  console.log(
    `\n${run.database}, node ${run.node}, autocannon ${run.connections} connections × ${run.secondsPerMeasurement} s per measurement in ${run.rounds} interleaved round(s)`,
  );
  for (const r of results) {
    console.log(
      `\n${r.records} records (${r.reusedSeed ? 'seed reused' : `seeded in ${r.seedSeconds} s`}; rollup rows ${r.rollupRows}; first full answer ${r.capacityUncachedMs} ms; raw SQL ${r.rawSqlMs} ms; write ${r.writeMs} ms; load average ${r.loadAverage.before} → ${r.loadAverage.after})`,
    );
    console.log('mode       request             p50 ms  p99 ms   req/s  p50/health  req/s/health  load');
    for (const mode of MODES) {
      if (!r[mode]) continue;
      for (const name of MEASURED) {
        const f = r[mode][name];
        if (!f) continue;
        console.log(
          `${mode.padEnd(10)} ${name.padEnd(18)} ${pad(f.p50Ms, 7)} ${pad(f.p99Ms, 7)} ${pad(f.rps, 7)} ${pad(f.p50VsHealth, 11)} ${pad(f.rpsVsHealth, 13)} ${pad(f.loadAverage, 5)}`,
        );
      }
      console.log(
        `${mode.padEnd(10)} RSS ${r[mode].rssMb} MB; log ${r.serverLog?.[mode]?.lines ?? '?'} lines (${r.serverLog?.[mode]?.megabytes ?? '?'} MB)`,
      );
    }
  }
  if (growth) {
    console.log(
      `\ngrowth, side by side: signed-in full answer p50 ${growth.small.p50Ms} ms at ${growth.smallRecords} (${growth.small.rps} req/s), ${growth.large.p50Ms} ms at ${growth.largeRecords} (${growth.large.rps} req/s): × ${growth.p50Ratio}; load ${growth.small.loadAverage}`,
    );
  }
  console.log('');
  for (const check of targets(results, growth)) console.log(`${check.met ? 'met    ' : 'MISSED '} ${check.what} (${check.figures})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
