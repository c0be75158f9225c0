import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api';
import { ErrorMessage, Skeleton } from '../components/states';
import { formatInstant } from '../format';
import { timeApi, WEBHOOK_EVENT_NAMES, type Webhook, type WebhookEventName } from '../time-api';

function failureText(error: unknown): string {
  return error instanceof ApiError ? error.message : 'The change was not saved; try again.';
}

/** Webhooks for commitment changes (admin): create one, see its secret once, follow its deliveries. */
export function WebhooksPage() {
  const webhooks = useQuery({ queryKey: ['webhooks'], queryFn: timeApi.webhooks });
  const [shown, setShown] = useState<string | null>(null);
  return (
    <div className="page">
      <h1>Webhooks</h1>
      <p>
        Each change of a commitment is sent as <code>POST {'{event, at, commitment}'}</code>, signed in{' '}
        <code>X-Ledger-Signature: sha256=…</code> (HMAC-SHA256 of the body with the webhook’s secret), and retried with a growing delay for
        24 hours.
      </p>
      <CreateWebhookForm />
      <h2>Webhooks</h2>
      {webhooks.isError ? (
        <ErrorMessage error={webhooks.error} onRetry={() => void webhooks.refetch()} />
      ) : !webhooks.data ? (
        <Skeleton height={160} label="Loading the webhooks…" />
      ) : webhooks.data.length === 0 ? (
        <p>No webhook yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="webhooks">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Delivered</th>
                <th scope="col">Pending</th>
                <th scope="col">Failed</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.data.map((webhook) => (
                <WebhookRow key={webhook.id} webhook={webhook} onShow={() => setShown(webhook.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown ? <Deliveries webhook={webhooks.data?.find((webhook) => webhook.id === shown)} /> : null}
    </div>
  );
}

function CreateWebhookForm() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [events, setEvents] = useState<WebhookEventName[]>([...WEBHOOK_EVENT_NAMES]);
  const create = useMutation({
    mutationFn: timeApi.createWebhook,
    onSuccess: () => {
      setUrl('');
      setSecret('');
      return queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ url, events, ...(secret ? { secret } : {}) });
  }

  return (
    <form className="inline-form" aria-label="New webhook" onSubmit={submit}>
      <label>
        URL
        <input type="url" required value={url} onChange={(event) => setUrl(event.target.value)} />
      </label>
      <label>
        Secret (optional: one is generated)
        <input
          type="text"
          autoComplete="off"
          minLength={16}
          maxLength={200}
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
        />
      </label>
      <fieldset>
        <legend>Events</legend>
        {WEBHOOK_EVENT_NAMES.map((name) => (
          <label key={name}>
            <input
              type="checkbox"
              checked={events.includes(name)}
              onChange={(event) => setEvents(event.target.checked ? [...events, name] : events.filter((other) => other !== name))}
            />
            {name}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={create.isPending || events.length === 0}>
        Create webhook
      </button>
      {create.isError ? (
        <p className="error-message" role="alert">
          {failureText(create.error)}
        </p>
      ) : null}
      {create.isSuccess ? (
        <p className="notice" role="status" data-testid="webhook-secret">
          Created. Its secret, shown this once: <code>{create.data.secret}</code>
        </p>
      ) : null}
    </form>
  );
}

function WebhookRow({ webhook, onShow }: { webhook: Webhook; onShow: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => timeApi.deleteWebhook(webhook.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  return (
    <tr data-testid={`webhook-${webhook.url}`}>
      <td>{webhook.url}</td>
      <td>{webhook.events.join(', ')}</td>
      <td className="number">{webhook.deliveries.delivered}</td>
      <td className="number">{webhook.deliveries.pending}</td>
      <td className="number">{webhook.deliveries.failed}</td>
      <td>
        <div className="row-actions">
          <button type="button" onClick={onShow}>
            Deliveries of {webhook.url}
          </button>
          <button type="button" className="link-button" disabled={remove.isPending} onClick={() => remove.mutate()}>
            Delete {webhook.url}
          </button>
        </div>
        {remove.isError ? (
          <p className="error-message" role="alert">
            {failureText(remove.error)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

function Deliveries({ webhook }: { webhook: Webhook | undefined }) {
  const deliveries = useQuery({
    queryKey: ['webhooks', webhook?.id, 'deliveries'],
    queryFn: () => timeApi.deliveries(webhook!.id),
    enabled: webhook !== undefined,
  });
  if (!webhook) return null;
  return (
    <section aria-label={`Deliveries of ${webhook.url}`}>
      <h2>Deliveries of {webhook.url}</h2>
      <button type="button" onClick={() => void deliveries.refetch()}>
        Refresh
      </button>
      {deliveries.isError ? (
        <ErrorMessage error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : !deliveries.data ? (
        <Skeleton height={160} label="Loading the deliveries…" />
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="deliveries">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">At</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Next attempt</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.items.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{delivery.event}</td>
                  <td>{formatInstant(delivery.at)}</td>
                  <td>{delivery.state}</td>
                  <td className="number">{delivery.attempts}</td>
                  <td>{delivery.lastError ?? (delivery.lastStatus === null ? '' : String(delivery.lastStatus))}</td>
                  <td>{delivery.nextAttemptAt ? formatInstant(delivery.nextAttemptAt) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {deliveries.data.total > deliveries.data.items.length ? (
            <p>
              The latest {deliveries.data.items.length} of {deliveries.data.total} deliveries.
            </p>
          ) : null}
        </div>
      )}
    </section>
  );
}
