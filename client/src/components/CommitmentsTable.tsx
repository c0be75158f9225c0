import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Commitment } from '../api-types';
import { CompanyLink } from './CompanyLink';
import { chipName, formatQuantity, formatWindow, humanize } from '../format';

export interface SortableColumn {
  field: string;
  label: string;
}

interface Props {
  items: Commitment[];
  testId: string;
  /** Column headers that sort: the list page passes these; the dashboard's table does not sort. */
  sortHeader?: (column: SortableColumn) => ReactNode;
}

function SourceLinks({ commitment }: { commitment: Commitment }) {
  if (commitment.sources.length === 0) return <>—</>;
  return (
    <ul className="sources-inline">
      {commitment.sources.map((source, index) => (
        <li key={index}>
          {source.url ? (
            <a href={source.url} target="_blank" rel="noopener noreferrer">
              {source.publisher ?? source.title ?? 'source'}
            </a>
          ) : (
            <span title={source.title ?? undefined}>{source.publisher ?? source.title}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

const HEADERS: (SortableColumn & { sortable: boolean })[] = [
  { field: 'announcedOn', label: 'Announced', sortable: true },
  { field: 'company', label: 'Company', sortable: true },
  { field: 'accelerator', label: 'Chip', sortable: true },
  { field: 'quantity', label: 'Quantity', sortable: true },
  { field: 'window', label: 'Delivery window', sortable: false },
  { field: 'status', label: 'Status', sortable: true },
  { field: 'sources', label: 'Sources', sortable: false },
];

export function CommitmentsTable({ items, testId, sortHeader }: Props) {
  return (
    <div className="table-scroll">
      <table className="data-table commitments" data-testid={testId}>
        <thead>
          <tr>
            {HEADERS.map((header) => (
              <th key={header.field} scope="col">
                {sortHeader && header.sortable ? sortHeader(header) : header.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((commitment) => (
            <tr key={commitment.id} className={commitment.supersededById ? 'superseded' : undefined}>
              <td>
                <Link to={`/commitments/${commitment.id}`}>{commitment.announcedOn}</Link>
              </td>
              <th scope="row">
                <CompanyLink company={commitment.company} />
              </th>
              <td>{chipName(commitment)}</td>
              <td className="number">{formatQuantity(commitment)}</td>
              <td>{formatWindow(commitment.window)}</td>
              <td>
                {humanize(commitment.status)}
                {commitment.supersededById ? <span className="badge">superseded</span> : null}
              </td>
              <td>
                <SourceLinks commitment={commitment} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
