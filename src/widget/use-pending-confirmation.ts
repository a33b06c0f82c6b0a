import { useEffect } from 'react';
import { claimReport, readAttempt, recordPollAnswer, updateAttempt, useCancelAttempt, type CancelAttempt } from './cancel-attempt';
import { useCancelAppointmentContext, type CancelledResult } from './cancel-appointment-context';
import { isReasonCode } from '../core/index';
import { cancelAppointmentEvent } from './cancel-appointment-events';
import { isDialogOpenFor, useCountOpenDialog } from './open-dialogs';
import { cancelAppointmentKeys } from './query-options';
import { freshStatus, useCancellationStatus } from './use-cancellation-status';

/**
 * Watches an appointment's cancel attempt for as long as the dialog component is mounted, open or
 * closed: while the proxy could not confirm (202) it polls, with back-off, and records the final
 * answer; once our cancellation is confirmed it reports it, once (`onCancelled` and the
 * `cancelled` event share that one claim). It lives above the dialog's
 * content so closing the dialog neither stops the checking (the pending panel promises it goes
 * on) nor loses the attempt, and reopening shows where it stands.
 */
export function usePendingConfirmation(
  appointmentId: string,
  onConfirmed: ((result: CancelledResult) => void) | undefined,
  isOpen: boolean,
): CancelAttempt {
  const { queryClient, onEvent, clock } = useCancelAppointmentContext('CancelAppointmentDialog');
  useCountOpenDialog(queryClient, appointmentId, isOpen);
  const attempt = useCancelAttempt(appointmentId, queryClient);
  const { pending, confirmed, reported } = attempt;
  const since = pending?.since ?? 0;
  const poll = useCancellationStatus(appointmentId, { enabled: pending !== null && confirmed === null, since });
  const fresh = pending === null ? undefined : freshStatus(poll.data, poll.dataUpdatedAt, since);

  useEffect(() => {
    if (fresh === undefined || fresh.status === 'pending_confirmation') return;
    // Read the record now, not from this render: another widget may have settled it already.
    if (readAttempt(queryClient, appointmentId).pending?.since !== since) return;
    updateAttempt(queryClient, appointmentId, (current) => recordPollAnswer(current, appointmentId, fresh, clock.now()));
    // The appointment changed (or is known not to have): re-read it, so a cancellation that was
    // not visibly ours is resolved against a fresh read (see use-cancel-flow.ts).
    void queryClient.invalidateQueries({ queryKey: cancelAppointmentKeys.appointment(appointmentId), exact: true });
  }, [fresh, since, queryClient, appointmentId, clock]);

  useEffect(() => {
    if (confirmed === null || reported) return;
    // Another dialog for this appointment is open: the report is the one the patient is looking at.
    if (!isOpen && isDialogOpenFor(queryClient, appointmentId)) return;
    const sentReason = readAttempt(queryClient, appointmentId).lastSent?.body.reasonCode ?? null;
    const result = claimReport(queryClient, appointmentId);
    if (result === null) return;
    // Heim's code, unless Heim Operations amended it to one outside the fifteen: then what was sent.
    const heimCode = result.cancellation?.reasonCode;
    const reasonCode = isReasonCode(heimCode) ? heimCode : sentReason;
    onEvent?.(cancelAppointmentEvent('cancelled', appointmentId, reasonCode, result.charge?.state ?? null));
    onConfirmed?.(result);
  }, [confirmed, reported, queryClient, appointmentId, onConfirmed, onEvent, isOpen]);

  return attempt;
}
