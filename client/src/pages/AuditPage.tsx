import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type AuditQuery } from '../api';
import { AUDIT_ACTIONS, AUDITED_ENTITIES, type AuditEntry } from '../api-types';
import { Changes } from '../components/Changes';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';
import { formatInstant, humanize } from '../format';

const PAGE_SIZE = 25;
const FILTERS = ['entityType', 'action', 'actorId', 'entityId', 'from', 'to'] as const;

/** The filters live in the address, so a filtered view can be shared and survives a reload. */
function queryFrom(search: URLSearchParams): AuditQuery {
  const query: AuditQuery = { page: Math.max(1, Number(search.get('page')) || 1), limit: PAGE_SIZE };
  for (const name of FILTERS) query[name] = search.get(name) ?? undefined;
  return query;
}

export function AuditPage() {
  const [search, setSearch] = useSearchParams();
  const query = queryFrom(search);
  const entries = useQuery({ queryKey: ['audit', query], queryFn: () => api.audit(query), placeholderData: keepPreviousData });
  const users = useQuery({ queryKey: ['users'], queryFn: api.users });

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('page');
    setSearch(next);
  }
  function goToPage(page: number) {
    const next = new URLSearchParams(search);
    next.set('page', String(page));
    setSearch(next);
  }

  const pages = entries.data ? Math.max(1, Math.ceil(entries.data.total / entries.data.limit)) : 1;
  return (
    <div className="page">
      <h1>Audit trail</h1>
      <form className="inline-form" aria-label="Audit filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Record type
          <select value={query.entityType ?? ''} onChange={(event) => setFilter('entityType', event.target.value)}>
            <option value="">any</option>
            {AUDITED_ENTITIES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select value={query.action ?? ''} onChange={(event) => setFilter('action', event.target.value)}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((name) => (
              <option key={name} value={name}>
                {humanize(name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          By
          <select value={query.actorId ?? ''} onChange={(event) => setFilter('actorId', event.target.value)}>
            <option value="">anyone</option>
            {users.data?.map((user) => (
              <option key={user.id} value={user.id}>
                {user.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          Record id
          <input
            key={query.entityId ?? ''}
            defaultValue={query.entityId ?? ''}
            placeholder="UUID"
            onBlur={(event) => setFilter('entityId', event.target.value.trim())}
            onKeyDown={(event) => {
              if (event.key === 'Enter') setFilter('entityId', event.currentTarget.value.trim());
            }}
          />
        </label>
        <label>
          From
          <input type="date" value={query.from ?? ''} onChange={(event) => setFilter('from', event.target.value)} />
        </label>
        <label>
          Before
          <input type="date" value={query.to ?? ''} onChange={(event) => setFilter('to', event.target.value)} />
        </label>
      </form>
      {entries.isError ? (
        <ErrorMessage error={entries.error} onRetry={() => void entries.refetch()} />
      ) : !entries.data ? (
        <Skeleton height={300} label="Loading the audit trail…" />
      ) : entries.data.total === 0 ? (
        <EmptyState title="No entries">
          <p>Nothing in the trail matches these filters.</p>
        </EmptyState>
      ) : (
        <>
          <p className="result-count" data-testid="audit-count">
            {entries.data.total} {entries.data.total === 1 ? 'entry' : 'entries'}, page {entries.data.page} of {pages}
          </p>
          <div className="table-scroll">
            <table className="data-table" data-testid="audit">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Record</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                {entries.data.items.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button type="button" disabled={entries.data.page <= 1} onClick={() => goToPage(entries.data.page - 1)}>
              Newer
            </button>
            <button type="button" disabled={entries.data.page >= pages} onClick={() => goToPage(entries.data.page + 1)}>
              Older
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  return (
    <tr>
      <td>{formatInstant(entry.at)}</td>
      <td>{entry.actor?.email ?? 'system'}</td>
      <td>{humanize(entry.action)}</td>
      <td>
        {entry.entityType === 'commitment' ? (
          <Link to={`/commitments/${entry.entityId}`}>commitment {entry.entityId.slice(0, 8)}</Link>
        ) : (
          `${entry.entityType} ${entry.entityId.slice(0, 8)}`
        )}
      </td>
      <td>
        <Changes before={entry.before} after={entry.after} />
      </td>
    </tr>
  );
}
