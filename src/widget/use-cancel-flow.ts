/**
 * The dialog's state machine: wires the appointment read, the cancel request and the attempt
 * record (shared across openings, see cancel-attempt.ts) into the one screen the patient sees
 * (decided in cancel-flow-view.ts), and resolves requests whose answer was lost.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { laterChargeState } from '../core/index';
import type { AppointmentResponse, CancelRequestBody, Charge, ChargeState, ReasonCode } from '../core/index';
import { isCancelApiError } from './api-client';
import { cancelAppointmentEvent } from './cancel-appointment-events';
import { updateAttempt, useCancelAttempt } from './cancel-attempt';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { decideView, fieldIssuesOf, readsCancelled, type CancelFlowView, type FormNotice } from './cancel-flow-view';
import { cancelAppointmentKeys } from './query-options';
import { useAppointment } from './use-appointment';
import { useCancelAppointment } from './use-cancel-appointment';
import { useChargeCountdown, type ChargeCountdown } from './use-charge-countdown';
import { useOnlineStatus } from './use-online-status';
import { useServerClock } from './use-server-clock';

export type { CancelFlowView, FormNotice } from './cancel-flow-view';

export interface CancelFlow {
  readonly view: CancelFlowView;
  readonly data: AppointmentResponse | undefined;
  /** The charge countdown, with the state raised to what the proxy last insisted on. */
  readonly charge: ChargeCountdown;
  /** A change of the charge state now is told by a refusal's notice, so it is not announced again. */
  readonly chargeChangeTold: boolean;
  /** Changes with each refusal, so its notice is announced even when its text is the same as before. */
  readonly noticeKey: number;
  readonly serverNow: () => number;
  readonly online: boolean;
  readonly isSubmitting: boolean;
  /** Sends the cancel; ignored while one is in flight. */
  readonly submit: (body: CancelRequestBody) => void;
  /** The answers to refill the form with when it comes back (last sent, or from an unresolved attempt). */
  readonly submittedBody: CancelRequestBody | null;
  /** Sends the unresolved request again, with the same Idempotency-Key. */
  readonly retry: () => void;
  /** Tells the flow the patient chose a reason (reported as `reason_chosen`). */
  readonly chooseReason: (reasonCode: ReasonCode) => void;
  readonly reloadAppointment: () => void;
}

export function useCancelFlow(appointmentId: string): CancelFlow {
  const { queryClient, onEvent, clock } = useCancelAppointmentContext('CancelAppointmentDialog');
  const query = useAppointment(appointmentId);
  const mutation = useCancelAppointment(appointmentId);
  const attempt = useCancelAttempt(appointmentId, queryClient);
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
  const [insistedOn, setInsisted] = useState<{ charge: Charge; readAt: number } | null>(null);
  // ...until a read newer than it gives another ETA (Heim moved the visit again): then the 409 is
  // out of date and the read's own state stands, later or earlier. Reads from before the 409 (the
  // proxy often sees a moved ETA first) do not end it.
  const insisted =
    insistedOn !== null && (query.dataUpdatedAt === insistedOn.readAt || insistedOn.charge.chargeableFrom === data?.charge.chargeableFrom)
      ? insistedOn.charge
      : null;
  const state = laterChargeState(laterChargeState(countdown.state, data?.charge.state), insisted?.state);
  // Raised ahead of our clock, the countdown still counts to the next transition of the raised
  // state: to the ETA once chargeable ("the practitioner is due in…"), the 409's own while it is
  // newer than the read's.
  const raisedEtaMs =
    insisted?.chargeableFrom != null
      ? Date.parse(insisted.chargeableFrom) + insisted.windowHours * 3_600_000
      : eta === null
        ? null
        : Date.parse(eta);
  const targetMs = state === countdown.state ? countdown.targetMs : state === 'chargeable' ? raisedEtaMs : null;
  const charge: ChargeCountdown = { ...countdown, state, targetMs };
  const chargeNow: Charge | null = data === undefined ? null : { ...(insisted ?? data.charge), state };
  // Events carry the state the patient is looking at when they happen, read by callbacks that
  // outlive this render (a request's answer).
  const shownChargeState = useRef<ChargeState | null>(null);
  shownChargeState.current = data === undefined ? null : state;

  const inFlight = useRef(false);
  // A form that comes back (not cancelled, or reopened after a lost answer) is not blank.
  const [submittedBody, setSubmittedBody] = useState<CancelRequestBody | null>(() =>
    attempt.unresolved.length > 0 || attempt.notCancelled ? (attempt.lastSent?.body ?? null) : null,
  );

  const mutate = mutation.mutate;
  const send = useCallback(
    (body: CancelRequestBody) => {
      if (inFlight.current) return;
      inFlight.current = true;
      onEvent?.(cancelAppointmentEvent('submitted', appointmentId, body.reasonCode, shownChargeState.current));
      mutate(body, {
        onError: (error) => {
          if (isCancelApiError(error) && error.code === 'charge_acknowledgement_required' && error.charge) {
            // The read the 409 came after, as the cache has it now (a render may not have seen it yet).
            const readAt = queryClient.getQueryState(cancelAppointmentKeys.appointment(appointmentId))?.dataUpdatedAt ?? 0;
            setInsisted({ charge: error.charge, readAt });
          }
          // The proxy's word on the charge is the newest there is.
          const chargeState = (isCancelApiError(error) ? error.charge?.state : undefined) ?? shownChargeState.current;
          // The mutation turns every failure into a CancelApiError; `network_error` is the fallback code.
          const code = isCancelApiError(error) ? error.code : 'network_error';
          onEvent?.(cancelAppointmentEvent('failed', appointmentId, body.reasonCode, chargeState, code));
        },
        onSettled: () => {
          inFlight.current = false;
        },
      });
    },
    [mutate, onEvent, appointmentId, queryClient],
  );

  const chooseReason = useCallback(
    (reasonCode: ReasonCode) =>
      onEvent?.(cancelAppointmentEvent('reason_chosen', appointmentId, reasonCode, shownChargeState.current)),
    [onEvent, appointmentId],
  );

  const submit = useCallback(
    (body: CancelRequestBody) => {
      if (inFlight.current) return;
      // What the patient was shown when confirming: the charge to report if Heim confirms only later.
      updateAttempt(queryClient, appointmentId, (current) => ({ ...current, shownCharge: chargeNow }));
      setSubmittedBody(body);
      send(body);
    },
    [queryClient, appointmentId, chargeNow, send],
  );

  const lastUnresolved = attempt.unresolved.at(-1);
  const lastVariables = mutation.variables;
  const retry = useCallback(() => {
    // The request that may have gone through, exactly as it was: same body, so the same key.
    const body = lastUnresolved?.body ?? lastVariables;
    if (body !== undefined) send(body);
  }, [lastUnresolved, lastVariables, send]);

  // A request of ours got no answer and the appointment now reads cancelled: the same key, sent
  // again, makes the proxy say whether it was ours (200 from its record) or someone else's (409).
  // Once per request automatically; after that the patient decides (the "unconfirmed" screen).
  const tried = useRef(new Set<string>());
  const error = mutation.error;
  const toResolve = attempt.unresolved.find((sent) => !tried.current.has(sent.key));
  const isSubmitting = mutation.isPending;
  // A change of charge state while a cancel is out, or to the state a refusal (409) named, is told
  // by that refusal's alert: the polite "charges may now apply" would say it a second time. (The
  // refusal and the appointment re-read that follows it may land in either order.)
  const chargeChangeTold = isSubmitting || insisted?.state === state;
  const mayResolve = readsCancelled(error, data) && attempt.pending === null && attempt.confirmed === null;
  useEffect(() => {
    if (!mayResolve || toResolve === undefined || isSubmitting || inFlight.current) return;
    tried.current.add(toResolve.key);
    send(toResolve.body);
  }, [mayResolve, toResolve, isSubmitting, send]);

  const fieldIssues = useMemo(() => fieldIssuesOf(error), [error]);
  const decided = decideView({
    attempt,
    error,
    fieldIssues,
    isSubmitting,
    resolveTried: toResolve === undefined,
    data,
    queryErrorCode: isCancelApiError(query.error) ? query.error.code : null,
    queryIsError: query.isError,
  });
  // While "Try again" sends, the notice it answers stays as it was: swapping it for another text
  // (an unresolved request reads "unconfirmed" while in flight) would replay the alert mid-send.
  const heldNotice = useRef<FormNotice | null>(null);
  // Counts refusals: each one's notice is a new node in the alert, so the same text is spoken again
  // when a retry fails the same way (an unchanged alert says nothing).
  const refusals = useRef<{ error: unknown; count: number }>({ error: null, count: 0 });
  if (error !== null && error !== refusals.current.error) refusals.current = { error, count: refusals.current.count + 1 };
  let view = decided;
  if (decided.kind === 'form') {
    if (isSubmitting && heldNotice.current !== null) view = { ...decided, notice: heldNotice.current };
    else heldNotice.current = decided.notice;
  }

  const refetch = query.refetch;
  // The device's clocks disagree (it slept, or its clock was changed): read the proxy's time now
  // rather than at the next 30 s read. `serverNow` changes identity when the clock says so.
  useEffect(() => {
    if (clock.needsSample()) void refetch();
  }, [serverNow, clock, refetch]);
  return {
    view,
    data,
    charge,
    chargeChangeTold,
    noticeKey: refusals.current.count,
    serverNow,
    online,
    isSubmitting,
    submittedBody,
    submit,
    retry,
    chooseReason,
    reloadAppointment: useCallback(() => void refetch(), [refetch]),
  };
}
