import { useEffect, useRef } from 'react';
import { chargeStateAt, laterChargeState } from '../core/index';
import type { AppointmentResponse, ChargeState } from '../core/index';
import { cancelAppointmentEvent } from './cancel-appointment-events';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { cancelAppointmentKeys } from './query-options';

/**
 * The charge state the dialog will show at once, if this appointment was read before (a reopened
 * dialog): the charge rule on the proxy's clock, raised to what the proxy last reported, as the
 * dialog itself does (use-cancel-flow.ts). Null on a first opening: reporting `opened` does not
 * wait for the read, so an opening whose read then fails is still counted.
 */
function knownChargeState(data: AppointmentResponse | undefined, nowMs: number): ChargeState | null {
  if (data === undefined) return null;
  const eta = data.appointment.estimatedTimeOfArrival;
  return laterChargeState(chargeStateAt(eta === null ? null : Date.parse(eta), data.charge.windowHours, nowMs), data.charge.state);
}

/** Reports `opened` once each time the dialog opens (a ref, not state: StrictMode's second effect run must not count twice). */
export function useReportOpened(appointmentId: string, isOpen: boolean): void {
  const { onEvent, queryClient, clock } = useCancelAppointmentContext('CancelAppointmentDialog');
  const reported = useRef(false);
  useEffect(() => {
    if (!isOpen) {
      reported.current = false;
      return;
    }
    if (reported.current || onEvent === undefined) return;
    reported.current = true;
    const data = queryClient.getQueryData<AppointmentResponse>(cancelAppointmentKeys.appointment(appointmentId));
    onEvent(cancelAppointmentEvent('opened', appointmentId, null, knownChargeState(data, clock.now())));
  }, [isOpen, onEvent, queryClient, clock, appointmentId]);
}
