import { startTransition, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { CancelAppointmentProvider } from './cancel-appointment-provider';
import {
  triggerMessage,
  useCancelAppointmentScope,
  type CancelAppointmentConfig,
  type CancelledResult,
} from './cancel-appointment-scope';
import { loadCancelDialog, useLoadedCancelDialog } from './load-cancel-dialog';

export interface CancelAppointmentButtonProps extends CancelAppointmentConfig {
  /** The appointment to cancel (the proxy's opaque id). */
  readonly appointmentId: string;
  /**
   * The button's content.
   * @default messages.trigger ("Cancel appointment")
   */
  readonly children?: ReactNode;
  /** Extra class on the trigger button (and on the "Appointment cancelled" text that replaces it), after `hc-trigger`. */
  readonly className?: string;
}

/**
 * The drop-in: a plain `<button type="button">` that opens the cancellation dialog. After a
 * confirmed cancellation it is replaced by a short "Appointment cancelled" status. Its provider
 * props override any `<CancelAppointmentProvider>` above it; with none above, they are the
 * whole configuration.
 *
 * The dialog's code loads on the first sign of intent (pointer over the button, focus, touch), so
 * it is normally there before the click lands; a click that beats it opens the dialog as soon as
 * it arrives.
 */
export function CancelAppointmentButton({ appointmentId, children, className, ...config }: CancelAppointmentButtonProps) {
  return (
    <CancelAppointmentProvider {...config}>
      {/* Keyed by the id: a button reused for another appointment (a list re-sorted, a portal
          that recycles rows) starts afresh, closed, and never shows one visit's form for another. */}
      <TriggerAndDialog key={appointmentId} appointmentId={appointmentId} className={className}>
        {children}
      </TriggerAndDialog>
    </CancelAppointmentProvider>
  );
}

function withClass(base: string, extra: string | undefined): string {
  return extra === undefined || extra === '' ? base : `${base} ${extra}`;
}

/** Intent: start loading the dialog. A failure is forgotten by the loader; the next intent retries. */
function preloadDialog(): void {
  loadCancelDialog().catch(() => undefined);
}

/**
 * The patient's intent to open: a mouse over the trigger, focus on it, a touch. While it lasts the
 * dialog's content is rendered (closed) and its appointment fetched, so the click only has to show
 * it. It ends when the mouse leaves or focus goes elsewhere (not while the dialog is open), and
 * with each closing, so the next opening starts afresh.
 */
function useOpenIntent(open: boolean) {
  const [intent, setIntent] = useState(false);
  const openRef = useRef(open);
  openRef.current = open;
  const begin = useCallback(() => {
    preloadDialog();
    // A transition: preparing yields to anything urgent. A click that follows at once (a script,
    // a fast tap) opens the dialog first, exactly as without preparing, instead of waiting behind
    // a render it did not need.
    startTransition(() => setIntent(true));
  }, []);
  const end = useCallback(() => {
    if (!openRef.current) setIntent(false);
  }, []);
  return { intent, begin, end, clear: useCallback(() => setIntent(false), []) };
}

interface TriggerAndDialogProps {
  readonly appointmentId: string;
  readonly className: string | undefined;
  readonly children: ReactNode;
}

function TriggerAndDialog({ appointmentId, className, children }: TriggerAndDialogProps) {
  const scope = useCancelAppointmentScope('CancelAppointmentButton');
  const { onCancelled } = scope;
  const Dialog = useLoadedCancelDialog();
  const [open, setOpenState] = useState(false);
  const intent = useOpenIntent(open);
  const { clear: clearIntent } = intent;
  const setOpen = useCallback(
    (next: boolean) => {
      setOpenState(next);
      // A closing drops the prepared content, so reopening starts afresh (focus coming back to
      // the trigger prepares a new one).
      if (!next) clearIntent();
    },
    [clearIntent],
  );
  const [cancelled, setCancelled] = useState(false);
  const statusRef = useRef<HTMLSpanElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const triggerHadFocus = useRef(false);

  // Called by the dialog once the patient has closed the confirmation (use-report-after-close.ts),
  // when focus is back on the trigger, or at once for a confirmation that came while it was closed.
  const handleCancelled = useCallback(
    (result: CancelledResult) => {
      triggerHadFocus.current = triggerRef.current !== null && triggerRef.current === triggerRef.current.ownerDocument.activeElement;
      setCancelled(true);
      onCancelled?.(result);
    },
    [onCancelled],
  );

  const openDialog = () => {
    setOpen(true);
    // Never lose the click: it opens once the code arrives. If it cannot arrive, the trigger
    // stays as it was, and the next click tries again.
    loadCancelDialog().catch(() => setOpen(false));
  };

  // The trigger no longer exists once cancelled: if it had focus, the text that replaced it takes it.
  useEffect(() => {
    if (cancelled && triggerHadFocus.current) statusRef.current?.focus();
  }, [cancelled]);

  return (
    <>
      {cancelled ? (
        <span className={withClass('hc-cancelled-status', className)} role="status" tabIndex={-1} ref={statusRef}>
          {triggerMessage(scope, 'cancelledStatus')}
        </span>
      ) : (
        <button
          ref={triggerRef}
          type="button"
          className={withClass('hc-trigger', className)}
          aria-haspopup="dialog"
          onPointerEnter={intent.begin}
          onFocus={intent.begin}
          onTouchStart={intent.begin}
          // A touch pointer "leaves" as the finger lifts, before the click: only a mouse leaving ends intent.
          onPointerLeave={(event) => {
            if (event.pointerType === 'mouse') intent.end();
          }}
          onBlur={intent.end}
          onClick={openDialog}
        >
          {children ?? triggerMessage(scope, 'trigger')}
        </button>
      )}
      {/* Once loaded it stays mounted, open or closed: it keeps checking an attempt waiting for Heim. */}
      {Dialog === null ? null : (
        <Dialog
          appointmentId={appointmentId}
          open={open}
          prepare={intent.intent && !cancelled}
          onOpenChange={setOpen}
          onCancelled={handleCancelled}
        />
      )}
    </>
  );
}
