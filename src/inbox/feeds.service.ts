import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { conflict, invalidField, notFound } from '../common/errors.js';
import { Environment } from '../config/environment.js';
import { retryDelaySeconds } from '../domain/backoff.js';
import { JobsService, RetryLater } from '../jobs/jobs.service.js';
import { readArticle } from './article-reader.js';
import type { FeedView, PollResult } from '../contracts/inbox.js';
import type { CreateFeedDto } from './dto/feed.dto.js';

export type { FeedView, PollResult } from '../contracts/inbox.js';
import { type FeedEntry, parseFeed } from './feed-parser.js';
import { InboxService, type ReadItem } from './inbox.service.js';
import { bodyText, DEFAULT_FETCH_LIMITS, type FetchLimits, hostRefusal, safeFetch } from './safe-fetch.js';

export const FEED_POLL_QUEUE = 'feeds.poll';

interface FeedRow {
  id: string;
  url: string;
  name: string;
  etag: string | null;
  last_modified: string | null;
  created_at: Date;
  last_polled_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  failures: number;
  new_items?: number;
}

/** A poll holds its feed this long at most (every fetch in it has a 10 s limit). */
const POLL_LEASE_SECONDS = 900;
/** Items read per poll; the rest are read by the next one (the feed is then fetched without validators). */
const MAX_ITEMS_PER_POLL = 30;
/** A feed item's own content is taken as the article when its text is at least this long; else its page is read. */
const FULL_CONTENT_CHARACTERS = 500;
/** First retry of a failing feed after this long, doubling up to the poll period. */
const RETRY_BASE_SECONDS = 60;

const scheduleName = (feedId: string) => `feed:${feedId}`;

/**
 * Feeds and their polls. Each feed has a schedule (every FEED_POLL_MINUTES) in the jobs tables, so one instance
 * polls it per period; a poll claims the feed with a lease in one statement, so a poll asked for by hand and a
 * scheduled one never run together. A poll GETs the feed conditionally (ETag / Last-Modified), parses it, and reads
 * each item not seen before: its content, or its linked page's main article when the feed gives only a summary.
 * A failed poll keeps its error on the feed and is retried with a growing delay.
 */
@Injectable()
export class FeedsService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(FeedsService.name);
  private readonly limits: FetchLimits;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly environment: Environment,
    private readonly jobs: JobsService,
    private readonly inbox: InboxService,
  ) {
    this.limits = { ...DEFAULT_FETCH_LIMITS, allowPrivateAddresses: environment.FEED_ALLOW_PRIVATE_ADDRESSES };
  }

  onModuleInit(): void {
    this.jobs.register<{ feedId: string }>(FEED_POLL_QUEUE, (job) => this.pollJob(job.payload.feedId), {
      leaseSeconds: POLL_LEASE_SECONDS,
    });
  }

  /** Brings every feed's schedule to the current FEED_POLL_MINUTES (a change of the setting applies at start). */
  async onApplicationBootstrap(): Promise<void> {
    const feeds: { id: string }[] = await this.dataSource.query('SELECT id FROM feeds');
    for (const { id } of feeds) await this.scheduleFeed(id);
  }

  async create(dto: CreateFeedDto, actorId: string | null): Promise<FeedView> {
    const refusal = await hostRefusal(dto.url, this.limits.allowPrivateAddresses);
    if (refusal) throw invalidField('url', refusal, dto.url);
    const id = await this.dataSource.transaction(async (manager) => {
      const rows: { id: string }[] = await manager
        .query('INSERT INTO feeds (url, name, created_by) VALUES ($1, $2, $3) RETURNING id', [dto.url, dto.name, actorId])
        .catch((error: unknown) => rethrowUniqueViolation(error, { feeds_url_unique: 'url' }));
      await this.scheduleFeed(rows[0].id, manager);
      return rows[0].id;
    });
    return this.get(id);
  }

  async list(): Promise<FeedView[]> {
    const rows: FeedRow[] = await this.dataSource.query(`${FEED_SELECT} ORDER BY lower(feed.name), feed.id`);
    return rows.map(feedView);
  }

  async get(id: string): Promise<FeedView> {
    const [row]: FeedRow[] = await this.dataSource.query(`${FEED_SELECT} WHERE feed.id = $1`, [id]);
    if (!row) throw notFound('Feed', id);
    return feedView(row);
  }

  /** Removes the feed, its schedule and its items (records accepted from them keep their sources). */
  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows: unknown[] = await manager.query('WITH removed AS (DELETE FROM feeds WHERE id = $1 RETURNING id) SELECT id FROM removed', [
        id,
      ]);
      if (rows.length === 0) throw notFound('Feed', id);
      await this.jobs.unschedule(manager, scheduleName(id));
    });
  }

  /** Polls the feed now (POST /api/feeds/:id/poll); a failure is answered in the feed's lastError, and retried later. */
  async pollNow(id: string): Promise<PollResult> {
    await this.get(id);
    const outcome = await this.poll(id);
    if (!outcome.polled) throw conflict(`Feed ${id} is being polled right now; its items will be in the inbox when it is done`);
    if (outcome.failedAttempts > 0) {
      await this.jobs.enqueue(
        this.dataSource.manager,
        FEED_POLL_QUEUE,
        { feedId: id },
        { runAt: new Date(Date.now() + this.retryDelay(outcome.failedAttempts) * 1000), singletonKey: `feed-retry:${id}` },
      );
    }
    return { feed: await this.get(id), added: outcome.added, polled: true };
  }

  private async pollJob(feedId: string): Promise<void> {
    const outcome = await this.poll(feedId);
    if (outcome.failedAttempts > 0) {
      throw new RetryLater(outcome.error ?? 'the feed could not be read', this.retryDelay(outcome.failedAttempts));
    }
  }

  private retryDelay(failures: number): number {
    const period = this.environment.FEED_POLL_MINUTES > 0 ? this.environment.FEED_POLL_MINUTES * 60 : 86_400;
    return retryDelaySeconds(failures, { baseSeconds: RETRY_BASE_SECONDS, maxSeconds: Math.max(RETRY_BASE_SECONDS, period), jitter: 0.2 });
  }

  /**
   * One poll of one feed, if no other is running (on any instance). Never throws for the feed's own failures: they
   * are kept on the feed and reported in `failedAttempts` (the failures in a row, this one included).
   */
  private async poll(feedId: string): Promise<{ polled: boolean; added: number; failedAttempts: number; error?: string }> {
    const [feed]: FeedRow[] = await this.dataSource.query(
      // A SELECT around the UPDATE, so the driver hands back the rows alone.
      `WITH claimed AS (
         UPDATE feeds SET polling_until = now() + make_interval(secs => $2)
         WHERE id = $1 AND (polling_until IS NULL OR polling_until < now()) RETURNING *
       ) SELECT * FROM claimed`,
      [feedId, POLL_LEASE_SECONDS],
    );
    if (!feed) return { polled: false, added: 0, failedAttempts: 0 };
    try {
      const { added, etag, lastModified } = await this.read(feed);
      await this.dataSource.query(
        `UPDATE feeds SET polling_until = NULL, last_polled_at = now(), last_success_at = now(), last_error = NULL, failures = 0,
           etag = $2, last_modified = $3 WHERE id = $1`,
        [feedId, etag, lastModified],
      );
      return { polled: true, added, failedAttempts: 0 };
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      const [row]: { failures: number }[] = await this.dataSource.query(
        `WITH failed AS (
           UPDATE feeds SET polling_until = NULL, last_polled_at = now(), last_error = $2, failures = failures + 1
           WHERE id = $1 RETURNING failures
         ) SELECT failures FROM failed`,
        [feedId, message],
      );
      this.logger.warn(`feed ${feedId} (${feed.url}): ${message}`);
      return { polled: true, added: 0, failedAttempts: row?.failures ?? 1, error: message };
    }
  }

  /** Fetches and parses the feed and keeps its new items; returns the validators for the next conditional GET. */
  private async read(feed: FeedRow): Promise<{ added: number; etag: string | null; lastModified: string | null }> {
    const conditional: Record<string, string> = { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5' };
    if (feed.etag) conditional['if-none-match'] = feed.etag;
    if (feed.last_modified) conditional['if-modified-since'] = feed.last_modified;
    const fetched = await safeFetch(feed.url, this.limits, conditional);
    if (fetched.status === 304) return { added: 0, etag: feed.etag, lastModified: feed.last_modified };
    if (fetched.status < 200 || fetched.status >= 300) throw new Error(`${feed.url} answered HTTP ${fetched.status}`);
    let parsed;
    try {
      parsed = await parseFeed(bodyText(fetched));
    } catch (error) {
      throw new Error(`${feed.url} is not an RSS or Atom feed (${(error as Error).message.split('\n')[0]})`, { cause: error });
    }
    const keys = parsed.entries.map((entry) => entry.key);
    const seen = new Set(
      (
        (await this.dataSource.query('SELECT item_key FROM inbox_items WHERE feed_id = $1 AND item_key = ANY($2::text[])', [
          feed.id,
          keys,
        ])) as {
          item_key: string;
        }[]
      ).map((row) => row.item_key),
    );
    const fresh = parsed.entries.filter((entry, index) => !seen.has(entry.key) && keys.indexOf(entry.key) === index);
    let added = 0;
    for (const entry of fresh.slice(0, MAX_ITEMS_PER_POLL)) {
      if (await this.inbox.propose(await this.readEntry(feed, entry, parsed.language))) added++;
    }
    const complete = fresh.length <= MAX_ITEMS_PER_POLL;
    const header = (name: string) => {
      const value = fetched.headers[name];
      return typeof value === 'string' && value.length <= 500 ? value : null;
    };
    return complete ? { added, etag: header('etag'), lastModified: header('last-modified') } : { added, etag: null, lastModified: null };
  }

  /** An item's text: its content where the feed carries it whole, else its page's main article, else its summary. */
  private async readEntry(feed: FeedRow, entry: FeedEntry, feedLanguage: string | null): Promise<ReadItem> {
    const item = {
      feedId: feed.id,
      key: entry.key.slice(0, 2000),
      url: entry.url,
      title: entry.title,
      publishedOn: entry.publishedOn ?? new Date().toISOString().slice(0, 10),
      language: feedLanguage,
      readError: null,
    };
    if (entry.content && (entry.content.length >= FULL_CONTENT_CHARACTERS || !entry.url)) {
      return { ...item, textFrom: 'feed', text: entry.content };
    }
    const fallback = entry.content ?? entry.summary ?? entry.title ?? '';
    if (!entry.url) return { ...item, textFrom: 'summary', text: fallback };
    try {
      const page = await safeFetch(entry.url, this.limits, { accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5' });
      if (page.status < 200 || page.status >= 300) throw new Error(`${entry.url} answered HTTP ${page.status}`);
      const article = readArticle(bodyText(page));
      if (!article) throw new Error(`${entry.url} has no article text that could be read`);
      return {
        ...item,
        url: page.url,
        title: entry.title ?? article.title,
        publishedOn: entry.publishedOn ?? article.publishedOn ?? item.publishedOn,
        language: article.language ?? feedLanguage,
        textFrom: 'page',
        text: article.text,
      };
    } catch (error) {
      return { ...item, textFrom: 'summary', text: fallback, readError: (error as Error).message.slice(0, 2000) };
    }
  }

  private async scheduleFeed(id: string, manager = this.dataSource.manager): Promise<void> {
    const minutes = this.environment.FEED_POLL_MINUTES;
    if (minutes === 0) await this.jobs.unschedule(manager, scheduleName(id));
    else await this.jobs.schedule(manager, scheduleName(id), FEED_POLL_QUEUE, { feedId: id }, minutes * 60);
  }
}

const FEED_SELECT = `SELECT feed.*,
  (SELECT count(*)::int FROM inbox_items item WHERE item.feed_id = feed.id AND item.status = 'new' AND item.merged_into IS NULL) AS new_items
  FROM feeds feed`;

function feedView(row: FeedRow): FeedView {
  return {
    id: row.id,
    url: row.url,
    name: row.name,
    createdAt: row.created_at,
    lastPolledAt: row.last_polled_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    failures: row.failures,
    newItems: row.new_items ?? 0,
  };
}
