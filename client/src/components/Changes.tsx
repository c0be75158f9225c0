/** A stored value as one line of text: JSON for lists and objects, a dash for nothing. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The fields whose values differ between two versions of a record, in the order they first appear. */
export function changedFields(before: object | null, after: object | null): string[] {
  const old = (before ?? {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  // The version counter, timestamps and writer move on every write (the entry itself says who and when), and
  // a commitment's metrics follow from its other fields: what remains is what someone changed.
  const bookkeeping = new Set(['version', 'updatedAt', 'createdAt', 'updatedBy', 'createdBy', 'metrics']);
  return [...new Set([...Object.keys(old), ...Object.keys(now)])].filter(
    (field) => !bookkeeping.has(field) && JSON.stringify(old[field]) !== JSON.stringify(now[field]),
  );
}

/** What one audit entry changed, field by field: before → after. */
export function Changes({ before, after }: { before: object | null; after: object | null }) {
  const fields = changedFields(before, after);
  if (fields.length === 0) return <span className="muted">no field values recorded</span>;
  const old = (before ?? {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  const list = (
    <dl className="changes">
      {fields.map((field) => (
        <div key={field}>
          <dt>{field}</dt>
          <dd>
            {before ? <del>{valueText(old[field])}</del> : null}
            {before && after ? ' → ' : null}
            {after ? <ins>{valueText(now[field])}</ins> : null}
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
