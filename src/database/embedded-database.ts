import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Where PGlite keeps its files inside DATA_DIR. */
export const pgliteDir = (dataDir: string) => resolve(dataDir, 'pglite');

type WorkerMessage = { type: 'ready'; port: number } | { type: 'stopped' } | { type: 'failed'; message: string };

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
  mkdirSync(dataDir, { recursive: true });
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
  /** 0 lets the system pick a free port. */
  port?: number;
}

/**
 * The embedded default: PGlite in a worker thread, reachable as postgres://127.0.0.1:<port>.
 * A worker dies with its process, so a killed run leaves nothing behind that could block the next start.
 */
export class EmbeddedDatabase {
  private worker?: Worker;
  private releaseDataDir?: () => void;

  constructor(private readonly options: EmbeddedDatabaseOptions) {}

  async start(): Promise<string> {
    if (this.options.dataDir) this.releaseDataDir = claimDataDir(this.options.dataDir);
    const dataDir = this.options.dataDir ? pgliteDir(this.options.dataDir) : undefined;
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: { dataDir, port: this.options.port ?? 0, maxConnections: EMBEDDED_MAX_CONNECTIONS },
    });
    this.worker = worker;
    const port = await new Promise<number>((resolvePort, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`embedded database exited with code ${code}`)));
      worker.once('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolvePort(message.port);
        else reject(new Error(`embedded database failed to start: ${'message' in message ? message.message : ''}`));
      });
    }).catch((error: unknown) => {
      this.releaseDataDir?.();
      throw error;
    });
    worker.removeAllListeners('exit');
    worker.removeAllListeners('error');
    worker.unref();
    return `postgres://postgres@127.0.0.1:${port}/postgres`;
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
    this.releaseDataDir?.();
  }
}
