import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api';
import { ExportButton } from '../components/ExportButton';
import { CommitmentsTable, type SortableColumn } from '../components/CommitmentsTable';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';
import { formatWhole } from '../format';

export const PAGE_SIZE = 10;
const DEFAULT_SORT = '-announcedOn';
const SEARCH_DELAY_MS = 300;

/** All commitments, any status, superseded ones marked; search, sort and page live in the URL. */
export function CommitmentsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const sort = params.get('sort') ?? DEFAULT_SORT;
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [search, setSearch] = useState(q);

  const update = (changes: Record<string, string | null>, replace = false) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(name);
      else next.set(name, value);
    }
    setParams(next, { replace });
  };

  useEffect(() => setSearch(q), [q]);
  useEffect(() => {
    if (search.trim() === q) return;
    const timer = setTimeout(() => update({ q: search.trim(), page: null }, true), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const query = { q: q || undefined, sort, page, limit: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['commitments', 'list', query],
    queryFn: () => api.commitments(query),
    placeholderData: keepPreviousData,
  });
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  const sortHeader = (column: SortableColumn) => {
    const active = sort.replace(/^-/, '') === column.field;
    const descending = active && sort.startsWith('-');
    const next = active && !descending ? `-${column.field}` : column.field;
    return (
      <button
        type="button"
        className="sort-button"
        aria-label={`Sort by ${column.label}${active ? (descending ? ', sorted descending' : ', sorted ascending') : ''}`}
        onClick={() => update({ sort: next === DEFAULT_SORT ? null : next, page: null })}
      >
        {column.label}
        <span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    );
  };

  return (
    <div className="page">
      <h1>Commitments</h1>
      <form className="search" role="search" onSubmit={(event) => (event.preventDefault(), update({ q: search.trim(), page: null }))}>
        <label htmlFor="commitment-search">Search company, chip, notes or source title</label>
        <input id="commitment-search" name="q" type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
      </form>
      <div className="panel-actions">
        <ExportButton query={{ q: q || undefined }} label={`Export ${q ? 'these records' : 'all records'} (CSV)`} />
      </div>
      {list.isError ? (
        <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <Skeleton height={400} label="Loading commitments…" />
      ) : list.data.total === 0 ? (
        <EmptyState title={q ? `Nothing matches “${q}”` : 'No commitments yet'}>
          <p>
            {q
              ? 'Try another word, or clear the search to see every record.'
              : 'Add an announcement or import a CSV file to start the ledger.'}
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="result-count" data-testid="result-count" aria-live="polite">
            {/* The page of the rows shown: while the next page loads, the previous one stays on screen. */}
            {formatWhole(list.data.total)} {list.data.total === 1 ? 'record' : 'records'}, page {list.data.page} of {pages}
          </p>
          <CommitmentsTable items={list.data.items} testId="commitments-list" sortHeader={sortHeader} />
          <nav className="pager" aria-label="Pages">
            <button type="button" disabled={page <= 1} onClick={() => update({ page: page - 1 > 1 ? String(page - 1) : null })}>
              Previous page
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button type="button" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
              Next page
            </button>
          </nav>
        </>
      )}
    </div>
  );
}
