import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ChargeState } from '../core/index';
import type { CancelAppointmentConfig } from './cancel-appointment-context';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { CancelAppointmentProvider } from './cancel-appointment-provider';
import { CancelDialogContent } from './cancel-dialog-content';
import { useNativeDialog } from './use-native-dialog';
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
  const [uncontrolledOpen, setUncontrolledOpen] = useState(defaultOpen);
  const isOpen = open ?? uncontrolledOpen;
  // Open or closed, an attempt waiting for Heim keeps being checked, and a confirmed one is
  // reported once: to `onCancelled` after the patient has closed the news (use-report-after-close.ts).
  usePendingConfirmation(appointmentId, useReportAfterClose(onCancelled, isOpen), isOpen);
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
    <dialog
      ref={dialogRef}
      className={className === undefined ? 'hc-dialog' : `hc-dialog ${className}`}
      role="alertdialog"
      aria-labelledby={headingId}
      aria-describedby={descriptionId}
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
          dismissRef={dismissRef}
          busyRef={busyRef}
          onClose={close}
          onChargeStateChange={setChargeState}
          onDecidingChange={setDeciding}
        />
      ) : null}
    </dialog>
  );
}
