import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ensurePrivateDir } from '../common/private-files.js';

/** Where PGlite keeps its files inside DATA_DIR. */
export const pgliteDir = (dataDir: string) => resolve(dataDir, 'pglite');

/** The socket's name in its folder, as PostgreSQL names it: `pg` finds it from `host=<folder>` and the default port. */
const SOCKET_NAME = '.s.PGSQL.5432';
/** Unix socket paths are limited to about 107 bytes; a longer DATA_DIR gets its socket in a private temporary folder. */
const MAX_SOCKET_PATH = 100;

type WorkerMessage = { type: 'ready' } | { type: 'stopped' } | { type: 'failed'; message: string };

/** The app's pool on the embedded engine: PGlite runs one query at a time, so a few connections are plenty. */
export const EMBEDDED_POOL_SIZE = 4;

/** Connections the embedded server accepts: the app's pool, plus room for tools such as the migration CLI and tests. */
const EMBEDDED_MAX_CONNECTIONS = 8;

/** Whether a process with this id is running (a lock left by a killed run names a dead process). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the data folder for this process: PGlite has no lock of its own, and two processes writing one folder
 * would corrupt it. A lock whose process is gone (a `kill -9`) is taken over.
 */
export function claimDataDir(dataDir: string): () => void {
  const lockFile = resolve(dataDir, 'server.pid');
  ensurePrivateDir(dataDir);
  try {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && processAlive(holder)) {
      throw new Error(`${dataDir} is in use by process ${holder}; stop it first (or point DATA_DIR elsewhere)`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

export interface EmbeddedDatabaseOptions {
  /** Folder that keeps the data; omitted, the database lives in memory (tests). */
  dataDir?: string;
}

/**
 * The folder of the database's socket: the data folder itself (0700, so only its owner can connect), or a private
 * temporary folder for an in-memory database or a data folder whose path is too long for a socket.
 */
function socketFolder(dataDir: string | undefined): { folder: string; temporary: boolean } {
  if (dataDir) {
    const folder = resolve(dataDir);
    if (join(folder, SOCKET_NAME).length <= MAX_SOCKET_PATH) return { folder, temporary: false };
  }
  return { folder: mkdtempSync(join(tmpdir(), 'ledger-db-')), temporary: true };
}

/** A socket left by a killed run blocks the next start; the data folder's lock is held, so no server owns it. */
function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * The embedded default: PGlite in a worker thread, served on a Unix socket in a folder only this user can open
 * (never on a TCP port: PGlite asks for no password). The URL names the folder: postgres://postgres@%2F…/postgres.
 * A worker dies with its process, so a killed run leaves nothing behind that could block the next start.
 */
export class EmbeddedDatabase {
  private worker?: Worker;
  private releaseDataDir?: () => void;
  private socket?: { folder: string; temporary: boolean };

  constructor(private readonly options: EmbeddedDatabaseOptions) {}

  async start(): Promise<string> {
    if (this.options.dataDir) this.releaseDataDir = claimDataDir(this.options.dataDir);
    const dataDir = this.options.dataDir ? pgliteDir(this.options.dataDir) : undefined;
    if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const socket = socketFolder(this.options.dataDir);
    this.socket = socket;
    const socketPath = join(socket.folder, SOCKET_NAME);
    removeStaleSocket(socketPath);
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: { dataDir, socketPath, maxConnections: EMBEDDED_MAX_CONNECTIONS },
    });
    this.worker = worker;
    await new Promise<void>((resolveReady, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`embedded database exited with code ${code}`)));
      worker.once('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolveReady();
        else reject(new Error(`embedded database failed to start: ${'message' in message ? message.message : ''}`));
      });
    }).catch((error: unknown) => {
      this.releaseFiles();
      throw error;
    });
    worker.removeAllListeners('exit');
    worker.removeAllListeners('error');
    worker.unref();
    return `postgres://postgres@${encodeURIComponent(socket.folder)}/postgres`;
  }

  private releaseFiles(): void {
    if (this.socket?.temporary) rmSync(this.socket.folder, { recursive: true, force: true });
    this.socket = undefined;
    this.releaseDataDir?.();
    this.releaseDataDir = undefined;
  }

  /** Closes the database cleanly so its files are consistent on disk. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await new Promise<void>((resolveStop) => {
      const timeout = setTimeout(resolveStop, 10_000);
      worker.once('message', () => {
        clearTimeout(timeout);
        resolveStop();
      });
      worker.postMessage({ type: 'stop' });
    });
    await worker.terminate();
    this.releaseFiles();
  }
}
