import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api';
import type { Accelerator, AcceptedCandidateDto, Commitment, InboxItem, InboxStatus } from '../api-types';
import { draftToInput, type FieldMessages, validateDraft } from '../commitment-draft';
import { type Suggestion, suggestionOf, SuggestionItem, useSuggestions } from '../components/CandidateFields';
import { Field, useFocusFirstError } from '../components/form';
import { HighlightedText } from '../components/HighlightedText';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';
import { chipName, formatInstant, formatQuantity } from '../format';

const FILTERS: { status: InboxStatus | 'all'; label: string }[] = [
  { status: 'new', label: 'Waiting' },
  { status: 'no_candidates', label: 'Nothing found' },
  { status: 'accepted', label: 'Accepted' },
  { status: 'dismissed', label: 'Dismissed' },
  { status: 'all', label: 'All' },
];

/** What the keys do; typing in a field never triggers them. */
const SHORTCUTS = [
  ['j', 'next item'],
  ['k', 'previous item'],
  ['a', 'accept the checked suggestions'],
  ['d', 'dismiss'],
  ['o', 'open the article'],
] as const;

/** The actions of the item on screen, for the keyboard. */
interface ItemActions {
  accept(): void;
  dismiss(): void;
}

/**
 * The analysts' inbox: items the feeds brought, each with the records the extraction proposes, reviewed one after
 * the other — edit, accept (saved with the item as the source and the sentence as the quote) or dismiss — with
 * the keyboard for going through many.
 */
export function InboxPage() {
  const [status, setStatus] = useState<InboxStatus | 'all'>('new');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'accepted'; records: Commitment[] } | { kind: 'dismissed'; title: string } | null>(null);
  const items = useQuery({
    queryKey: ['inbox', status],
    queryFn: () => api.inbox({ ...(status === 'all' ? {} : { status }), limit: 200 }),
  });
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const chips = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });
  const queryClient = useQueryClient();
  const actions = useRef<ItemActions | null>(null);

  const list = items.data?.items ?? [];
  const index = Math.max(
    0,
    list.findIndex((item) => item.id === selectedId),
  );
  const selected = list[index] ?? null;

  const move = (step: number) => {
    if (list.length === 0) return;
    const next = list[Math.min(list.length - 1, Math.max(0, index + step))];
    setSelectedId(next.id);
    setOutcome(null);
  };

  /** After a review the next item is shown: the one below, else the one above. */
  const reviewed = async (done: InboxItem, result: NonNullable<typeof outcome>) => {
    const position = list.findIndex((item) => item.id === done.id);
    const next = list[position + 1] ?? list[position - 1] ?? null;
    setOutcome(result);
    if (status !== 'all') setSelectedId(next?.id ?? null);
    await queryClient.invalidateQueries({ queryKey: ['inbox'] });
    await queryClient.invalidateQueries({ queryKey: ['feeds'] });
    if (result.kind === 'accepted') await queryClient.invalidateQueries({ queryKey: ['commitments'] });
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))) return;
      const key = event.key.toLowerCase();
      if (key === 'j') move(1);
      else if (key === 'k') move(-1);
      else if (key === 'a') actions.current?.accept();
      else if (key === 'd') actions.current?.dismiss();
      else if (key === 'o' && selected?.url) window.open(selected.url, '_blank', 'noopener');
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <div className="page inbox">
      <h1>Inbox</h1>
      <p className="muted" data-testid="shortcuts">
        Keys:{' '}
        {SHORTCUTS.map(([key, meaning], position) => (
          <span key={key}>
            {position > 0 ? ' · ' : ''}
            <kbd>{key}</kbd> {meaning}
          </span>
        ))}
      </p>
      <div className="inbox-filters" role="group" aria-label="Show">
        {FILTERS.map((filter) => (
          <button
            key={filter.status}
            type="button"
            aria-pressed={status === filter.status}
            onClick={() => {
              setStatus(filter.status);
              setSelectedId(null);
              setOutcome(null);
            }}
          >
            {filter.label}
          </button>
        ))}
      </div>

      {outcome ? <Outcome outcome={outcome} /> : null}

      {items.isPending ? (
        <Skeleton height={300} label="Loading the inbox…" />
      ) : items.isError ? (
        <ErrorMessage error={items.error} onRetry={() => void items.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title={status === 'new' ? 'Nothing waiting for review' : 'No items here'}>
          <p>The feeds below are read every hour; items with proposals appear here.</p>
        </EmptyState>
      ) : (
        <div className="inbox-layout">
          <ol className="inbox-list" aria-label="Items" data-testid="inbox-list">
            {list.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  aria-current={item.id === selected?.id ? 'true' : undefined}
                  onClick={() => {
                    setSelectedId(item.id);
                    setOutcome(null);
                  }}
                >
                  <span className="inbox-title">{item.title ?? item.url ?? 'Untitled item'}</span>
                  <span className="muted">
                    {item.sources.map((source) => source.feedName).join(', ')} · {item.publishedOn}
                  </span>
                  <span className="inbox-badges">
                    {item.candidates.length > 0 ? <span className="badge">{item.candidates.length} proposed</span> : null}
                    {item.possibleDuplicates.length > 0 ? <span className="badge warning">possible duplicate</span> : null}
                    {item.sources.length > 1 ? <span className="badge">{item.sources.length} sources</span> : null}
                    {item.status !== 'new' ? <span className="badge">{item.status.replace('_', ' ')}</span> : null}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          {selected ? (
            <ItemReview
              key={selected.id}
              item={selected}
              companies={companies.data ?? []}
              chips={chips.data ?? []}
              actions={actions}
              onAccepted={(records) => void reviewed(selected, { kind: 'accepted', records })}
              onDismissed={() => void reviewed(selected, { kind: 'dismissed', title: selected.title ?? 'The item' })}
            />
          ) : null}
        </div>
      )}

      <FeedsPanel />
    </div>
  );
}

function Outcome({ outcome }: { outcome: { kind: 'accepted'; records: Commitment[] } | { kind: 'dismissed'; title: string } }) {
  if (outcome.kind === 'dismissed') {
    return (
      <p className="notice" role="status" data-testid="inbox-outcome">
        Dismissed “{outcome.title}”.
      </p>
    );
  }
  return (
    <section className="notice" role="status" data-testid="inbox-outcome">
      <p>
        Saved {outcome.records.length} {outcome.records.length === 1 ? 'record' : 'records'}:
      </p>
      <ul>
        {outcome.records.map((record) => (
          <li key={record.id}>
            <Link to={`/commitments/${record.id}`}>
              {record.company.name}: {formatQuantity(record)} {chipName(record)}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A candidate's fields in the request body of an accept: the catalog choices by id, the sentence as evidence. */
function acceptedCandidate(suggestion: Suggestion, chips: Accelerator[]): AcceptedCandidateDto {
  const input = draftToInput({ ...suggestion.draft, sources: [] });
  const chip = chips.find((entry) => entry.id === input.acceleratorId);
  return {
    company: { id: input.companyId },
    accelerator: input.acceleratorId ? { id: input.acceleratorId } : null,
    acceleratorKind: input.acceleratorKind ?? chip?.kind ?? 'gpu',
    quantity: input.quantity,
    quantityQualifier: input.quantityQualifier,
    deliveryFrom: input.deliveryFrom,
    deliveryBy: input.deliveryBy,
    status: input.status,
    certainty: input.certainty,
    evidence: suggestion.evidence,
  };
}

/** `candidates[1].company.id` → the second accepted suggestion's `companyId`. */
const CANDIDATE_FIELD = /^candidates\[(\d+)\]\.(.+)$/;
const FIELD_OF: Record<string, string> = { 'company.id': 'companyId', 'accelerator.id': 'acceleratorId', quote: 'quote' };

function ItemReview({
  item,
  companies,
  chips,
  actions,
  onAccepted,
  onDismissed,
}: {
  item: InboxItem;
  companies: Parameters<typeof SuggestionItem>[0]['companies'];
  chips: Accelerator[];
  actions: { current: ItemActions | null };
  onAccepted: (records: Commitment[]) => void;
  onDismissed: () => void;
}) {
  const { suggestions, setSuggestions, update, setDraft, addCompany, addChip } = useSuggestions(() =>
    item.candidates.map((candidate, index) => suggestionOf(candidate, index, item.publishedOn)),
  );
  const [active, setActive] = useState<number | null>(null);
  const [busy, setBusy] = useState<'accepting' | 'dismissing' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [shownErrors, setShownErrors] = useState<object>({});
  const pageRef = useRef<HTMLElement>(null);
  useFocusFirstError(pageRef, shownErrors);
  const accepted = suggestions.filter((suggestion) => suggestion.accepted);
  const open = item.status !== 'accepted';

  const showErrors = (byAccepted: FieldMessages[]) => {
    setSuggestions((current) =>
      current.map((suggestion) => ({
        ...suggestion,
        errors: suggestion.accepted ? (byAccepted[accepted.indexOf(suggestion)] ?? {}) : {},
      })),
    );
    setShownErrors(Object.assign({}, ...byAccepted));
  };

  const accept = async () => {
    if (busy || !open || accepted.length === 0) return;
    // The source is the item itself: only the suggestion's own fields are checked here.
    const found = accepted.map((suggestion) => validateDraft({ ...suggestion.draft, sources: [{ ...EMPTY_SOURCE, title: 'item' }] }));
    showErrors(found);
    setFailure(null);
    if (found.some((errors) => Object.keys(errors).length > 0)) return;
    setBusy('accepting');
    try {
      const result = await api.acceptInboxItem(
        item.id,
        accepted.map((suggestion) => acceptedCandidate(suggestion, chips)),
      );
      onAccepted(result.commitments);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const byAccepted = accepted.map((): FieldMessages => ({}));
        for (const [path, message] of Object.entries(error.fieldErrors)) {
          const match = CANDIDATE_FIELD.exec(path);
          if (match && byAccepted[Number(match[1])]) byAccepted[Number(match[1])][FIELD_OF[match[2]] ?? match[2]] = message;
        }
        showErrors(byAccepted);
      }
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

  const dismiss = async () => {
    if (busy || !open || item.status === 'dismissed') return;
    setBusy('dismissing');
    setFailure(null);
    try {
      await api.dismissInboxItem(item.id);
      onDismissed();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

  actions.current = { accept: () => void accept(), dismiss: () => void dismiss() };

  return (
    <section className="inbox-item" aria-labelledby="inbox-item-title" data-testid="inbox-item" ref={pageRef}>
      <h2 id="inbox-item-title">{item.title ?? 'Untitled item'}</h2>
      <ul className="inbox-sources" aria-label="Sources">
        {item.sources.map((source) => (
          <li key={source.itemId}>
            {source.url ? (
              <a href={source.url} target="_blank" rel="noopener noreferrer">
                {source.feedName}
              </a>
            ) : (
              source.feedName
            )}
            <span className="muted">
              {' '}
              · {source.publishedOn} · {source.language}
            </span>
          </li>
        ))}
      </ul>
      {item.sources.length > 1 ? (
        <p className="muted">The same announcement from {item.sources.length} outlets: accepted records cite each of them.</p>
      ) : null}
      {item.textFrom === 'page' ? <p className="muted">Read from the linked page (the feed gives only a summary).</p> : null}
      {item.readError ? (
        <p className="field-warning" role="status">
          The page could not be read, so only the feed’s summary is shown: {item.readError}
        </p>
      ) : null}
      {item.notice ? <p className="field-warning">{item.notice}</p> : null}
      {item.status === 'accepted' ? (
        <p className="notice">
          Accepted {item.reviewedAt ? formatInstant(item.reviewedAt) : ''}:{' '}
          {item.acceptedIds.map((id, position) => (
            <span key={id}>
              {position > 0 ? ', ' : ''}
              <Link to={`/commitments/${id}`}>record {position + 1}</Link>
            </span>
          ))}
        </p>
      ) : null}

      <HighlightedText
        text={item.text}
        highlights={suggestions.map((suggestion) => ({
          start: suggestion.evidence.start,
          end: suggestion.evidence.end,
          label: suggestion.label,
        }))}
        active={active}
      />

      {suggestions.length === 0 ? <p>The extraction proposes no record in this item.</p> : null}
      <ol className="candidates">
        {suggestions.map((suggestion) => {
          const duplicates = item.candidates[suggestion.label - 1]?.possibleDuplicates ?? [];
          return (
            <SuggestionItem
              key={suggestion.label}
              suggestion={suggestion}
              editable={open}
              notice={
                duplicates.length > 0 ? (
                  <p className="field-warning" data-testid={`duplicates-${suggestion.label}`}>
                    May repeat{' '}
                    {duplicates.map((id, position) => (
                      <span key={id}>
                        {position > 0 ? ', ' : ''}
                        <Link to={`/commitments/${id}`} target="_blank">
                          {duplicates.length === 1 ? 'a stored record' : `stored record ${position + 1}`}
                        </Link>
                      </span>
                    ))}
                    : uncheck it if so, or accept it to keep both.
                  </p>
                ) : null
              }
              onActivate={() => setActive(suggestion.label)}
              onAcceptedChange={(accepted) => update(suggestion.label, (row) => ({ ...row, accepted }))}
              companies={companies}
              chips={chips}
              setDraft={(key, value) => setDraft(suggestion.label, key, value)}
              onAddCompany={() => void addCompany(suggestion)}
              onAddChip={(vendor, kind) => void addChip(suggestion, vendor, kind)}
            />
          );
        })}
      </ol>

      {failure ? <ErrorMessage error={failure} /> : null}
      {open ? (
        <p className="form-actions">
          <button
            type="button"
            className="primary"
            disabled={busy !== null || accepted.length === 0}
            onClick={() => void accept()}
            aria-keyshortcuts="a"
          >
            {busy === 'accepting' ? 'Saving…' : `Accept ${accepted.length} ${accepted.length === 1 ? 'record' : 'records'}`}
          </button>{' '}
          <button
            type="button"
            disabled={busy !== null || item.status === 'dismissed'}
            onClick={() => void dismiss()}
            aria-keyshortcuts="d"
          >
            {busy === 'dismissing' ? 'Dismissing…' : 'Dismiss'}
          </button>
        </p>
      ) : null}
    </section>
  );
}

const EMPTY_SOURCE = { url: '', title: '', publisher: '', publishedOn: '', language: '', quote: '' };

/** The feeds the inbox reads: add one, read one now, see why one fails, remove one. */
function FeedsPanel() {
  const feeds = useQuery({ queryKey: ['feeds'], queryFn: api.feeds });
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ url: '', name: '' });
  const [errors, setErrors] = useState<FieldMessages>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['feeds'] });
    await queryClient.invalidateQueries({ queryKey: ['inbox'] });
  };

  const run = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    setFailure(null);
    try {
      await action();
      await refresh();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const found: FieldMessages = {};
    if (!/^https?:\/\/\S+$/.test(form.url.trim())) found.url = 'Enter the feed’s address, starting with http:// or https://';
    if (!form.name.trim()) found.name = 'Name the feed (it becomes the publisher of the records accepted from it)';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy('add');
    setFailure(null);
    try {
      await api.createFeed({ url: form.url.trim(), name: form.name.trim() });
      setForm({ url: '', name: '' });
      await refresh();
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors);
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="feeds" aria-labelledby="feeds-title">
      <h2 id="feeds-title">Feeds</h2>
      {feeds.isError ? <ErrorMessage error={feeds.error} onRetry={() => void feeds.refetch()} /> : null}
      {feeds.data && feeds.data.length > 0 ? (
        <table className="data-table" data-testid="feeds-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Last read</th>
              <th scope="col">Waiting</th>
              <th scope="col">Problem</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {feeds.data.map((feed) => (
              <tr key={feed.id}>
                <td>
                  <a href={feed.url} target="_blank" rel="noopener noreferrer" title={feed.url}>
                    {feed.name}
                  </a>
                </td>
                <td>{feed.lastPolledAt ? formatInstant(feed.lastPolledAt) : 'not yet'}</td>
                <td>{feed.newItems}</td>
                <td className={feed.lastError ? 'field-error' : undefined}>
                  {feed.lastError ? `${feed.lastError} (${feed.failures} in a row; retried later)` : ''}
                </td>
                <td>
                  <button type="button" disabled={busy !== null} onClick={() => void run(`poll:${feed.id}`, () => api.pollFeed(feed.id))}>
                    {busy === `poll:${feed.id}` ? 'Reading…' : `Read “${feed.name}” now`}
                  </button>{' '}
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void run(`delete:${feed.id}`, () => api.deleteFeed(feed.id))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : feeds.data ? (
        <p>No feeds yet: add the RSS or Atom feeds of the outlets you follow.</p>
      ) : null}
      {failure ? <ErrorMessage error={failure} /> : null}
      <form className="record-form" noValidate onSubmit={add} aria-label="Add a feed">
        <div className="form-grid">
          <Field
            label="Feed URL"
            field="url"
            error={errors.url}
            control={(props) => (
              <input {...props} type="url" value={form.url} onChange={(event) => setForm({ ...form, url: event.target.value })} />
            )}
          />
          <Field
            label="Feed name"
            field="name"
            error={errors.name}
            control={(props) => <input {...props} value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} />}
          />
        </div>
        <p className="form-actions">
          <button type="submit" disabled={busy !== null}>
            {busy === 'add' ? 'Adding…' : 'Add feed'}
          </button>
        </p>
      </form>
    </section>
  );
}
