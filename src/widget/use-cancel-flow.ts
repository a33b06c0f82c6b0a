/**
 * The dialog's state machine: from the appointment read, the cancel request and the polling, it
 * decides which single screen the patient sees. Kept out of the components so every rule of
 * "what wins" (our own success over a refetch, information over errors...) lives in one place.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { CHARGE_STATES } from '../core/index';
import type { AppointmentResponse, CancellationView, CancelRequestBody, Charge, ChargeState } from '../core/index';
import { isCancelApiError, isRetryableError, type CancelApiError } from './api-client';
import type { CancelledResult } from './cancel-appointment-context';
import { useAppointment } from './use-appointment';
import { useCancelAppointment } from './use-cancel-appointment';
import { useCancellationStatus } from './use-cancellation-status';
import { useChargeCountdown, type ChargeCountdown } from './use-charge-countdown';
import { useOnlineStatus } from './use-online-status';
import { useServerClock } from './use-server-clock';

/** Something to tell the patient above the buttons while the form stays. */
export type FormNotice =
  | 'acknowledgement_required'
  | 'network_error'
  | 'upstream_error'
  | 'rate_limited'
  | 'invalid_request'
  | 'unexpected'
  | 'not_cancelled';

export type CancelFlowView =
  | { readonly kind: 'loading' }
  | { readonly kind: 'load_error' }
  | { readonly kind: 'session_expired' }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'not_cancellable' }
  | { readonly kind: 'already_cancelled'; readonly cancellation: CancellationView | null }
  | { readonly kind: 'pending_confirmation' }
  | { readonly kind: 'success'; readonly result: CancelledResult }
  | { readonly kind: 'form'; readonly notice: FormNotice | null };

/** Statuses in which Heim still accepts a cancel; anything else (completed, unknown) is final. */
const CANCELLABLE_STATUSES: readonly string[] = ['scheduling', 'scheduled'];

const rank = (state: ChargeState) => CHARGE_STATES.indexOf(state);

function noticeFor(error: CancelApiError): FormNotice {
  if (error.code === 'charge_acknowledgement_required') return 'acknowledgement_required';
  if (error.code === 'network_error') return 'network_error';
  if (error.code === 'rate_limited') return 'rate_limited';
  if (error.code === 'invalid_request') return 'invalid_request';
  if (isRetryableError(error)) return 'upstream_error';
  return 'unexpected';
}

export interface CancelFlow {
  readonly view: CancelFlowView;
  readonly data: AppointmentResponse | undefined;
  /** The charge countdown, with the state raised to what the proxy last insisted on. */
  readonly charge: ChargeCountdown;
  readonly serverNow: () => number;
  readonly online: boolean;
  readonly isSubmitting: boolean;
  /** Sends the cancel; ignored while one is in flight. */
  readonly submit: (body: CancelRequestBody) => void;
  /** The answers last sent, to refill the form if it comes back. */
  readonly submittedBody: CancelRequestBody | null;
  /** Sends the last body again, with the same Idempotency-Key. */
  readonly retry: () => void;
  readonly reloadAppointment: () => void;
}

export function useCancelFlow(appointmentId: string, onConfirmed: (result: CancelledResult) => void): CancelFlow {
  const query = useAppointment(appointmentId);
  const mutation = useCancelAppointment(appointmentId);
  const isPendingConfirmation = mutation.data?.status === 'pending_confirmation';
  const poll = useCancellationStatus(appointmentId, { enabled: isPendingConfirmation });
  const serverNow = useServerClock();
  const online = useOnlineStatus();
  const data = query.data;

  const eta = data?.appointment.estimatedTimeOfArrival ?? null;
  const countdown = useChargeCountdown({
    etaMs: eta === null ? null : Date.parse(eta),
    windowHours: data?.charge.windowHours ?? 24,
    serverNow,
  });
  // The proxy's word beats our clock: a state it reported (on the read or in a 409) only ever
  // moves forward in time, so the later of the two is the true one.
  const [insisted, setInsisted] = useState<Charge | null>(null);
  let state = countdown.state;
  for (const reported of [data?.charge.state, insisted?.state]) {
    if (reported !== undefined && state !== 'no_eta' && rank(reported) > rank(state)) state = reported;
  }
  const charge: ChargeCountdown = { ...countdown, state, targetMs: state === countdown.state ? countdown.targetMs : null };

  const [notice, setNotice] = useState<FormNotice | null>(null);
  const inFlight = useRef(false);
  // What the patient was shown when confirming: the charge to report if Heim confirms only later.
  const submittedCharge = useRef<Charge | null>(null);
  // Their answers outlive the request, so a form that comes back (not_cancelled) is not blank.
  const [submittedBody, setSubmittedBody] = useState<CancelRequestBody | null>(null);
  const chargeNow: Charge | null = data === undefined ? null : { ...data.charge, state };

  const submit = useCallback(
    (body: CancelRequestBody) => {
      if (inFlight.current) return;
      inFlight.current = true;
      submittedCharge.current = chargeNow;
      setSubmittedBody(body);
      setNotice(null);
      mutation.mutate(body, {
        onError: (error) => {
          if (isCancelApiError(error) && error.code === 'charge_acknowledgement_required' && error.charge) {
            setInsisted(error.charge);
          }
          if (isCancelApiError(error)) setNotice(noticeFor(error));
        },
        onSettled: (_data, error) => {
          // Only a failure re-opens the door: after a final or pending answer this dialog never
          // sends again (the not_cancelled reconciliation below re-opens it explicitly).
          if (error !== null) inFlight.current = false;
        },
      });
    },
    [mutation, chargeNow],
  );
  const lastBody = mutation.variables;
  const retry = useCallback(() => {
    if (lastBody !== undefined) submit(lastBody);
  }, [lastBody, submit]);

  // After a 202 the proxy reconciles; if Heim did not cancel after all, the form comes back.
  const pollStatus = poll.data?.status;
  const resetMutation = mutation.reset;
  useEffect(() => {
    if (isPendingConfirmation && pollStatus === 'not_cancelled') {
      resetMutation();
      inFlight.current = false;
      setNotice('not_cancelled');
    }
  }, [isPendingConfirmation, pollStatus, resetMutation]);

  let view: CancelFlowView;
  const error = mutation.error;
  const queryErrorCode = isCancelApiError(query.error) ? query.error.code : null;
  if (mutation.data?.status === 'cancelled') {
    view = {
      kind: 'success',
      result: { appointmentId, cancellation: mutation.data.cancellation, charge: mutation.data.charge },
    };
  } else if (isPendingConfirmation) {
    view =
      poll.data?.status === 'cancelled'
        ? { kind: 'success', result: { appointmentId, cancellation: poll.data.cancellation, charge: submittedCharge.current } }
        : { kind: 'pending_confirmation' };
  } else if (error?.code === 'already_cancelled') {
    view = { kind: 'already_cancelled', cancellation: error.cancellation ?? data?.cancellation ?? null };
  } else if (error?.code === 'not_cancellable') {
    view = { kind: 'not_cancellable' };
  } else if (error?.code === 'unauthenticated' || queryErrorCode === 'unauthenticated') {
    view = { kind: 'session_expired' };
  } else if (error?.code === 'not_found' || (data === undefined && queryErrorCode === 'not_found')) {
    view = { kind: 'not_found' };
  } else if (data === undefined) {
    view = query.isError ? { kind: 'load_error' } : { kind: 'loading' };
  } else if (data.appointment.status === 'cancelled' || data.cancellation !== null) {
    view = { kind: 'already_cancelled', cancellation: data.cancellation };
  } else if (!CANCELLABLE_STATUSES.includes(data.appointment.status)) {
    view = { kind: 'not_cancellable' };
  } else {
    view = { kind: 'form', notice };
  }

  // Report a confirmed cancellation exactly once, however many renders show it.
  const reported = useRef(false);
  const successResult = view.kind === 'success' ? view.result : null;
  useEffect(() => {
    if (successResult !== null && !reported.current) {
      reported.current = true;
      onConfirmed(successResult);
    }
  }, [successResult, onConfirmed]);

  const refetch = query.refetch;
  return {
    view,
    data,
    charge,
    serverNow,
    online,
    isSubmitting: mutation.isPending,
    submittedBody,
    submit,
    retry,
    reloadAppointment: useCallback(() => void refetch(), [refetch]),
  };
}
