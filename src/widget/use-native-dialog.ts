import { useEffect, useRef, type RefObject } from 'react';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect';

export interface UseNativeDialogOptions {
  readonly dialogRef: RefObject<HTMLDialogElement | null>;
  readonly open: boolean;
  /** Escape (the dialog's `cancel` event): asks to close; the owner decides. */
  readonly onRequestClose: () => void;
  /** The dialog was closed by something else (a form with method=dialog, the browser). */
  readonly onClosed: () => void;
  /** What to focus on opening. Default: the browser's choice. */
  readonly initialFocusRef?: RefObject<HTMLElement | null>;
}

/**
 * Drives a native `<dialog>` from React state with `showModal()`: the browser then provides the
 * top layer, the inert background, the backdrop and Escape, with no dialog library. Focus goes
 * to `initialFocusRef` on opening, in one move, and back to whatever had it (the trigger) on closing.
 */
export function useNativeDialog({ dialogRef, open, onRequestClose, onClosed, initialFocusRef }: UseNativeDialogOptions) {
  const returnFocusTo = useRef<HTMLElement | null>(null);
  const latest = useRef({ open, onRequestClose, onClosed });
  latest.current = { open, onRequestClose, onClosed };

  // Layout effect: open before paint, so the patient never sees a half-open, non-modal frame.
  useIsomorphicLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog === null) return;
    if (open && !dialog.open) {
      // Captured once per opening: a StrictMode remount re-opens without overwriting the trigger.
      const active = dialog.ownerDocument.activeElement;
      if (returnFocusTo.current === null && active instanceof HTMLElement && !dialog.contains(active)) {
        returnFocusTo.current = active;
      }
      // showModal() focuses the dialog's first focusable element (the charge section, tabindex -1)
      // unless one carries `autofocus`. Marking the target first makes opening one focus move, so a
      // screen reader announces the target and nothing before it; the attribute is taken off again
      // so it never reaches a later opening or the page's own autofocus handling.
      const target = initialFocusRef?.current ?? null;
      target?.setAttribute('autofocus', '');
      dialog.showModal();
      target?.removeAttribute('autofocus');
      // Where the browser did not follow `autofocus` (older engines, jsdom), focus it ourselves.
      if (target !== null && dialog.ownerDocument.activeElement !== target) target.focus();
    } else if (!open) {
      if (dialog.open) dialog.close();
      const target = returnFocusTo.current;
      returnFocusTo.current = null;
      if (target !== null && target.isConnected) target.focus();
    }
  }, [open, dialogRef, initialFocusRef]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog === null) return undefined;
    const onCancel = (event: Event) => {
      // Keep the decision in React: the owner may refuse (while a cancel is being sent).
      event.preventDefault();
      latest.current.onRequestClose();
    };
    const onClose = () => {
      // Only news when React still thinks it is open (closed by the browser or a method=dialog form).
      if (latest.current.open) latest.current.onClosed();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onClose);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onClose);
    };
  }, [dialogRef]);
  // No cleanup on unmount: removing an open modal <dialog> from the document takes it out of the
  // top layer and un-inerts the page by itself (HTML's dialog removing steps).
}
