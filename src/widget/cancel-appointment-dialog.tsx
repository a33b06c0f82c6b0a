import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ChargeState } from '../core/index';
import type { CancelAppointmentConfig } from './cancel-appointment-context';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { CancelAppointmentProvider } from './cancel-appointment-provider';
import { CancelDialogContent } from './cancel-dialog-content';
import { chargeSentenceIds } from './charge-status';
import { checkMessages } from './messages-check';
import { useNativeDialog } from './use-native-dialog';
import type { CancelAttempt } from './cancel-attempt';
import { usePendingConfirmation } from './use-pending-confirmation';
import { useReportAfterClose } from './use-report-after-close';
import { useReportOpened } from './use-report-opened';

export interface CancelAppointmentDialogProps extends CancelAppointmentConfig {
  /** The appointment to cancel (the proxy's opaque id). */
  readonly appointmentId: string;
  /**
   * Controlled open state.
   * @default undefined (uncontrolled)
   */
  readonly open?: boolean;
  /**
   * Initial open state when uncontrolled.
   * @default false
   */
  readonly defaultOpen?: boolean;
  /** Called when the dialog asks to open or close (Escape, Keep appointment, Close). */
  readonly onOpenChange?: (open: boolean) => void;
  /** Extra class on the `<dialog>` element. */
  readonly className?: string;
}

/**
 * The confirmation dialog: a native `<dialog>` opened with `showModal()`, exposed as an
 * alertdialog (it interrupts to confirm a consequential action). Radix-style `open` /
 * `defaultOpen` / `onOpenChange`; `data-state` and `data-charge` for styling. Works inside a
 * `<CancelAppointmentProvider>` or on its own (its props then configure it).
 */
export function CancelAppointmentDialog({
  appointmentId,
  open,
  defaultOpen,
  onOpenChange,
  className,
  ...config
}: CancelAppointmentDialogProps) {
  return (
    <CancelAppointmentProvider {...config}>
      <NativeCancelDialog
        appointmentId={appointmentId}
        open={open}
        defaultOpen={defaultOpen ?? false}
        onOpenChange={onOpenChange}
        className={className}
      />
    </CancelAppointmentProvider>
  );
}

interface NativeCancelDialogProps {
  readonly appointmentId: string;
  readonly open: boolean | undefined;
  readonly defaultOpen: boolean;
  readonly onOpenChange: ((open: boolean) => void) | undefined;
  readonly className: string | undefined;
}

function NativeCancelDialog({ appointmentId, open, defaultOpen, onOpenChange, className }: NativeCancelDialogProps) {
  const { messages, onCancelled } = useCancelAppointmentContext('CancelAppointmentDialog');
  // What of the messages would reach a patient in English: said once in the console, in
  // development only, like the provider's noteMaxLength check (production drops the module).
  if (process.env.NODE_ENV !== 'production') checkMessages(messages);
  const [uncontrolledOpen, setUncontrolledOpen] = useState(defaultOpen);
  const isOpen = open ?? uncontrolledOpen;
  // Open or closed, an attempt waiting for Heim keeps being checked, and a confirmed one is
  // reported once: to `onCancelled` after the patient has closed the news (use-report-after-close.ts).
  const attempt = usePendingConfirmation(appointmentId, useReportAfterClose(onCancelled, isOpen), isOpen);
  const closedNote = useClosedNote(attempt, isOpen);
  const isControlled = open !== undefined;
  const setOpen = useCallback(
    (next: boolean) => {
      if (!isControlled) setUncontrolledOpen(next);
      onOpenChange?.(next);
    },
    [isControlled, onOpenChange],
  );
  const close = useCallback(() => setOpen(false), [setOpen]);
  useReportOpened(appointmentId, isOpen);

  const dialogRef = useRef<HTMLDialogElement>(null);
  const dismissRef = useRef<HTMLButtonElement>(null);
  const busyRef = useRef(false);
  const [chargeState, setChargeState] = useState<ChargeState | null>(null);
  // After the decision (success, already cancelled...) the news is the title, not the question.
  const [deciding, setDeciding] = useState(true);
  useEffect(() => {
    if (!isOpen) setDeciding(true);
  }, [isOpen]);
  const headingId = useId();
  const descriptionId = useId();
  const chargeId = useId();

  useNativeDialog({
    dialogRef,
    open: isOpen,
    initialFocusRef: dismissRef,
    onRequestClose: () => {
      if (!busyRef.current) close();
    },
    onClosed: close,
  });

  return (
    <>
      <dialog
        ref={dialogRef}
        // The messages' language, not the page's: a Welsh dialog on an English page is read with a
        // Welsh voice. Heim's data inside (the visit's title, the address) is marked with it too.
        lang={messages.locale}
        dir={messages.dir}
        className={className === undefined ? 'hc-dialog' : `hc-dialog ${className}`}
        role="alertdialog"
        aria-labelledby={headingId}
        // The summary, and while deciding what cancelling may cost (its fixed sentences, never
        // the ticking countdown): opening says whether there may be a charge, not only what.
        aria-describedby={chargeState === null ? descriptionId : `${descriptionId} ${chargeSentenceIds(chargeId, chargeState)}`}
        data-state={isOpen ? 'open' : 'closed'}
        data-charge={isOpen && chargeState !== null ? chargeState : undefined}
      >
        {deciding || !isOpen ? (
          <h2 className="hc-dialog__title" id={headingId}>
            {messages.dialogTitle}
          </h2>
        ) : null}
        {isOpen ? (
          <CancelDialogContent
            appointmentId={appointmentId}
            titleId={headingId}
            descriptionId={descriptionId}
            chargeId={chargeId}
            dismissRef={dismissRef}
            busyRef={busyRef}
            onClose={close}
            onChargeStateChange={setChargeState}
            onDecidingChange={setDeciding}
          />
        ) : null}
      </dialog>
      {/*
        The attempt outlives the dialog: once it is closed, what happens next is said here, beside the
        button, not only inside a dialog the patient may never reopen. Always in the page (mounted
        with the dialog's code, long before it speaks), so screen readers announce it. Once the
        cancellation is confirmed it has nothing left to say: the trigger's place says it.
      */}
      {attempt.confirmed === null ? (
        <span
          className={`hc-trigger-note hc-trigger-note--news${closedNote === 'not_cancelled' ? ' hc-trigger-note--error' : ''}`}
          role="status"
          lang={messages.locale}
          dir={messages.dir}
        >
          {closedNote === 'pending' ? messages.pendingClosedNote : closedNote === 'not_cancelled' ? messages.pendingNotCancelled : null}
        </span>
      ) : null}
    </>
  );
}

/**
 * What the page says about the attempt while the dialog is closed: that it is being confirmed, or
 * that it turned out not to have cancelled anything (told once, until the dialog is opened again,
 * where the same news is shown). A confirmation needs no note: the trigger becomes "Appointment
 * cancelled".
 */
function useClosedNote(attempt: CancelAttempt, isOpen: boolean): 'pending' | 'not_cancelled' | null {
  const { pending, confirmed, notCancelled } = attempt;
  const [notCancelledWhileClosed, setNotCancelledWhileClosed] = useState(false);
  const pendingWhileClosed = useRef(false);
  useEffect(() => {
    if (isOpen) {
      pendingWhileClosed.current = false;
      setNotCancelledWhileClosed(false);
    } else if (pending !== null) {
      pendingWhileClosed.current = true;
    } else if (pendingWhileClosed.current && notCancelled) {
      pendingWhileClosed.current = false;
      setNotCancelledWhileClosed(true);
    }
  }, [isOpen, pending, notCancelled]);
  if (isOpen) return null;
  if (pending !== null && confirmed === null) return 'pending';
  return notCancelledWhileClosed ? 'not_cancelled' : null;
}
