import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type AuditQuery } from '../api';
import { AUDIT_ACTIONS, AUDITED_ENTITIES, type AuditEntry } from '../api-types';
import { download } from '../charts/csv';
import { Changes } from '../components/Changes';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';
import { formatInstant, formatWhole, humanize } from '../format';

const PAGE_SIZE = 25;
/** Entries of one import shown at a time when it is unfolded. */
const GROUP_PAGE_SIZE = 50;
const FILTERS = ['entityType', 'action', 'actorId', 'entityId', 'from', 'to'] as const;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

type Labels = Readonly<Record<string, string>>;

/** The filters live in the address, so a filtered view can be shared and survives a reload. */
function queryFrom(search: URLSearchParams): AuditQuery {
  const query: AuditQuery = { page: Math.max(1, Number(search.get('page')) || 1), limit: PAGE_SIZE };
  for (const name of FILTERS) query[name] = search.get(name) ?? undefined;
  return query;
}

/** One import writes all its entries in one transaction: the same moment and the same person. */
interface ImportGroup {
  at: string;
  actor: AuditEntry['actor'];
  entries: AuditEntry[];
}

type Row = { entry: AuditEntry } | { group: ImportGroup };

/** The page's entries, each import's run of entries folded into one row. */
function rowsOf(entries: readonly AuditEntry[]): Row[] {
  const rows: Row[] = [];
  for (const entry of entries) {
    const last = rows[rows.length - 1];
    const sameWrite = (other: AuditEntry) => other.at === entry.at && other.actor?.id === entry.actor?.id;
    if (last && 'group' in last && sameWrite(last.group.entries[0])) last.group.entries.push(entry);
    else if (last && 'entry' in last && sameWrite(last.entry) && (entry.action === 'import' || last.entry.action === 'import')) {
      rows[rows.length - 1] = { group: { at: entry.at, actor: entry.actor, entries: [last.entry, entry] } };
    } else if (entry.action === 'import') rows.push({ group: { at: entry.at, actor: entry.actor, entries: [entry] } });
    else rows.push({ entry });
  }
  return rows;
}

/** The entries of one write: from its moment to the next millisecond (the address of times), by the same person. */
function groupQuery(group: ImportGroup, page: number): AuditQuery {
  const end = new Date(new Date(group.at).getTime() + 1).toISOString();
  return { from: group.at, to: end, actorId: group.actor?.id, page, limit: GROUP_PAGE_SIZE };
}

export function AuditPage() {
  const [search, setSearch] = useSearchParams();
  const query = queryFrom(search);
  const entries = useQuery({ queryKey: ['audit', query], queryFn: () => api.audit(query), placeholderData: keepPreviousData });
  const users = useQuery({ queryKey: ['users'], queryFn: api.users });
  const [exportFailure, setExportFailure] = useState<unknown>(null);

  function setFilters(changes: Record<string, string | null>) {
    const next = new URLSearchParams(search);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    next.delete('page');
    setSearch(next);
  }
  const setFilter = (name: string, value: string) => setFilters({ [name]: value });
  function goToPage(page: number) {
    const next = new URLSearchParams(search);
    next.set('page', String(page));
    setSearch(next);
  }
  const exportCsv = async () => {
    setExportFailure(null);
    try {
      const { page: _page, limit: _limit, ...filters } = query;
      const url = URL.createObjectURL(await api.exportAudit(filters));
      download(url, 'audit.csv');
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setExportFailure(error);
    }
  };

  const data = entries.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;
  const rows = data ? rowsOf(data.items) : [];
  const lastRow = rows[rows.length - 1];
  // An import of thousands of entries would fill page after page: past the page that ends in one, "Older" goes to
  // what came before it.
  const olderThanImport = data && data.page < pages && lastRow && 'group' in lastRow ? lastRow.group.at : null;
  const beforeInstant = query.to && !DATE_ONLY.test(query.to) ? query.to : null;
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
        {beforeInstant ? (
          <p className="muted">
            Before {formatInstant(beforeInstant)}{' '}
            <button type="button" className="link-button" onClick={() => setFilter('to', '')}>
              Show the newest
            </button>
          </p>
        ) : (
          <label>
            Before
            <input type="date" value={query.to ?? ''} onChange={(event) => setFilter('to', event.target.value)} />
          </label>
        )}
        <button type="button" onClick={() => void exportCsv()}>
          Export these entries (CSV)
        </button>
      </form>
      {exportFailure ? <ErrorMessage error={exportFailure} /> : null}
      {entries.isError ? (
        <ErrorMessage error={entries.error} onRetry={() => void entries.refetch()} />
      ) : !data ? (
        <Skeleton height={300} label="Loading the audit trail…" />
      ) : data.total === 0 ? (
        <EmptyState title="No entries">
          <p>Nothing in the trail matches these filters.</p>
        </EmptyState>
      ) : (
        <>
          <p className="result-count" data-testid="audit-count">
            {formatWhole(data.total)} {data.total === 1 ? 'entry' : 'entries'}, page {data.page} of {pages}
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
                {rows.map((row) =>
                  'entry' in row ? (
                    <AuditRow key={row.entry.id} entry={row.entry} labels={data.labels} />
                  ) : (
                    <ImportRow key={`import-${row.group.entries[0].id}`} group={row.group} labels={data.labels} />
                  ),
                )}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button
              type="button"
              disabled={data.page <= 1 && !beforeInstant}
              onClick={() => (data.page > 1 ? goToPage(data.page - 1) : setFilter('to', ''))}
            >
              Newer
            </button>
            <button
              type="button"
              disabled={data.page >= pages}
              onClick={() => (olderThanImport ? setFilters({ to: olderThanImport }) : goToPage(data.page + 1))}
            >
              {olderThanImport ? 'Older than this import' : 'Older'}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** A record by its name, linked where it has a page. */
function RecordName({ type, id, labels }: { type: AuditEntry['entityType']; id: string; labels: Labels }) {
  const name = labels[id] ?? `${type} ${id.slice(0, 8)}`;
  return type === 'commitment' ? <Link to={`/commitments/${id}`}>{name}</Link> : <>{name}</>;
}

/** A supersession, as the two records it links: "superseded by <newer>", or the link undone. */
function Supersession({ entry, labels }: { entry: AuditEntry; labels: Labels }) {
  const newer = (entry.after as { supersededById?: string | null } | null)?.supersededById ?? null;
  const earlier = (entry.before as { supersededById?: string | null } | null)?.supersededById ?? null;
  return newer ? (
    <span data-testid="supersession">
      Superseded by <RecordName type="commitment" id={newer} labels={labels} />
      {earlier ? (
        <>
          {' '}
          (before: <RecordName type="commitment" id={earlier} labels={labels} />)
        </>
      ) : null}
    </span>
  ) : earlier ? (
    <span data-testid="supersession">
      No longer superseded by <RecordName type="commitment" id={earlier} labels={labels} />
    </span>
  ) : (
    <span className="muted">no field values recorded</span>
  );
}

function AuditRow({ entry, labels }: { entry: AuditEntry; labels: Labels }) {
  return (
    <tr>
      <td>{formatInstant(entry.at)}</td>
      <td>{entry.actor?.email ?? 'system'}</td>
      <td>{humanize(entry.action)}</td>
      <td>
        <RecordName type={entry.entityType} id={entry.entityId} labels={labels} />
      </td>
      <td>
        {entry.action === 'supersede' ? (
          <Supersession entry={entry} labels={labels} />
        ) : (
          <Changes before={entry.before} after={entry.after} labels={labels} />
        )}
      </td>
    </tr>
  );
}

/** One row for a whole import, with its size; unfolded, its entries a page at a time. */
function ImportRow({ group, labels }: { group: ImportGroup; labels: Labels }) {
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState(1);
  // The size of the whole import, which may run over several pages of the trail.
  const first = useQuery({ queryKey: ['audit', groupQuery(group, 1)], queryFn: () => api.audit(groupQuery(group, 1)) });
  const shown = useQuery({
    queryKey: ['audit', groupQuery(group, page)],
    queryFn: () => api.audit(groupQuery(group, page)),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const total = first.data?.total ?? group.entries.length;
  const pages = Math.max(1, Math.ceil(total / GROUP_PAGE_SIZE));
  return (
    <>
      <tr className="import-group" data-testid="import-group">
        <td>{formatInstant(group.at)}</td>
        <td>{group.actor?.email ?? 'system'}</td>
        <td>Import</td>
        <td>
          {formatWhole(total)} {total === 1 ? 'entry' : 'entries'} in one file
        </td>
        <td>
          <button type="button" aria-expanded={open} onClick={() => setOpen((unfolded) => !unfolded)}>
            {open ? 'Hide the entries' : `Show the ${formatWhole(total)} entries`}
          </button>
        </td>
      </tr>
      {open ? (
        shown.data ? (
          <>
            {shown.data.items.map((entry) => (
              <AuditRow key={entry.id} entry={entry} labels={{ ...labels, ...shown.data.labels }} />
            ))}
            {pages > 1 ? (
              <tr>
                <td colSpan={5}>
                  <div className="pager">
                    <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                      Previous entries
                    </button>
                    <span>
                      {page} of {pages}
                    </span>
                    <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                      Next entries
                    </button>
                  </div>
                </td>
              </tr>
            ) : null}
          </>
        ) : shown.isError ? (
          <tr>
            <td colSpan={5}>
              <ErrorMessage error={shown.error} />
            </td>
          </tr>
        ) : (
          <tr>
            <td colSpan={5}>Loading the entries…</td>
          </tr>
        )
      ) : null}
    </>
  );
}
