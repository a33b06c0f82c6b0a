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
      // `autofocus` during showModal() focuses without scrolling: on a phone the target could sit
      // below the fold of a tall dialog. The stylesheet keeps the dialog's actions in view where
      // the screen is tall enough; this covers short screens and pages without it. 'nearest' does
      // not move what is already in view (the stuck actions), so the dialog still opens at its top.
      scrollFocusIntoView(dialog);
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

/**
 * Scrolls the element that has focus inside `dialog` into view, by as little as it takes, unless it
 * is on screen already. Not scrollIntoView alone: for a button in the actions stuck at the foot of
 * the dialog it would still scroll, to clear the scroll padding kept for those very actions.
 */
export function scrollFocusIntoView(dialog: HTMLDialogElement): void {
  const active = dialog.ownerDocument.activeElement;
  if (active === null || active === dialog || !dialog.contains(active)) return;
  const box = active.getBoundingClientRect();
  const top = dialog.getBoundingClientRect().top + dialog.clientTop;
  if (box.top >= top && box.bottom <= top + dialog.clientHeight) return;
  // Optional call: jsdom has no scrollIntoView.
  active.scrollIntoView?.({ block: 'nearest' });
}
