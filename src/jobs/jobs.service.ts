import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { Environment } from '../config/environment.js';
import { retryDelaySeconds } from '../domain/backoff.js';

/** A claimed job as its handler sees it; `attempt` is 1 the first time it runs. */
export interface Job<P = unknown> {
  id: string;
  queue: string;
  payload: P;
  attempt: number;
}

export type JobHandler<P = unknown> = (job: Job<P>) => Promise<void>;

export interface QueueOptions {
  /** How long a claimed job stays reserved for the instance running it; past it, another instance may take it. */
  leaseSeconds?: number;
  /** Jobs of the queue one instance runs at once. */
  concurrency?: number;
  /** Delay before each retry: doubling from `baseSeconds`, capped at `maxSeconds`. */
  retry?: { baseSeconds: number; maxSeconds: number };
}

export interface EnqueueOptions {
  /** When the job may run first; default now. */
  runAt?: Date;
  /** At most one pending job per queue and key: a second enqueue while one is pending adds nothing. */
  singletonKey?: string;
  /** Failures are retried (with the queue's backoff) for this long after the job is queued; default: not retried. */
  retryForSeconds?: number;
}

/** Thrown by a handler that wants to run again later without it counting as a failure of the work (e.g. Retry-After). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly afterSeconds: number,
  ) {
    super(message);
  }
}

const DEFAULTS: Required<QueueOptions> = { leaseSeconds: 300, concurrency: 2, retry: { baseSeconds: 30, maxSeconds: 3600 } };
/** Finished jobs are kept this long (for delivery logs and debugging), then deleted. */
const KEEP_FINISHED_DAYS = 7;
const PRUNE_EVERY_MS = 3_600_000;

interface ClaimedRow {
  id: string;
  queue: string;
  payload: unknown;
  attempts: number;
  retry_until: Date | null;
}

/**
 * Durable background work on PostgreSQL, shared by every instance of the service. A job is queued in the caller's
 * transaction (so it exists exactly when the write that asked for it commits), claimed by one instance with
 * `FOR UPDATE SKIP LOCKED` under a lease, run outside any transaction, then marked done, retried with backoff or
 * failed. Recurring work is a schedule whose next run one instance claims per period. Claims and updates are single
 * statements, so no transaction stays open while a handler runs (the embedded engine has one connection).
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobsService.name);
  private readonly handlers = new Map<string, { handler: JobHandler; options: Required<QueueOptions> }>();
  private readonly running = new Map<string, Set<Promise<void>>>();
  private readonly instance = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<number> | null = null;
  private stopped = false;
  private lastPrune = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly environment: Environment,
  ) {}

  /** Registers the handler of a queue; call it from a module's constructor or onModuleInit. */
  register<P>(queue: string, handler: JobHandler<P>, options: QueueOptions = {}): void {
    if (this.handlers.has(queue)) throw new Error(`queue ${queue} has a handler already`);
    this.handlers.set(queue, { handler: handler as JobHandler, options: { ...DEFAULTS, ...options } });
  }

  /** Queues a job in the caller's transaction; returns its id, or null when a pending job holds its singleton key. */
  async enqueue<P>(manager: EntityManager, queue: string, payload: P, options: EnqueueOptions = {}): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO jobs (queue, payload, singleton_key, run_at, retry_until)
       VALUES ($1, $2::jsonb, $3, coalesce($4::timestamptz, now()), now() + make_interval(secs => $5))
       ON CONFLICT (queue, singleton_key) WHERE state = 'pending' AND singleton_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [queue, JSON.stringify(payload ?? {}), options.singletonKey ?? null, options.runAt ?? null, options.retryForSeconds ?? 0],
    );
    return rows[0]?.id ?? null;
  }

  /** Queues one job per payload in one statement, in the caller's transaction (no singleton keys); returns their ids. */
  async enqueueMany<P>(
    manager: EntityManager,
    queue: string,
    payloads: readonly P[],
    options: Omit<EnqueueOptions, 'singletonKey'> = {},
  ): Promise<string[]> {
    if (payloads.length === 0) return [];
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO jobs (queue, payload, run_at, retry_until)
       SELECT $1, p, coalesce($3::timestamptz, now()), now() + make_interval(secs => $4)
       FROM unnest($2::jsonb[]) WITH ORDINALITY AS u(p, n) ORDER BY n
       RETURNING id`,
      [queue, payloads.map((payload) => JSON.stringify(payload ?? {})), options.runAt ?? null, options.retryForSeconds ?? 0],
    );
    return rows.map((row) => String(row.id));
  }

  /**
   * Runs `payload` on `queue` every `everySeconds`, once per period whatever the number of instances; the first run
   * is due at `firstRunAt` (default now). Setting a schedule again changes its period and payload, not its next run.
   */
  async schedule(
    manager: EntityManager,
    name: string,
    queue: string,
    payload: unknown,
    everySeconds: number,
    firstRunAt?: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO job_schedules (name, queue, payload, every_seconds, next_run_at)
       VALUES ($1, $2, $3::jsonb, $4, coalesce($5::timestamptz, now()))
       ON CONFLICT (name) DO UPDATE SET queue = EXCLUDED.queue, payload = EXCLUDED.payload, every_seconds = EXCLUDED.every_seconds`,
      [name, queue, JSON.stringify(payload ?? {}), everySeconds, firstRunAt ?? null],
    );
  }

  async unschedule(manager: EntityManager, name: string): Promise<void> {
    await manager.query('DELETE FROM job_schedules WHERE name = $1', [name]);
  }

  onApplicationBootstrap(): void {
    const seconds = this.environment.JOB_POLL_SECONDS;
    if (seconds === 0) return;
    const tick = () => {
      if (this.stopped) return;
      void this.runDue()
        .catch((error: unknown) => this.logger.warn(`background jobs: ${message(error)}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, seconds * 1000);
        });
    };
    this.timer = setTimeout(tick, seconds * 1000);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass?.catch(() => undefined);
    await this.idle();
  }

  /**
   * One pass: queues the schedules that are due, claims the due jobs of the registered queues (up to each queue's
   * free concurrency) and starts them. Returns the number of jobs started. Tests call it, then `idle()`.
   */
  runDue(): Promise<number> {
    // Passes do not overlap within an instance: a slow pass is waited for rather than doubled.
    this.pass ??= this.onePass().finally(() => (this.pass = null));
    return this.pass;
  }

  /** Resolves when every job this instance started has finished. */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.running.values()].flatMap((jobs) => [...jobs]);
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  private async onePass(): Promise<number> {
    if (this.handlers.size === 0) return 0;
    const query = this.dataSource.manager.query.bind(this.dataSource.manager);
    await query(
      `WITH due AS (
         UPDATE job_schedules SET next_run_at = greatest(next_run_at + make_interval(secs => every_seconds), now())
         WHERE name IN (SELECT name FROM job_schedules WHERE next_run_at <= now() AND queue = ANY($1::text[]) FOR UPDATE SKIP LOCKED)
         RETURNING name, queue, payload
       )
       INSERT INTO jobs (queue, payload, singleton_key) SELECT queue, payload, name FROM due
       ON CONFLICT (queue, singleton_key) WHERE state = 'pending' AND singleton_key IS NOT NULL DO NOTHING`,
      [[...this.handlers.keys()]],
    );
    let started = 0;
    for (const [queue, { handler, options }] of this.handlers) {
      const running = this.running.get(queue) ?? new Set();
      this.running.set(queue, running);
      const free = options.concurrency - running.size;
      if (free <= 0 || this.stopped) continue;
      const claimed: ClaimedRow[] = await query(
        // A SELECT around the UPDATE, so the driver hands back the rows alone.
        `WITH claimed AS (
           UPDATE jobs SET attempts = attempts + 1, locked_by = $2, locked_until = now() + make_interval(secs => $3)
           WHERE id IN (
             SELECT id FROM jobs
             WHERE state = 'pending' AND queue = $1 AND run_at <= now() AND (locked_until IS NULL OR locked_until < now())
             ORDER BY run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED
           )
           RETURNING id, queue, payload, attempts, retry_until
         ) SELECT * FROM claimed`,
        [queue, this.instance, options.leaseSeconds, free],
      );
      for (const row of claimed) {
        const run = this.run(row, handler, options).finally(() => running.delete(run));
        running.add(run);
        started++;
      }
    }
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      await query(`DELETE FROM jobs WHERE state <> 'pending' AND finished_at < now() - make_interval(days => $1)`, [KEEP_FINISHED_DAYS]);
    }
    return started;
  }

  private async run(row: ClaimedRow, handler: JobHandler, options: Required<QueueOptions>): Promise<void> {
    const query = this.dataSource.manager.query.bind(this.dataSource.manager);
    try {
      await handler({ id: String(row.id), queue: row.queue, payload: row.payload, attempt: row.attempts });
      await query(
        `UPDATE jobs SET state = 'done', finished_at = now(), locked_until = NULL, last_error = NULL WHERE id = $1 AND locked_by = $2`,
        [row.id, this.instance],
      );
    } catch (error) {
      const later = error instanceof RetryLater;
      const delay = later ? error.afterSeconds : retryDelaySeconds(row.attempts, { ...options.retry, jitter: 0.2 });
      // A RetryLater does not use up an attempt; any other failure is retried until the job's retry_until.
      await query(
        `UPDATE jobs SET
           state = CASE WHEN $3 OR now() + make_interval(secs => $4) <= retry_until THEN 'pending'::job_state ELSE 'failed' END,
           run_at = now() + make_interval(secs => $4),
           finished_at = CASE WHEN $3 OR now() + make_interval(secs => $4) <= retry_until THEN NULL ELSE now() END,
           attempts = attempts - CASE WHEN $3 THEN 1 ELSE 0 END,
           locked_until = NULL, last_error = $5
         WHERE id = $1 AND locked_by = $2`,
        [row.id, this.instance, later, delay, message(error).slice(0, 2000)],
      ).catch((updateError: unknown) =>
        this.logger.warn(`job ${row.id} (${row.queue}): could not record its failure: ${message(updateError)}`),
      );
      if (!later) this.logger.warn(`job ${row.id} (${row.queue}) failed on attempt ${row.attempts}: ${message(error)}`);
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
