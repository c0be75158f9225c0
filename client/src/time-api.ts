/**
 * Calls for watches, notifications and webhooks, typed by the server's own declarations (type-only imports).
 */
import type { NotificationView, WatchFilter as ServerWatchFilter, WatchView } from '../../src/contracts/watches.js';
import type { CreateWebhook, WebhookEventName } from '../../src/contracts/webhooks.js';
import type {
  CreatedWebhook as ServerCreatedWebhook,
  DeliveriesPage as ServerDeliveriesPage,
  WebhookView,
} from '../../src/contracts/webhooks.js';
import type { CapacityDriftResponse } from '../../src/contracts/capacity.js';
import { jsonBody, request, toSearch } from './api';
import type { Json } from './api-types';

export type Watch = Json<WatchView>;
export type WatchFilter = ServerWatchFilter;
export type LedgerNotification = Json<NotificationView>;
export type Webhook = Json<WebhookView>;
export type CreatedWebhook = Json<ServerCreatedWebhook>;
export type DeliveriesPage = Json<ServerDeliveriesPage>;
export type { WebhookEventName };
export const WEBHOOK_EVENT_NAMES: WebhookEventName[] = [
  'commitment.created',
  'commitment.updated',
  'commitment.superseded',
  'commitment.deleted',
];

const id = (value: string) => encodeURIComponent(value);

export const timeApi = {
  watches: () => request<Watch[]>('/watches'),
  createWatch: (dto: { name: string; filter: WatchFilter }) => request<Watch>('/watches', jsonBody('POST', dto)),
  deleteWatch: (watchId: string) => request<null>(`/watches/${id(watchId)}`, { method: 'DELETE' }),
  notifications: (unread = false) =>
    request<{ items: LedgerNotification[]; total: number }>(`/notifications${unread ? '?unread=true' : ''}`),
  markRead: (notificationId: string) => request<LedgerNotification>(`/notifications/${id(notificationId)}/read`, { method: 'POST' }),
  webhooks: () => request<Webhook[]>('/webhooks'),
  /** The secret is in this answer only. */
  createWebhook: (dto: CreateWebhook) => request<CreatedWebhook>('/webhooks', jsonBody('POST', dto)),
  deleteWebhook: (webhookId: string) => request<null>(`/webhooks/${id(webhookId)}`, { method: 'DELETE' }),
  deliveries: (webhookId: string) => request<DeliveriesPage>(`/webhooks/${id(webhookId)}/deliveries?limit=100`),
};

/** `GET /api/capacity/drift`: a quarter's cumulative total as the ledger stood at the end of each date. */
export type CapacityDrift = Json<CapacityDriftResponse>;
export type DriftStep = 'day' | 'week' | 'month';

export function capacityDrift(query: {
  quarter: string;
  step: DriftStep;
  metric: string;
  precision: string;
  basis: string;
  companyId?: readonly string[];
  vendor?: readonly string[];
  kind?: readonly string[];
  status?: readonly string[];
}): Promise<CapacityDrift> {
  return request<CapacityDrift>(`/capacity/drift${toSearch({ ...query })}`);
}
