import { useEffect, useId, useRef, type ReactNode } from 'react';
import './dialog.css';

export interface ConfirmDialogProps {
  /** The question, e.g. "Roll back new-checkout to version 2?". */
  title: string;
  children?: ReactNode;
  /** The confirming button's text, naming the action ("Roll back", "Revoke key"). */
  confirmLabel: string;
  /** Styles the confirming button as destructive. */
  danger?: boolean;
  busy?: boolean;
  /** A one-line failure to show inside the dialog (the relay's answer). */
  error?: string;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal confirmation on the native <dialog>: focus moves into it (to Cancel, the safe choice),
 * stays there, Escape cancels, and focus returns to what opened it when it closes.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  busy,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    cancel.current?.focus();
    return () => opener?.focus();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      {error !== undefined && (
        <p className="error-line" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" ref={cancel} onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
