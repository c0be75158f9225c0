import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import type { DataSource, EntityManager } from 'typeorm';
import { CapacityService } from '../capacity/capacity.service.js';
import { CapacityFilterQuery } from '../capacity/dto/capacity.query.js';
import { type CommitmentEvent, type CommitmentEventListener, CommitmentEvents } from '../commitments/commitment-events.js';
import type { CommitmentChangeKind, NotificationView, WatchView } from '../contracts/watches.js';
import { notFound } from '../common/errors.js';
import { readVersions } from '../database/versions.js';
import { JobsService, RetryLater } from '../jobs/jobs.service.js';
import type { CreateWatchDto, ListNotificationsQuery, WatchFilterDto } from './dto/watch.dto.js';

export const WATCH_EVALUATION_QUEUE = 'watches.evaluate';

/** An evaluation holds the evaluator row this long at most. */
const EVALUATION_LEASE_SECONDS = 120;
/** Changes read per round of an evaluation. */
const CHANGES_PER_ROUND = 10_000;
/** When another instance is evaluating, this one's job comes back after this long (for changes the other missed). */
const BUSY_RETRY_SECONDS = 2;
const MAX_NOTIFICATIONS = 200;

interface WatchRow {
  id: string;
  user_id: string;
  name: string;
  filter: WatchFilterDto;
  last_total: number;
  created_at: Date;
}

/**
 * Watches: a user's saved dashboard filter, told when its total H100e moves. While any watch exists, every write's
 * changes (from CommitmentWriter, in its transaction) are kept in `watch_changes` with a job queued beside them.
 * Right after the write commits, one instance at a time evaluates: it reads the changes waiting, computes each
 * watch's total with the capacity engine as the ledger now stands, and for every watch whose total differs from the
 * one it last saw writes a notification (before, after, the newest change) and keeps the new total. So each
 * notification's `before` is the previous one's `after`. See docs/decisions/watches.md.
 */
@Injectable()
export class WatchesService implements OnModuleInit, CommitmentEventListener {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly capacity: CapacityService,
    private readonly jobs: JobsService,
    private readonly events: CommitmentEvents,
  ) {}

  onModuleInit(): void {
    this.events.listen(this);
    this.jobs.register(WATCH_EVALUATION_QUEUE, () => this.evaluate(), { concurrency: 1, leaseSeconds: EVALUATION_LEASE_SECONDS * 2 });
  }

  async create(userId: string, dto: CreateWatchDto): Promise<WatchView> {
    const filter = cleanFilter(dto.filter);
    const total = await this.totalOf(filter);
    const [row]: WatchRow[] = await this.dataSource.query(
      'INSERT INTO watches (user_id, name, filter, last_total) VALUES ($1, $2, $3::jsonb, $4) RETURNING *',
      [userId, dto.name, JSON.stringify(filter), total],
    );
    return watchView(row);
  }

  async list(userId: string): Promise<WatchView[]> {
    const rows: WatchRow[] = await this.dataSource.query('SELECT * FROM watches WHERE user_id = $1 ORDER BY created_at, id', [userId]);
    return rows.map(watchView);
  }

  /** Removes one of the user's own watches, with its notifications; another user's is not found. */
  async remove(userId: string, id: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(
      'WITH removed AS (DELETE FROM watches WHERE id = $1 AND user_id = $2 RETURNING id) SELECT id FROM removed',
      [id, userId],
    );
    if (rows.length === 0) throw notFound('watch', id);
  }

  /** The user's notifications, newest first (the latest 200), and how many there are. */
  async notifications(userId: string, query: ListNotificationsQuery): Promise<{ items: NotificationView[]; total: number }> {
    const unread = query.unread === true;
    const condition = `n.user_id = $1${unread ? ' AND n.read_at IS NULL' : ''}`;
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::integer AS total FROM notifications n WHERE ${condition}`,
      [userId],
    );
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT n.*, w.name AS watch_name FROM notifications n JOIN watches w ON w.id = n.watch_id
       WHERE ${condition} ORDER BY n.at DESC, n.created_at DESC, n.id LIMIT ${MAX_NOTIFICATIONS}`,
      [userId],
    );
    return { items: rows.map(notificationView), total };
  }

  async markRead(userId: string, id: string): Promise<NotificationView> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH marked AS (UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING id) SELECT id FROM marked`,
      [id, userId],
    );
    if (rows.length === 0) throw notFound('notification', id);
    const [row]: Record<string, unknown>[] = await this.dataSource.query(
      'SELECT n.*, w.name AS watch_name FROM notifications n JOIN watches w ON w.id = n.watch_id WHERE n.id = $1',
      [id],
    );
    return notificationView(row);
  }

  /** In the write's transaction: while any watch exists, the changes wait for the evaluation a job runs after commit. */
  async following(manager: EntityManager): Promise<boolean> {
    const [{ watched }]: { watched: boolean }[] = await manager.query('SELECT EXISTS (SELECT 1 FROM watches) AS watched');
    return watched;
  }

  async commitmentsChanged(manager: EntityManager, events: readonly CommitmentEvent[]): Promise<void> {
    if (!(await this.following(manager))) return;
    await manager.query(
      'INSERT INTO watch_changes (commitment_id, change) SELECT id, change FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS c(id, change, n) ORDER BY n',
      [events.map((event) => event.commitmentId), events.map((event) => event.change)],
    );
    await this.jobs.enqueue(manager, WATCH_EVALUATION_QUEUE, {}, { retryForSeconds: 3600 });
  }

  /**
   * One evaluation (a job's work), if no other instance is running one: the changes waiting, then every watch's total
   * as the ledger stands now; a watch whose total moved gets a notification naming the newest change.
   */
  private async evaluate(): Promise<void> {
    const claimed: unknown[] = await this.dataSource.query(
      `WITH claimed AS (
         INSERT INTO watch_evaluator (id, evaluating_until) VALUES (1, now() + make_interval(secs => $1))
         ON CONFLICT (id) DO UPDATE SET evaluating_until = EXCLUDED.evaluating_until
         WHERE watch_evaluator.evaluating_until IS NULL OR watch_evaluator.evaluating_until < now()
         RETURNING id
       ) SELECT id FROM claimed`,
      [EVALUATION_LEASE_SECONDS],
    );
    // The other evaluation may have read the changes before this job's write committed: come back after it.
    if (claimed.length === 0) throw new RetryLater('another instance is evaluating the watches', BUSY_RETRY_SECONDS);
    try {
      for (;;) {
        const changes: { id: number; commitment_id: string; change: CommitmentChangeKind; at: Date }[] = await this.dataSource.query(
          `SELECT id, commitment_id, change, at FROM watch_changes ORDER BY id LIMIT ${CHANGES_PER_ROUND}`,
        );
        if (changes.length === 0) return;
        await this.notifyFor(changes[changes.length - 1], changes.length);
        await this.dataSource.query('DELETE FROM watch_changes WHERE id <= $1', [changes[changes.length - 1].id]);
      }
    } finally {
      await this.dataSource.query('UPDATE watch_evaluator SET evaluating_until = NULL WHERE id = 1');
    }
  }

  /** Every watch whose total differs from the one it last saw gets a notification, and keeps the new total. */
  private async notifyFor(newest: { commitment_id: string; change: CommitmentChangeKind; at: Date }, count: number): Promise<void> {
    const watches: WatchRow[] = await this.dataSource.query('SELECT * FROM watches ORDER BY id');
    const totals = new Map<string, number>();
    const moved: { watch: WatchRow; after: number }[] = [];
    for (const watch of watches) {
      const key = JSON.stringify(watch.filter);
      let total = totals.get(key);
      if (total === undefined) totals.set(key, (total = await this.totalOf(watch.filter)));
      if (moves(watch.last_total, total)) moved.push({ watch, after: total });
    }
    if (moved.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      for (const { watch, after } of moved) {
        // Only if the total is still the one read: a watch removed meanwhile is skipped.
        const updated: unknown[] = await manager.query(
          `WITH kept AS (UPDATE watches SET last_total = $2 WHERE id = $1 AND last_total = $3 RETURNING id) SELECT id FROM kept`,
          [watch.id, after, watch.last_total],
        );
        if (updated.length === 0) continue;
        await manager.query(
          `INSERT INTO notifications (watch_id, user_id, at, commitment_id, change, changes, before, after)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [watch.id, watch.user_id, newest.at, newest.commitment_id, newest.change, count, watch.last_total, after],
        );
      }
    });
  }

  /** The filter's total H100e (BF16, delivery basis, all quarters), as the dashboard's summary computes it now. */
  private async totalOf(filter: WatchFilterDto): Promise<number> {
    const query = plainToInstance(CapacityFilterQuery, { metric: 'h100e', ...filter });
    const { ledger } = await readVersions(this.dataSource.manager);
    const answer = await this.capacity.summary(query, ledger);
    const { total } = JSON.parse(answer.body.toString('utf8')) as { total: number | null };
    return total ?? 0;
  }
}

/**
 * Whether a total moved: sums of floating-point amounts read in another order can differ in their last bits, which is
 * not a change of the ledger.
 */
export function moves(before: number, after: number): boolean {
  return Math.abs(after - before) > 1e-9 * Math.max(1, Math.abs(before), Math.abs(after));
}

/** The filter with its empty lists left out, so that equal filters are stored (and computed) alike. */
function cleanFilter(filter: WatchFilterDto): WatchFilterDto {
  const clean: WatchFilterDto = {};
  if (filter.companyId?.length) clean.companyId = [...new Set(filter.companyId)].sort();
  if (filter.vendor?.length) clean.vendor = [...new Set(filter.vendor)].sort();
  if (filter.kind?.length) clean.kind = [...new Set(filter.kind)].sort();
  if (filter.status?.length) clean.status = [...new Set(filter.status)].sort();
  return clean;
}

function watchView(row: WatchRow): WatchView {
  return { id: row.id, name: row.name, filter: row.filter, total: row.last_total, createdAt: row.created_at };
}

function notificationView(row: Record<string, unknown>): NotificationView {
  return {
    id: row.id as string,
    watchId: row.watch_id as string,
    watchName: row.watch_name as string,
    at: row.at as Date,
    commitmentId: row.commitment_id as string,
    change: row.change as CommitmentChangeKind,
    changes: row.changes as number,
    before: row.before as number,
    after: row.after as number,
    readAt: row.read_at as Date | null,
  };
}
