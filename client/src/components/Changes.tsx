import { changedFields } from '../../../src/domain/audit-changes.js';
import { fieldLabel } from '../field-labels';

/** A stored value as one line of text: a name for an id the page knows, JSON for lists and objects, a dash for nothing. */
function valueText(value: unknown, labels: Readonly<Record<string, string>> = {}): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return labels[value] ?? value;
  return JSON.stringify(value);
}

/** What one audit entry changed, field by field: before → after, with the fields' labels and the names of ids. */
export function Changes({
  before,
  after,
  labels = {},
}: {
  before: object | null;
  after: object | null;
  labels?: Readonly<Record<string, string>>;
}) {
  const fields = changedFields(before, after);
  if (fields.length === 0) return <span className="muted">no field values recorded</span>;
  const old = (before ?? {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  const list = (
    <dl className="changes">
      {fields.map((field) => (
        <div key={field}>
          <dt>{fieldLabel(field)}</dt>
          <dd>
            {before ? <del>{valueText(old[field], labels)}</del> : null}
            {before && after ? ' → ' : null}
            {after ? <ins>{valueText(now[field], labels)}</ins> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
  // A whole record created or deleted is long: folded, one click away.
  if (!before || !after) {
    return (
      <details>
        <summary>{before ? 'values before' : 'values recorded'}</summary>
        {list}
      </details>
    );
  }
  return list;
}
