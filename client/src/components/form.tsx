import { type ReactNode, useId } from 'react';

/** Turns a field path into an id-safe word: `sources[0].url` → `sources-0-url`. */
export const fieldSlug = (field: string) => field.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');

/**
 * A labelled control with its error under it, tied together for screen readers. `control` receives the id and the
 * aria attributes to spread onto the input.
 */
export function Field({
  label,
  field,
  error,
  hint,
  control,
}: {
  label: string;
  /** The server's name for the field, so tests and people can find the message next to it. */
  field: string;
  error?: string;
  hint?: string;
  control: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string; name: string }) => ReactNode;
}) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className={error ? 'field invalid' : 'field'} data-field={field}>
      <label htmlFor={id}>{label}</label>
      {control({
        id,
        name: field,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(error || hint ? { 'aria-describedby': messageId } : {}),
      })}
      {error ? (
        <p className="field-error" id={messageId} data-testid={`error-${fieldSlug(field)}`}>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={messageId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** Errors the form has no field for (a message on the whole record), listed above the buttons. */
export function OtherErrors({ errors, shown }: { errors: Record<string, string>; shown: readonly string[] }) {
  const others = Object.entries(errors).filter(([field]) => !shown.includes(field));
  if (others.length === 0) return null;
  return (
    <ul className="field-error" data-testid="other-errors">
      {others.map(([field, message]) => (
        <li key={field}>
          {field}: {message}
        </li>
      ))}
    </ul>
  );
}

/** Aliases are typed as one comma-separated line. */
export const aliasesText = (aliases: readonly string[]) => aliases.join(', ');
export const aliasesFromText = (text: string) =>
  text
    .split(',')
    .map((alias) => alias.trim())
    .filter(Boolean);
