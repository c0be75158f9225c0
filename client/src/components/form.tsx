import { type ReactNode, type RefObject, useEffect, useId } from 'react';
import { labelledMessage } from '../field-labels';

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
  warning,
  hint,
  control,
}: {
  label: string;
  /** The server's name for the field, so tests and people can find the message next to it. */
  field: string;
  error?: string;
  /** Accepted but worth a second look ("usually a typo"): shown like a hint, in amber, until it is an error. */
  warning?: string;
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
        ...(error || warning || hint ? { 'aria-describedby': messageId } : {}),
      })}
      {error ? (
        <p className="field-error" id={messageId} data-testid={`error-${fieldSlug(field)}`}>
          {error}
        </p>
      ) : warning ? (
        <p className="field-warning" id={messageId} data-testid={`warning-${fieldSlug(field)}`} role="status">
          {warning}
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
        <li key={field}>{labelledMessage(field, message)}</li>
      ))}
    </ul>
  );
}

/**
 * After a refused save, moves the focus to the first field marked invalid inside `container`, so the keyboard and
 * the screen reader start where the work is. Runs when `errors` changes to a set with something in it.
 */
export function useFocusFirstError(container: RefObject<HTMLElement | null>, errors: object): void {
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    const first = container.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    first?.focus();
  }, [errors]);
}

/** Aliases are typed as one comma-separated line. */
export const aliasesText = (aliases: readonly string[]) => aliases.join(', ');
export const aliasesFromText = (text: string) =>
  text
    .split(',')
    .map((alias) => alias.trim())
    .filter(Boolean);
