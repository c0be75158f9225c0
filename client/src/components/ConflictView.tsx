import { valueText } from './Changes';

/** One field of the record as the conflict view shows it; `format` turns a stored value into readable text. */
export interface ConflictField {
  name: string;
  label: string;
  format?: (value: unknown) => string;
}

/** What the person chose: their saved record as it is, or your draft again, carrying the version now current. */
export type ConflictResolution<Draft> =
  { choice: 'theirs'; values: Record<string, unknown> & { version: number } } | { choice: 'mine'; values: Draft & { version: number } };

export interface ConflictViewProps<Draft extends Record<string, unknown>> {
  /** The record as the other person saved it: a 409's `details.current`. */
  current: Record<string, unknown> & { version: number };
  /** Your edits, which the view never drops. */
  draft: Draft;
  /** The fields to compare, in display order. */
  fields: ConflictField[];
  /**
   * "Use theirs": the form takes their values (nothing is saved). "Keep mine": save your draft again with
   * `current.version`, so it overwrites their change knowingly.
   */
  onResolve: (resolution: ConflictResolution<Draft>) => void;
  busy?: boolean;
}

const same = (left: unknown, right: unknown) => JSON.stringify(left ?? null) === JSON.stringify(right ?? null);

/** Shown on a 409 for a stale version: someone saved first; their values next to yours, field by field. */
export function ConflictView<Draft extends Record<string, unknown>>({ current, draft, fields, onResolve, busy }: ConflictViewProps<Draft>) {
  const differing = fields.filter((field) => !same(current[field.name], draft[field.name]));
  return (
    <section className="conflict" role="alert" aria-labelledby="conflict-title" data-testid="conflict">
      <h2 id="conflict-title">Someone else saved this record while you were editing</h2>
      <p>
        {differing.length === 0
          ? 'Their values are the same as yours.'
          : `${differing.length} ${differing.length === 1 ? 'field differs' : 'fields differ'}. Your edits are kept until you choose.`}
      </p>
      <table className="data-table" data-testid="conflict-fields">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Their saved value</th>
            <th scope="col">Your value</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const format = field.format ?? valueText;
            const differs = !same(current[field.name], draft[field.name]);
            return (
              <tr key={field.name} className={differs ? 'differs' : undefined}>
                <th scope="row">{field.label}</th>
                <td>{format(current[field.name])}</td>
                <td>{differs ? <strong>{format(draft[field.name])}</strong> : format(draft[field.name])}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="row-actions">
        <button type="button" disabled={busy} onClick={() => onResolve({ choice: 'theirs', values: current })}>
          Use theirs
        </button>
        <button type="button" disabled={busy} onClick={() => onResolve({ choice: 'mine', values: { ...draft, version: current.version } })}>
          Keep mine and save again
        </button>
      </div>
    </section>
  );
}
