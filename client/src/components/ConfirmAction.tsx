import { useEffect, useRef, useState } from 'react';

/**
 * An action that asks first: the button opens a question with the consequence spelled out, and only its confirm
 * button acts. Cancel (or Escape) closes it again.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
  open: controlledOpen,
}: {
  label?: string;
  question: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel?: () => void;
  /** Opened by the caller (a select that asks before applying) rather than by a button of its own. */
  open?: boolean;
}) {
  const [asked, setAsked] = useState(false);
  const open = controlledOpen ?? asked;
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) cancelRef.current?.focus();
  }, [open]);
  const cancel = () => {
    setAsked(false);
    onCancel?.();
  };
  if (!open) {
    return label ? (
      <button type="button" onClick={() => setAsked(true)}>
        {label}
      </button>
    ) : null;
  }
  return (
    <span className="confirm" role="group" aria-label={question} onKeyDown={(event) => event.key === 'Escape' && cancel()}>
      <span>{question}</span>
      <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" ref={cancelRef} disabled={busy} onClick={cancel}>
        Cancel
      </button>
    </span>
  );
}
