import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { api } from '../api';
import { ExportButton } from '../components/ExportButton';
import { CommitmentsTable, type SortableColumn } from '../components/CommitmentsTable';
import { FoldedOnPhones, QuarterSelect, RecordFilters } from '../components/filters';
import { EmptyState, ErrorMessage, Skeleton } from '../components/states';
import { formatWhole } from '../format';
import { useUrlState } from '../url-state';
import { DEFAULT_SORT, LIST_DEFAULTS, listFilterCount, listQuery, type ListState, readListState, writeListState } from '../list-state';

export const PAGE_SIZE = 10;
const SEARCH_DELAY_MS = 300;

/** Orders offered beside the column headers: the record saved last is one choice away. */
const ORDERS = [
  { value: DEFAULT_SORT, label: 'Announced, newest first' },
  { value: '-updatedAt', label: 'Recently changed first' },
  { value: '-createdAt', label: 'Recently added first' },
];

/** All commitments, any status, superseded ones marked; filters, search, sort and page live in the URL. */
export function CommitmentsPage() {
  const [state, setState] = useUrlState(readListState, writeListState);
  // Set by a page that sent the user here after a change ("Deleted …").
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const [search, setSearch] = useState(state.q);
  const companies = useQuery({ queryKey: ['companies'], queryFn: api.companies });
  const accelerators = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });

  /** A new state in the URL; any change but the page's own goes back to page 1. */
  const update = (changes: Partial<ListState>, replace = false) => setState({ ...state, page: 1, ...changes }, { replace });

  useEffect(() => setSearch(state.q), [state.q]);
  useEffect(() => {
    if (search.trim() === state.q) return;
    const timer = setTimeout(() => update({ q: search.trim() }, true), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const query = { ...listQuery(state), sort: state.sort, page: state.page, limit: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['commitments', 'list', query],
    queryFn: () => api.commitments(query),
    placeholderData: keepPreviousData,
  });
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;
  const filtered = listFilterCount(state) > 0 || state.q !== '';
  const { page: _page, sort: _sort, ...exported } = listQuery(state);

  const sortHeader = (column: SortableColumn) => {
    const active = state.sort.replace(/^-/, '') === column.field;
    const descending = active && state.sort.startsWith('-');
    const next = active && !descending ? `-${column.field}` : column.field;
    return (
      <button
        type="button"
        className="sort-button"
        aria-label={`Sort by ${column.label}${active ? (descending ? ', sorted descending' : ', sorted ascending') : ''}`}
        onClick={() => update({ sort: next })}
      >
        {column.label}
        <span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    );
  };

  return (
    <div className="page">
      <h1>Commitments</h1>
      {notice ? (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      ) : null}
      <form className="search" role="search" onSubmit={(event) => (event.preventDefault(), update({ q: search.trim() }))}>
        <label htmlFor="commitment-search">Search companies, chips, sources and notes</label>
        <input
          id="commitment-search"
          name="q"
          type="search"
          placeholder="Meta Platforms, H100, CNBC, …"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </form>
      <FoldedOnPhones active={listFilterCount(state)}>
        <form className="filters" aria-label="List filters" onSubmit={(event) => event.preventDefault()}>
          <div className="filter-row">
            <RecordFilters
              values={state}
              companies={companies.data ?? []}
              accelerators={accelerators.data ?? []}
              statusHint="any"
              onChange={(changes) => update(changes)}
            />
            <QuarterSelect label="From" name="from" value={state.from} none="any quarter" onChange={(from) => update({ from })} />
            <QuarterSelect label="To" name="to" value={state.to} none="any quarter" onChange={(to) => update({ to })} />
            {state.from || state.to ? (
              <span className="field">
                <label htmlFor="list-basis">Period by</label>
                <select
                  id="list-basis"
                  name="basis"
                  value={state.basis}
                  onChange={(event) => update({ basis: event.target.value as ListState['basis'] })}
                >
                  <option value="delivery">delivery window</option>
                  <option value="announced">announcement date</option>
                </select>
              </span>
            ) : null}
            <span className="field">
              <label htmlFor="list-order">Order</label>
              <select id="list-order" name="sort" value={state.sort} onChange={(event) => update({ sort: event.target.value })}>
                {ORDERS.some((order) => order.value === state.sort) ? null : <option value={state.sort}>by the column chosen</option>}
                {ORDERS.map((order) => (
                  <option key={order.value} value={order.value}>
                    {order.label}
                  </option>
                ))}
              </select>
            </span>
            {filtered ? (
              <button type="button" className="link-button" onClick={() => (setSearch(''), update({ ...LIST_DEFAULTS, sort: state.sort }))}>
                Clear filters
              </button>
            ) : null}
          </div>
        </form>
      </FoldedOnPhones>
      <div className="panel-actions">
        <ExportButton query={exported} label={`Export ${filtered ? 'these records' : 'all records'} (CSV)`} />
      </div>
      {list.isError ? (
        <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <Skeleton height={400} label="Loading commitments…" />
      ) : list.data.total === 0 ? (
        <EmptyState title={state.q ? `Nothing matches “${state.q}”` : filtered ? 'No record matches these filters' : 'No commitments yet'}>
          <p>
            {filtered
              ? 'Try other words or fewer filters, or clear them to see every record.'
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
            <button type="button" disabled={state.page <= 1} onClick={() => update({ page: state.page - 1 })}>
              Previous page
            </button>
            <span>
              Page {state.page} of {pages}
            </span>
            <button type="button" disabled={state.page >= pages} onClick={() => update({ page: state.page + 1 })}>
              Next page
            </button>
          </nav>
        </>
      )}
    </div>
  );
}
