import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { type CommitmentEvent, type CommitmentEventListener, CommitmentEvents } from '../commitments/commitment-events.js';
import { loadMany, viewsOf } from '../commitments/commitment-writer.js';
import type { CommitmentView } from '../commitments/commitment.view.js';
import { invalidField, notFound } from '../common/errors.js';
import { urlRefusal } from '../inbox/safe-fetch.js';
import { JobsService, RetryLater } from '../jobs/jobs.service.js';
import { afterFailure, DELIVERY_RETRY_SECONDS } from './delivery-policy.js';
import type { CreatedWebhook, DeliveriesPage, DeliveryView, WebhookEventName, WebhookView } from '../contracts/webhooks.js';
import type { CreateWebhookDto, ListDeliveriesQuery } from './dto/webhook.dto.js';
import { newWebhookSecret, SecretBox, SIGNATURE_HEADER, signBody } from './webhook-crypto.js';
import { DELIVERY_TIMEOUT_MS, postDelivery } from './webhook-post.js';

export const WEBHOOK_DELIVERY_QUEUE = 'webhooks.deliver';
export const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');

export interface WebhookOptions {
  /** The app's own key (the token-signing key), from which the key that seals webhook secrets is derived. */
  appKey: string;
}

/** Views of records loaded per statement when an event's view is not at hand (an import's new records). */
const VIEW_PAGE = 1_000;
/** A claimed delivery is reserved this long; its POST ends well within it. */
const DELIVERY_LEASE_SECONDS = Math.ceil((DELIVERY_TIMEOUT_MS * 6) / 1000);

const WEBHOOK_SELECT = `
  SELECT w.id, w.url, w.events, w.created_at,
    (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'pending')::integer AS pending,
    (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'delivered')::integer AS delivered,
    (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'failed')::integer AS failed
  FROM webhooks w`;

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEventName[];
  created_at: Date;
  pending: number;
  delivered: number;
  failed: number;
}

/**
 * Webhooks: an admin's targets for commitment changes. Every write's changes (from CommitmentWriter, whatever the
 * path: API, batch, import, inbox) are written to the outbox `webhook_events` in the write's own transaction, with one
 * delivery per following webhook and a job that sends it; so a committed change is always delivered and a rolled-back
 * one never. A job is claimed by one instance (FOR UPDATE SKIP LOCKED, src/jobs), which POSTs the event's stored body
 * with its HMAC-SHA256 signature and records the attempt; a failed attempt comes back after a doubling delay until 24
 * hours after the event, then the delivery is given up.
 */
@Injectable()
export class WebhooksService implements OnModuleInit, CommitmentEventListener {
  private readonly logger = new Logger(WebhooksService.name);
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WEBHOOK_OPTIONS) options: WebhookOptions,
    private readonly jobs: JobsService,
    private readonly events: CommitmentEvents,
  ) {
    this.box = new SecretBox(options.appKey);
  }

  onModuleInit(): void {
    this.events.listen(this);
    this.jobs.register<{ deliveryId: string }>(WEBHOOK_DELIVERY_QUEUE, (job) => this.deliver(job.payload.deliveryId), {
      leaseSeconds: DELIVERY_LEASE_SECONDS,
      concurrency: 4,
    });
  }

  async create(dto: CreateWebhookDto, actorId: string | null): Promise<CreatedWebhook> {
    // Targets are an admin's choice: loopback and private addresses are allowed (a receiver on the same host or network).
    const refusal = urlRefusal(dto.url, true);
    if (refusal) throw invalidField('url', refusal, dto.url);
    const secret = dto.secret ?? newWebhookSecret();
    const [{ id }]: { id: string }[] = await this.dataSource.query(
      'INSERT INTO webhooks (url, secret_ciphertext, events, created_by) VALUES ($1, $2, $3::text[], $4) RETURNING id',
      [dto.url, this.box.seal(secret), dto.events, actorId],
    );
    return { ...(await this.get(id)), secret };
  }

  async list(): Promise<WebhookView[]> {
    const rows: WebhookRow[] = await this.dataSource.query(`${WEBHOOK_SELECT} ORDER BY w.created_at, w.id`);
    return rows.map(webhookView);
  }

  async get(id: string): Promise<WebhookView> {
    const [row]: WebhookRow[] = await this.dataSource.query(`${WEBHOOK_SELECT} WHERE w.id = $1`, [id]);
    if (!row) throw notFound('webhook', id);
    return webhookView(row);
  }

  /** Removes the webhook and its deliveries log; its pending deliveries are not sent. */
  async remove(id: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(
      'WITH removed AS (DELETE FROM webhooks WHERE id = $1 RETURNING id) SELECT id FROM removed',
      [id],
    );
    if (rows.length === 0) throw notFound('webhook', id);
  }

  /** The webhook's deliveries, newest first. */
  async deliveries(id: string, query: ListDeliveriesQuery): Promise<DeliveriesPage> {
    await this.get(id);
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      'SELECT count(*)::integer AS total FROM webhook_deliveries WHERE webhook_id = $1',
      [id],
    );
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT d.id, d.event_id, e.event, e.commitment_id, e.at, d.state, d.attempts, d.last_status, d.last_error, d.last_attempt_at,
         d.next_attempt_at, d.delivered_at
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       WHERE d.webhook_id = $1 ORDER BY d.id DESC OFFSET $2 LIMIT $3`,
      [id, (query.page - 1) * query.limit, query.limit],
    );
    const items = rows.map((row): DeliveryView => ({
      id: String(row.id),
      eventId: row.event_id as string,
      event: row.event as WebhookEventName,
      commitmentId: row.commitment_id as string,
      at: row.at as Date,
      state: row.state as DeliveryView['state'],
      attempts: row.attempts as number,
      lastStatus: row.last_status as number | null,
      lastError: row.last_error as string | null,
      lastAttemptAt: row.last_attempt_at as Date | null,
      nextAttemptAt: row.next_attempt_at as Date | null,
      deliveredAt: row.delivered_at as Date | null,
    }));
    return { items, total, page: query.page, limit: query.limit };
  }

  /**
   * The outbox: in the write's transaction, one event per change some webhook follows (its body built now, so it
   * shows the record as the change left it), one delivery per following webhook and one job per delivery.
   */
  async following(manager: EntityManager): Promise<boolean> {
    const [{ followed }]: { followed: boolean }[] = await manager.query('SELECT EXISTS (SELECT 1 FROM webhooks) AS followed');
    return followed;
  }

  async commitmentsChanged(manager: EntityManager, events: readonly CommitmentEvent[]): Promise<void> {
    const hooks: { id: string; events: string[] }[] = await manager.query('SELECT id, events FROM webhooks');
    if (hooks.length === 0) return;
    const followed = new Set(hooks.flatMap((hook) => hook.events));
    const wanted = events.filter((event) => followed.has(eventName(event)));
    if (wanted.length === 0) return;
    const views = await this.viewsFor(manager, wanted);
    const [{ at }]: { at: string }[] = await manager.query(`SELECT to_json(now()) #>> '{}' AS at`);
    const outbox = wanted.map((event) => {
      const name = eventName(event);
      const commitment = event.view ?? views.get(event.commitmentId) ?? null;
      return {
        id: randomUUID(),
        event: name,
        commitmentId: event.commitmentId,
        body: JSON.stringify({ event: name, at: new Date(at).toISOString(), commitment }),
      };
    });
    await manager.query(
      `INSERT INTO webhook_events (id, event, commitment_id, at, body)
       SELECT id, event, commitment_id, now(), body FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) AS e(id, event, commitment_id, body)`,
      [outbox.map((e) => e.id), outbox.map((e) => e.event), outbox.map((e) => e.commitmentId), outbox.map((e) => e.body)],
    );
    const deliveries: { id: string }[] = await manager.query(
      `INSERT INTO webhook_deliveries (webhook_id, event_id, give_up_at)
       SELECT w.id, e.id, now() + make_interval(secs => $3)
       FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS e(id, event, n) JOIN webhooks w ON e.event = ANY(w.events)
       ORDER BY e.n, w.id
       RETURNING id`,
      [outbox.map((e) => e.id), outbox.map((e) => e.event), DELIVERY_RETRY_SECONDS],
    );
    await this.jobs.enqueueMany(
      manager,
      WEBHOOK_DELIVERY_QUEUE,
      deliveries.map((delivery) => ({ deliveryId: String(delivery.id) })),
      // A failure of the job itself (not of the receiver: those wait through RetryLater) is retried as long.
      { retryForSeconds: DELIVERY_RETRY_SECONDS },
    );
  }

  /** The views of the events' records that the writer did not hand over, as they stand in the transaction. */
  private async viewsFor(manager: EntityManager, events: readonly CommitmentEvent[]): Promise<Map<string, CommitmentView>> {
    const ids = [...new Set(events.filter((event) => event.view === null).map((event) => event.commitmentId))];
    const views = new Map<string, CommitmentView>();
    for (let start = 0; start < ids.length; start += VIEW_PAGE) {
      for (const view of await viewsOf(manager, await loadMany(manager, ids.slice(start, start + VIEW_PAGE)))) views.set(view.id, view);
    }
    return views;
  }

  /**
   * Sends one delivery (a job's work): once delivered it is never sent again, even if its job runs twice. A 2xx answer
   * delivers it; anything else is recorded and retried after the delay of `afterFailure`, or given up after 24 hours.
   */
  private async deliver(deliveryId: string): Promise<void> {
    const [row]: {
      state: string;
      attempts: number;
      give_up_at: Date;
      url: string;
      secret_ciphertext: string;
      event_id: string;
      event: string;
      body: string;
    }[] = await this.dataSource.query(
      `SELECT d.state, d.attempts, d.give_up_at, w.url, w.secret_ciphertext, e.id AS event_id, e.event, e.body
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id
         WHERE d.id = $1`,
      [deliveryId],
    );
    // Gone with its webhook, or finished by an earlier run of the same job.
    if (!row || row.state !== 'pending') return;
    const headers = {
      [SIGNATURE_HEADER]: signBody(row.body, this.box.open(row.secret_ciphertext)),
      'X-Ledger-Event': row.event,
      // The same on every retry of the delivery: a receiver that saw it already can ignore it.
      'X-Ledger-Event-Id': row.event_id,
    };
    let status: number | null = null;
    let error: string | null = null;
    try {
      const outcome = await postDelivery(row.url, row.body, headers);
      status = outcome.status;
      if (status < 200 || status > 299) error = `answered ${status}${outcome.answer ? `: ${outcome.answer}` : ''}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    if (error === null) {
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL,
           last_attempt_at = now(), delivered_at = now(), next_attempt_at = NULL WHERE id = $1`,
        [deliveryId, status],
      );
      return;
    }
    const attempts = row.attempts + 1;
    const next = afterFailure(attempts, new Date(), new Date(row.give_up_at));
    const retryIn = 'retryInSeconds' in next ? next.retryInSeconds : null;
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET state = $3::webhook_delivery_state, attempts = $6, last_status = $2, last_error = $4,
         last_attempt_at = now(), next_attempt_at = now() + make_interval(secs => $5) WHERE id = $1`,
      [deliveryId, status, retryIn === null ? 'failed' : 'pending', error.slice(0, 2000), retryIn, attempts],
    );
    if (retryIn === null) {
      this.logger.warn(`webhook delivery ${deliveryId} given up after ${attempts} attempts: ${error}`);
      return;
    }
    // The delivery keeps its own count of attempts and its 24 hours; the job only waits for the next one.
    throw new RetryLater(`webhook delivery ${deliveryId}, attempt ${attempts}: ${error}`, retryIn);
  }
}

function eventName(event: CommitmentEvent): WebhookEventName {
  return `commitment.${event.change}`;
}

function webhookView(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    createdAt: row.created_at,
    deliveries: { pending: row.pending, delivered: row.delivered, failed: row.failed },
  };
}
