import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { CancelAppointmentConfig, CancelledResult } from './cancel-appointment-context';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { CancelAppointmentDialog } from './cancel-appointment-dialog';
import { CancelAppointmentProvider } from './cancel-appointment-provider';

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
 */
export function CancelAppointmentButton({ appointmentId, children, className, ...config }: CancelAppointmentButtonProps) {
  return (
    <CancelAppointmentProvider {...config}>
      <TriggerAndDialog appointmentId={appointmentId} className={className}>
        {children}
      </TriggerAndDialog>
    </CancelAppointmentProvider>
  );
}

function withClass(base: string, extra: string | undefined): string {
  return extra === undefined || extra === '' ? base : `${base} ${extra}`;
}

interface TriggerAndDialogProps {
  readonly appointmentId: string;
  readonly className: string | undefined;
  readonly children: ReactNode;
}

function TriggerAndDialog({ appointmentId, className, children }: TriggerAndDialogProps) {
  const { messages, onCancelled } = useCancelAppointmentContext('CancelAppointmentButton');
  const [open, setOpen] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const statusRef = useRef<HTMLSpanElement>(null);

  const handleCancelled = useCallback(
    (result: CancelledResult) => {
      setCancelled(true);
      onCancelled?.(result);
    },
    [onCancelled],
  );

  // The trigger no longer exists once cancelled, so focus lands on the text that replaced it.
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open && cancelled) statusRef.current?.focus();
    wasOpen.current = open;
  }, [open, cancelled]);

  return (
    <>
      {cancelled ? (
        <span className={withClass('hc-cancelled-status', className)} role="status" tabIndex={-1} ref={statusRef}>
          {messages.cancelledStatus}
        </span>
      ) : (
        <button type="button" className={withClass('hc-trigger', className)} aria-haspopup="dialog" onClick={() => setOpen(true)}>
          {children ?? messages.trigger}
        </button>
      )}
      <CancelAppointmentDialog
        appointmentId={appointmentId}
        open={open}
        onOpenChange={setOpen}
        onCancelled={handleCancelled}
      />
    </>
  );
}
