import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { productionStartArgs } from '../../src/common/production-start.js';
import { projectPath } from '../../src/common/project-root.js';
import { type AppProcess, startAppProcess } from './support/app-process.js';
import { listeningTcpSockets } from './support/listening-sockets.js';

const NOBODY = 65534;
const mode = (path: string) => statSync(path).mode & 0o777;

/** Whether a PostgreSQL startup as `postgres`, without a password, gets an answer at 127.0.0.1/::1 on `port`. */
async function answersSql(host: string, port: number): Promise<boolean> {
  const client = new pg.Client({ host, port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs a few lines of JavaScript as the unprivileged user `nobody`, the way another account of the machine would. */
function asAnotherUser(script: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function stopApp(app: AppProcess): Promise<void> {
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(0);
}

/** A start that is expected to fail: its exit code and what it printed. */
function failedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, productionStartArgs(), {
      cwd: projectPath(),
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function runScript(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [projectPath('dist/scripts', script), ...args], {
    cwd: projectPath(),
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('a self-hosted install, seen from another account of the machine', () => {
  const folders: string[] = [];
  /** A folder that other users may enter (0755), as a home directory or /srv usually is. */
  const openFolder = (prefix: string) => {
    const created = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(created, 0o755);
    folders.push(created);
    return created;
  };
  afterAll(() => folders.forEach((created) => rmSync(created, { recursive: true, force: true })));

  it('answers SQL on no TCP port, listens on loopback only, and keeps its data folder and key to its owner', async () => {
    const dataDir = join(openFolder('ledger-security-'), 'data');
    // No JWT_SECRET: the embedded default generates its key into DATA_DIR.
    const app = await startAppProcess({ DATA_DIR: dataDir, JWT_SECRET: '' });
    try {
      const sockets = listeningTcpSockets(app.child.pid!);
      // The HTTP server; the embedded database has no TCP socket at all.
      expect(sockets).toHaveLength(1);
      for (const { address, port } of sockets) {
        expect(address, `listening on ${address}:${port}`).toMatch(/^(127\.\d+\.\d+\.\d+|::1)$/);
        expect(await answersSql(address.includes(':') ? '::1' : '127.0.0.1', port), `SQL answered on port ${port}`).toBe(false);
      }
      expect((await fetch(`${app.baseUrl}/api/health`)).status).toBe(200);

      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'jwt-secret'))).toBe(0o600);
      // The database's socket is in the data folder, which another account cannot enter.
      const socket = join(dataDir, '.s.PGSQL.5432');
      expect(statSync(socket).isSocket()).toBe(true);
      const connect = asAnotherUser(
        `import { connect } from 'node:net';
         const socket = connect(${JSON.stringify(socket)});
         socket.on('connect', () => { console.log('connected'); process.exit(0); });
         socket.on('error', (error) => { console.log(error.code); process.exit(3); });`,
      );
      expect(connect.output.trim()).toBe('EACCES');
      expect(connect.status).toBe(3);
    } finally {
      await stopApp(app);
    }
    expect(existsSync(join(dataDir, '.s.PGSQL.5432'))).toBe(false);
  });

  it('tightens an existing open data folder, and refuses to start with a signing key others can read', async () => {
    const dataDir = join(openFolder('ledger-security-'), 'data');
    const first = await startAppProcess({ DATA_DIR: dataDir, JWT_SECRET: '' });
    await stopApp(first);

    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'jwt-secret'), 0o644);
    const refused = await failedStart({ DATA_DIR: dataDir, JWT_SECRET: '' });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`${join(dataDir, 'jwt-secret')} is readable by other users (mode 0644): run chmod 600`);
    expect(mode(dataDir)).toBe(0o700);

    chmodSync(join(dataDir, 'jwt-secret'), 0o600);
    const again = await startAppProcess({ DATA_DIR: dataDir, JWT_SECRET: '' });
    await stopApp(again);
  });

  it('writes backups readable by their owner only, and never through a symbolic link', async () => {
    const dataDir = join(openFolder('ledger-security-'), 'data');
    const app = await startAppProcess({ DATA_DIR: dataDir });
    await stopApp(app);
    const backups = openFolder('ledger-security-backups-');

    const archive = join(backups, 'ledger.tar.gz');
    const backup = runScript('db-backup.js', [archive], { DATA_DIR: dataDir });
    expect(backup.status, backup.output).toBe(0);
    expect(mode(archive)).toBe(0o600);

    // An existing, readable file is made private before the backup goes into it.
    const existing = join(backups, 'existing.tar.gz');
    writeFileSync(existing, 'old', { mode: 0o644 });
    chmodSync(existing, 0o644);
    expect(runScript('db-backup.js', [existing], { DATA_DIR: dataDir }).status).toBe(0);
    expect(mode(existing)).toBe(0o600);
    expect(readFileSync(existing).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    // A link planted where the backup goes, pointing at a file the operator can write: refused, the file untouched.
    const victim = join(backups, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const planted = join(backups, 'planted.tar.gz');
    symlinkSync(victim, planted);
    const refused = runScript('db-backup.js', [planted], { DATA_DIR: dataDir });
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('is a symbolic link: refusing to write through it');
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });
});
