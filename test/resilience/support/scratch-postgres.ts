import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The newest PostgreSQL server binaries Debian installed, or null where there are none. */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A PostgreSQL server of the test's own, in a temporary folder on a free port, so a test can stop, restart and
 * cut it without touching the machine's server or anyone else's databases.
 */
export class ScratchPostgres {
  private constructor(
    private readonly bin: string,
    private readonly dataDir: string,
    readonly port: number,
    private readonly settings: Record<string, string>,
  ) {}

  /** `settings` are server settings (`-c name=value`) kept across restarts, e.g. `log_statement: 'all'`. */
  static async create(settings: Record<string, string> = {}): Promise<ScratchPostgres> {
    const scratch = await ScratchPostgres.prepare(settings);
    scratch.run('initdb', ['-D', join(scratch.dataDir, 'cluster'), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await scratch.start();
    return scratch;
  }

  /**
   * A streaming replica of this server, the way an operator makes one: a base backup with `-R` (which writes
   * `standby.signal` and `primary_conninfo`), then started as a hot standby that replays this server's WAL.
   */
  async createReplica(settings: Record<string, string> = {}): Promise<ScratchPostgres> {
    const replica = await ScratchPostgres.prepare(settings);
    const source = ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres'];
    // A fast checkpoint: the default spread one makes the backup wait a minute or more on an idle server.
    replica.run('pg_basebackup', [...source, '-D', join(replica.dataDir, 'cluster'), '-R', '-X', 'stream', '--no-sync', '-c', 'fast']);
    await replica.start();
    return replica;
  }

  private static async prepare(settings: Record<string, string>): Promise<ScratchPostgres> {
    const bin = postgresBinaries();
    if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-scratch-pg-'));
    chmodSync(dataDir, 0o777);
    return new ScratchPostgres(bin, dataDir, await freePort(), settings);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    this.run('pg_ctl', [
      '-D',
      join(this.dataDir, 'cluster'),
      '-l',
      join(this.dataDir, 'server.log'),
      '-o',
      [`-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dataDir} -c fsync=on`]
        .concat(Object.entries(this.settings).map(([name, value]) => `-c ${name}=${value}`))
        .join(' '),
      '-w',
      'start',
    ]);
  }

  /** `fast` disconnects clients and shuts down cleanly; `immediate` is a crash (recovery on the next start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dataDir, 'cluster'), '-m', mode, '-w', 'stop']);
  }

  /** Ends every client connection to the database, as an operator or a failover would. */
  async terminateConnections(database: string): Promise<number> {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    const result = await client.query(
      'SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    await client.end();
    return result.rows[0].count;
  }

  /** One query as the superuser, on the `postgres` database unless another is named. */
  async query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** The server's log so far (with `log_statement: 'all'`, every statement it was sent). */
  log(): string {
    return readFileSync(join(this.dataDir, 'server.log'), 'utf8');
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    return this.url(name);
  }

  async destroy(): Promise<void> {
    try {
      await this.stop('immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Runs a server binary as the postgres user when we are root (initdb and postgres refuse to run as root). */
  private run(command: string, args: string[]): void {
    const path = join(this.bin, command);
    const asRoot = process.getuid?.() === 0;
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', path, ...args], { encoding: 'utf8' })
      : spawnSync(path, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  }
}

export const hasPostgresBinaries = () => postgresBinaries() !== null && spawnSync('runuser', ['--help']).status === 0;
