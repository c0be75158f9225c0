export const WEBHOOK_EVENTS = ['commitment.created', 'commitment.updated', 'commitment.superseded', 'commitment.deleted'] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** `GET /api/webhooks` items. */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventName[];
  createdAt: Date;
  /** Deliveries by state. */
  deliveries: { pending: number; delivered: number; failed: number };
}

/** The answer to `POST /api/webhooks`: the only time the secret is shown. */
export type CreatedWebhook = WebhookView & { secret: string };

/** `POST /api/webhooks` body. */
export interface CreateWebhook {
  url: string;
  secret?: string;
  events: WebhookEventName[];
}

export interface DeliveryView {
  id: string;
  eventId: string;
  event: WebhookEventName;
  commitmentId: string;
  at: Date;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** `GET /api/webhooks/:id/deliveries`: newest first. */
export interface DeliveriesPage {
  items: DeliveryView[];
  total: number;
  page: number;
  limit: number;
}
