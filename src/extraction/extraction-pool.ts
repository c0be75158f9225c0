import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExtractionCatalog, ExtractionInput, ExtractionResult } from '../domain/extraction/types.js';

/** The text took longer than the time budget; its thread was ended. */
export class ExtractionTimeout extends Error {}
/** Every thread is busy and the queue is full. */
export class ExtractionPoolSaturated extends Error {}

export interface ExtractionPoolOptions {
  /** How long one text may take on its thread, in milliseconds. */
  timeLimitMs: number;
  /** Threads; default: one per core but one, at least one, at most four. */
  threads?: number;
  /** Texts that may wait for a thread; default four per thread. More are refused. */
  maxQueue?: number;
}

interface Task {
  input: ExtractionInput;
  catalog: ExtractionCatalog;
  resolve: (result: ExtractionResult) => void;
  reject: (error: Error) => void;
}

type WorkerMessage = { ready: true } | { id: number; result: ExtractionResult } | { id: number; error: string };

/** The compiled extraction next to the built service, its TypeScript source when run from the sources. */
const extractionModuleUrl = new URL(`../domain/extraction/extract${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/** One thread: started ready for texts, replaced when a text overruns its budget or the thread fails. */
class ExtractionThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private current?: { id: number; task: Task; timer?: NodeJS.Timeout };
  private nextId = 0;
  ended = false;

  constructor(
    private readonly timeLimitMs: number,
    private readonly onFree: (thread: ExtractionThread) => void,
    private readonly onEnded: (thread: ExtractionThread) => void,
  ) {
    this.worker = new Worker(new URL('./extraction-worker.mjs', import.meta.url), { workerData: { moduleUrl: extractionModuleUrl } });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve());
      this.worker.once('error', reject);
    });
    this.ready.catch(() => {});
    this.worker.on('message', (message: WorkerMessage) => this.settle(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', () => this.fail(new Error('the extraction thread stopped')));
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  async run(task: Task): Promise<void> {
    const id = this.nextId++;
    this.current = { id, task };
    try {
      await this.ready;
    } catch (error) {
      return this.fail(error as Error);
    }
    if (this.current?.id !== id) return;
    // The budget counts the text's own time on the thread, not the wait for it.
    this.current.timer = setTimeout(() => {
      task.reject(new ExtractionTimeout(`the text took longer than ${this.timeLimitMs} ms to read`));
      this.current = undefined;
      this.end();
    }, this.timeLimitMs);
    this.worker.postMessage({ id, input: task.input, catalog: task.catalog });
  }

  private settle(message: WorkerMessage): void {
    if (!('id' in message) || message.id !== this.current?.id) return;
    const { task, timer } = this.current;
    clearTimeout(timer);
    this.current = undefined;
    if ('error' in message) task.reject(new Error(message.error));
    else task.resolve(message.result);
    this.onFree(this);
  }

  private fail(error: Error): void {
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.task.reject(error);
      this.current = undefined;
    }
    this.end();
  }

  /** Stops the thread (a regular expression cannot be interrupted any other way) and lets the pool replace it. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    void this.worker.terminate();
    this.onEnded(this);
  }
}

/**
 * Runs extraction on worker threads with a time budget per text: the API's event loop never runs it, a text that
 * takes too long ends its thread (422 for that request only), and when every thread is busy and the queue is full
 * the request is refused at once (503) rather than piling up.
 */
export class ExtractionPool {
  private readonly threads: ExtractionThread[] = [];
  private readonly queue: Task[] = [];
  private readonly size: number;
  private readonly maxQueue: number;
  private closed = false;

  constructor(private readonly options: ExtractionPoolOptions) {
    this.size = options.threads ?? Math.max(1, Math.min(4, availableParallelism() - 1));
    this.maxQueue = options.maxQueue ?? this.size * 4;
  }

  extract(input: ExtractionInput, catalog: ExtractionCatalog): Promise<ExtractionResult> {
    if (this.closed) return Promise.reject(new Error('the extraction pool is closed'));
    return new Promise((resolve, reject) => {
      const task = { input, catalog, resolve, reject };
      const free = this.freeThread();
      if (free) return void free.run(task);
      if (this.queue.length >= this.maxQueue) return reject(new ExtractionPoolSaturated('every extraction thread is busy'));
      this.queue.push(task);
    });
  }

  close(): void {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('the extraction pool is closed'));
    for (const thread of [...this.threads]) thread.end();
  }

  private freeThread(): ExtractionThread | undefined {
    const idle = this.threads.find((thread) => !thread.busy);
    if (idle) return idle;
    if (this.threads.length >= this.size) return undefined;
    const thread = new ExtractionThread(
      this.options.timeLimitMs,
      (freed) => this.next(freed),
      (ended) => {
        this.threads.splice(this.threads.indexOf(ended), 1);
        if (!this.closed) this.drain();
      },
    );
    this.threads.push(thread);
    return thread;
  }

  private next(thread: ExtractionThread): void {
    const task = this.queue.shift();
    if (task) void thread.run(task);
  }

  /** After a thread ended: start replacements for the texts still waiting. */
  private drain(): void {
    while (this.queue.length > 0) {
      const free = this.freeThread();
      if (!free) return;
      void free.run(this.queue.shift()!);
    }
  }
}
