/**
 * Import benchmark: generates an announcements file of BENCH_ROWS rows (default 100,000), starts the built server
 * on a scratch database, imports the file over HTTP (dry run, commit, then the same file again) and prints rows per
 * second, the CPU time of the server (and of the database server's processes, on a PostgreSQL server), the server's
 * peak resident memory after each step, and whether the capacity rollup equals a rebuild after the writes. A last step
 * imports the file with BENCH_CHANGED_ROWS rows changed (default 1,000), which update their records in batches.
 * Last, it prints the import's time as a multiple of a floor measured in the same run: PostgreSQL's own `COPY` of the
 * same file into a bare table of the same columns (all text), on the same engine (best of three); on a PostgreSQL
 * server also in CPU seconds, which a busy machine inflates less.
 *
 *   npm run bench:import                                                          # embedded PostgreSQL
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:import   # a scratch database there
 *   BENCH_PROFILE=/tmp/profiles npm run bench:import                              # also a CPU profile of the server
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from 'typeorm';
import { rebuildCapacityRollup } from '../src/database/capacity-rollup.js';
import { ANNOUNCEMENT_COLUMNS } from '../src/domain/commitment-fields.js';
import { productionStartArgs } from '../src/common/production-start.js';

const BENCH_ADMIN = { email: 'bench-admin@ledger.local', password: 'bench admin password' };
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
/** The rows the last step changes (their quantity), which go through the service as every update does, a batch at a time. */
const CHANGED_ROWS = Math.min(ROWS, Number(process.env.BENCH_CHANGED_ROWS ?? 1_000));
const PORT = Number(process.env.BENCH_PORT ?? 3171);
const COMPANIES = 300;
const CHIPS = [
  ['H100 SXM', 'gpu'],
  ['B200', 'gpu'],
  ['MI300X', 'gpu'],
  ['TPU v7', 'custom'],
  ['Trainium2', 'custom'],
];
const STATUSES = ['rumored', 'announced', 'confirmed', 'delivered'];

/** Rows in the import's columns; every tenth row revises the row of its company 300 rows before it. */
function generate(rows: number, changed = 0): string {
  const lines = [ANNOUNCEMENT_COLUMNS.join(',')];
  for (let index = 0; index < rows; index++) {
    const [chip, kind] = CHIPS[index % CHIPS.length];
    const year = 2020 + (index % 8);
    const month = String(1 + (index % 12)).padStart(2, '0');
    const fields: Record<string, string> = {
      key: `bench-${index}`,
      company: `Bench Company ${index % COMPANIES}`,
      company_kind: 'ai_lab',
      country: 'US',
      accelerator: chip,
      accelerator_kind: kind,
      quantity: String(1000 + index + (index < changed ? 1 : 0)),
      quantity_qualifier: index % 3 === 0 ? 'approximate' : 'exact',
      announced_on: `${year}-${month}-15`,
      delivery_by: `${year + 1}-Q${1 + (index % 4)}`,
      status: STATUSES[index % STATUSES.length],
      certainty: 'likely',
      supersedes: index % 10 === 0 && index >= COMPANIES ? `bench-${index - COMPANIES}` : '',
      source_url: `https://example.org/news/${index}`,
      source_title: `"Bench Company ${index % COMPANIES} buys ${1000 + index} ${chip}, ""reportedly"""`,
      source_publisher: 'Bench Wire',
      source_published_on: `${year}-${month}-16`,
      source_language: 'en',
      notes: index % 7 === 0 ? '"first line, with a comma\nsecond line"' : '',
    };
    lines.push(ANNOUNCEMENT_COLUMNS.map((column) => fields[column] ?? '').join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Starts the process's peak RSS afresh (Linux 4.0+), so each step reports its own; false where that is refused. */
function resetPeakOf(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU seconds the process has used (user + system), a figure that a busy machine inflates less than wall time. */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds used so far by each database server process serving this database. */
async function databaseCpu(admin: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  return new Map(rows.map(({ pid }) => [pid, cpuSecondsOf(pid)]));
}

/** Whether the capacity rollup holds exactly what a rebuild from the base tables would (rebuilt, then rolled back). */
async function rollupVersusRebuild(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const rollupRows = 'SELECT * FROM capacity_rollup';
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE kept ON COMMIT DROP AS ${rollupRows}`);
    // rebuildCapacityRollup only asks its manager for query().
    const manager = { query: async (sql: string, parameters?: unknown[]) => (await client.query(sql, parameters)).rows };
    const rows = await rebuildCapacityRollup(manager as unknown as EntityManager);
    const { rows: differences } = await client.query<{ count: number }>(
      `SELECT count(*)::integer AS count FROM ((TABLE kept EXCEPT ALL ${rollupRows}) UNION ALL (${rollupRows} EXCEPT ALL TABLE kept)) AS d`,
    );
    return differences[0].count === 0 ? `equal to a rebuild (${rows} rows)` : `DIFFERS from a rebuild in ${differences[0].count} rows`;
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
}

/** The floor's table: the import's columns, all text, no key, no index, no constraint. */
const FLOOR_TABLE = `CREATE TABLE bench_copy_floor (${ANNOUNCEMENT_COLUMNS.map((column) => `"${column}" text`).join(', ')})`;
const FLOOR_COPY = 'COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)';

/**
 * Seconds PostgreSQL's COPY takes to load `csv` into a fresh bare table (best of three), on a PostgreSQL server, with
 * the CPU seconds its database process used in that run.
 */
async function copyFloorOnServer(databaseUrl: string, csv: Buffer): Promise<{ seconds: number; cpu: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    let best = { seconds: Infinity, cpu: Infinity };
    for (let run = 0; run < 3; run++) {
      await client.query('DROP TABLE IF EXISTS bench_copy_floor');
      await client.query(FLOOR_TABLE);
      const start = performance.now();
      const cpuBefore = cpuSecondsOf(rows[0].pid);
      await pipeline(Readable.from([csv]), client.query(copyFrom(FLOOR_COPY)));
      const seconds = (performance.now() - start) / 1000;
      if (seconds < best.seconds) best = { seconds, cpu: cpuSecondsOf(rows[0].pid) - cpuBefore };
    }
    await client.query('DROP TABLE bench_copy_floor');
    return best;
  } finally {
    await client.end();
  }
}

/** The same floor on the embedded engine: COPY of `csv` into a bare table of a fresh in-memory PGlite database. */
async function copyFloorEmbedded(csv: Buffer): Promise<{ seconds: number; cpu: null }> {
  const database = await PGlite.create();
  try {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      await database.exec(`DROP TABLE IF EXISTS bench_copy_floor; ${FLOOR_TABLE}`);
      const start = performance.now();
      await database.query(FLOOR_COPY.replace('STDIN', "'/dev/blob'"), [], { blob: new Blob([csv]) });
      best = Math.min(best, (performance.now() - start) / 1000);
    }
    return { seconds: best, cpu: null };
  } finally {
    await database.close();
  }
}

async function waitForHealth(server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the server did not start');
}

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const scratchName = `ledger_bench_${process.pid}`;
  const dataDir = serverUrl ? null : mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  let databaseUrl: string | undefined;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${scratchName}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${scratchName}`;
    databaseUrl = url.toString();
  }

  const started = performance.now();
  const csv = Buffer.from(generate(ROWS), 'utf8');
  const changedCsv = Buffer.from(generate(ROWS, CHANGED_ROWS), 'utf8');
  console.log(
    `generated ${ROWS} rows, ${(csv.length / 1024 / 1024).toFixed(1)} MB, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    IMPORT_MAX_BYTES: String(512 * 1024 * 1024),
    RATE_LIMIT_PER_MINUTE: '0',
    // A throwaway signing key and first admin for this run, who signs in to import.
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir as string }),
  };
  if (!databaseUrl) delete environment.DATABASE_URL;
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const server = spawn(process.execPath, [...profile, ...productionStartArgs()], {
    env: environment,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const admin = serverUrl ? new pg.Client({ connectionString: serverUrl }) : null;
  try {
    await admin?.connect();
    await waitForHealth(server);
    const idle = memoryOf(server.pid as number);
    console.log(
      `database: ${databaseUrl ? 'PostgreSQL server (scratch database)' : 'embedded PostgreSQL (PGlite)'}; server idle RSS ${idle.rssMb.toFixed(0)} MB`,
    );
    const login = await fetch(`http://127.0.0.1:${PORT}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BENCH_ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    let importSeconds = 0;
    let importCpu = 0;
    for (const [label, dryRun, body] of [
      ['dry run', true, csv],
      ['import', false, csv],
      ['same file again', false, csv],
      [`${CHANGED_ROWS} rows changed`, false, changedCsv],
    ] as const) {
      const ownPeak = resetPeakOf(server.pid as number);
      const start = performance.now();
      const cpuBefore = cpuSecondsOf(server.pid as number);
      const databaseBefore = admin ? await databaseCpu(admin, scratchName) : null;
      const response = await fetch(`http://127.0.0.1:${PORT}/api/imports?dryRun=${dryRun}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/csv' },
        body,
      });
      const report = (await response.json()) as Record<string, unknown>;
      const seconds = (performance.now() - start) / 1000;
      const cpu = cpuSecondsOf(server.pid as number) - cpuBefore;
      let databaseSeconds = 0;
      if (admin && databaseBefore) {
        for (const [pid, seconds] of await databaseCpu(admin, scratchName)) databaseSeconds += seconds - (databaseBefore.get(pid) ?? 0);
      }
      if (label === 'import') [importSeconds, importCpu] = [seconds, cpu + databaseSeconds];
      const { errors, ...counts } = report;
      console.log(
        `${label.padEnd(16)} HTTP ${response.status} in ${seconds.toFixed(2)} s = ${Math.round(ROWS / seconds)} rows/s ` +
          `(CPU: server ${cpu.toFixed(1)} s${admin ? `, database ${databaseSeconds.toFixed(1)} s` : ''}; ` +
          `server peak RSS ${ownPeak ? 'in this step' : 'so far'} ${memoryOf(server.pid as number).peakMb.toFixed(0)} MB) ` +
          `${JSON.stringify(counts)}${Array.isArray(errors) && errors.length > 0 ? ` first error ${JSON.stringify(errors[0])}` : ''}`,
      );
    }
    console.log(
      `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${availableParallelism()} cores; ` +
        `server RSS at the end ${memoryOf(server.pid as number).rssMb.toFixed(0)} MB`,
    );
    if (databaseUrl) console.log(`capacity rollup after the imports: ${await rollupVersusRebuild(databaseUrl)}`);
    const floor = databaseUrl ? await copyFloorOnServer(databaseUrl, csv) : await copyFloorEmbedded(csv);
    console.log(
      `COPY of the same file into a bare table: ${floor.seconds.toFixed(2)} s` +
        `${floor.cpu === null ? '' : ` (CPU: database ${floor.cpu.toFixed(2)} s)`}; ` +
        `import / COPY = ${(importSeconds / floor.seconds).toFixed(1)}x in time` +
        `${floor.cpu === null ? '' : `, ${(importCpu / floor.cpu).toFixed(1)}x in CPU (server and database against database)`}` +
        ' (issue #14: at most 10x, aim 5x)',
    );
  } finally {
    await admin?.end();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (serverUrl) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
