import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { CancelAppointmentProvider } from './cancel-appointment-provider';
import {
  latestCallback,
  triggerMessage,
  useCancelAppointmentScope,
  type CancelAppointmentConfig,
  type CancelledResult,
} from './cancel-appointment-scope';
import { loadCancelDialog, stopWaiting, useCancelDialogLoader, waitForCancelDialog } from './load-cancel-dialog';

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
  /**
   * Passed to the trigger button: the id(s) of what tells this visit apart, such as its heading, so
   * that in a list of visits each "Cancel appointment" is said with its own visit when focused (a
   * screen reader's list of buttons shows names only: extend the name through `children` for that).
   * @default undefined
   */
  readonly 'aria-describedby'?: string;
}

/**
 * The drop-in: a plain `<button type="button">` that opens the cancellation dialog. After a
 * confirmed cancellation it is replaced by a short "Appointment cancelled" status. Its provider
 * props override any `<CancelAppointmentProvider>` above it; with none above, they are the
 * whole configuration.
 *
 * The dialog's code loads on the first sign of intent (pointer over the button, focus, touch), so
 * it is normally there before the click lands; a click that beats it opens the dialog as soon as
 * it arrives (the last click on any button wins), says "Opening…" beside the button if that takes
 * a while, and says so in an alert if the code cannot arrive (offline, or a portal deployment that
 * replaced it) or has not arrived in 10 s; a dialog given up on never opens by surprise later.
 */
export function CancelAppointmentButton({
  appointmentId,
  children,
  className,
  'aria-describedby': describedBy,
  ...config
}: CancelAppointmentButtonProps) {
  return (
    <CancelAppointmentProvider {...config}>
      <TriggerAndDialog appointmentId={appointmentId} className={className} aria-describedby={describedBy}>
        {children}
      </TriggerAndDialog>
    </CancelAppointmentProvider>
  );
}

function withClass(base: string, extra: string | undefined): string {
  return `${base} ${extra ?? ''}`.trimEnd();
}

/** Intent: start loading the dialog. A failure is forgotten by the loader; the next intent retries. */
function preloadDialog(): void {
  loadCancelDialog().catch(() => undefined);
}

/**
 * How long a click waits for the dialog's code before "Opening…" appears: a load that beats it
 * (the usual case, begun on hover or touch) shows nothing, so nothing flashes.
 */
const OPENING_NOTICE_MS = 400;
/**
 * How long a click waits for the code before it is treated as unable to arrive: a stalled
 * connection would otherwise say "Opening…" for ever, and open the dialog by surprise minutes later.
 */
const LOAD_TIMEOUT_MS = 10_000;

interface TriggerAndDialogProps {
  readonly appointmentId: string;
  readonly className: string | undefined;
  readonly 'aria-describedby': string | undefined;
  readonly children: ReactNode;
}

function TriggerAndDialog({ appointmentId, className, 'aria-describedby': describedBy, children }: TriggerAndDialogProps) {
  const scope = useCancelAppointmentScope('CancelAppointmentButton');
  const { dialog: Dialog, waitingClick } = useCancelDialogLoader();
  const [open, setOpen] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const [loadFailed, setLoadFailed] = useState(false);
  const [slow, setSlow] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  // A click that came before the dialog's code waits for it, as this trigger's (its ref stands for
  // it), until a click on any trigger takes over.
  const waiting = waitingClick === triggerRef;
  // A button reused for another appointment (a list re-sorted, a portal that recycles rows)
  // starts afresh: closed, not cancelled, and its dialog remounted (keyed below), so it never shows
  // one visit's form for another. The trigger itself stays, and keeps focus if it had it.
  const [shownFor, setShownFor] = useState(appointmentId);
  if (shownFor !== appointmentId) {
    setShownFor(appointmentId);
    setOpen(false);
    setCancelled(false);
    setLoadFailed(false);
  }
  const statusRef = useRef<HTMLSpanElement>(null);
  const triggerHadFocus = useRef(false);

  // Called by the dialog once the patient has closed the confirmation (use-report-after-close.ts),
  // or at once for a confirmation that came while it was closed. Focus is then back on the
  // trigger, or on the page's body where a click does not focus buttons (Safari, iOS).
  const handleCancelled = useCallback(
    (result: CancelledResult) => {
      const trigger = triggerRef.current;
      const active = trigger?.ownerDocument.activeElement ?? null;
      triggerHadFocus.current = trigger !== null && (active === trigger || active === null || active === trigger.ownerDocument.body);
      setCancelled(true);
      latestCallback(scope, 'onCancelled')?.(result);
    },
    [scope],
  );

  const openDialog = () => {
    setLoadFailed(false);
    if (Dialog !== null) {
      setOpen(true);
      return;
    }
    // Never lose the click: it opens once the code arrives. If it cannot arrive, the patient is told
    // beside the trigger; the next click waits again (a refused load is asked for afresh, a stalled
    // one is waited on again), and the alert also offers reloading the page.
    waitForCancelDialog(triggerRef, (arrived) => (arrived ? setOpen(true) : setLoadFailed(true)));
  };

  // While a click waits: "Opening…" after a moment, and after LOAD_TIMEOUT_MS the failure.
  useEffect(() => {
    if (!waiting) return undefined;
    const opening = setTimeout(() => setSlow(true), OPENING_NOTICE_MS);
    const giveUp = setTimeout(() => {
      stopWaiting(triggerRef);
      setLoadFailed(true);
    }, LOAD_TIMEOUT_MS);
    return () => {
      clearTimeout(opening);
      clearTimeout(giveUp);
      setSlow(false);
    };
  }, [waiting]);
  // A button that goes away, or now stands for another appointment, drops its waiting click.
  useEffect(
    () => () => {
      stopWaiting(triggerRef);
    },
    [appointmentId],
  );

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
          aria-describedby={describedBy}
          onPointerEnter={preloadDialog}
          onFocus={preloadDialog}
          onTouchStart={preloadDialog}
          onClick={openDialog}
        >
          {children ?? triggerMessage(scope, 'trigger')}
        </button>
      )}
      {cancelled ? null : (
        // Always in the page, so screen readers know the region before it speaks: "Opening…" is
        // announced when it appears (a region inserted with its words often goes unannounced).
        <span className="hc-trigger-note" role="status">
          {waiting && slow ? triggerMessage(scope, 'triggerOpening') : null}
        </span>
      )}
      {/* Once any trigger has loaded the code, the failure no longer holds. */}
      {loadFailed && Dialog === null ? (
        <span className="hc-trigger-note hc-trigger-note--error" role="alert">
          {triggerMessage(scope, 'triggerLoadError')}
        </span>
      ) : null}
      {/* Once loaded it stays mounted, open or closed: it keeps checking an attempt waiting for Heim. */}
      {Dialog === null ? null : (
        <Dialog key={appointmentId} appointmentId={appointmentId} open={open} onOpenChange={setOpen} onCancelled={handleCancelled} />
      )}
    </>
  );
}
