/**
 * The widget's analytics events (`onEvent`). They say what the patient did and how it ended, with
 * only the ids and codes an organisation needs to measure the flow: never the note, the patient's
 * name or address, the service, or anything else Heim holds about the visit. Each event is built
 * here field by field, so no caller can pass more through by accident. This file loads with the
 * dialog's code: a page that only shows the button pays for none of it.
 */
import type { ChargeState, ReasonCode } from '../core/index';
import type { CancelApiErrorCode } from './api-client';

export type CancelAppointmentEventType = 'opened' | 'reason_chosen' | 'submitted' | 'cancelled' | 'failed';

/** One step of a cancellation, for analytics. Holds no patient data; see `onEvent`. */
export interface CancelAppointmentEvent {
  /**
   * - `opened`: the dialog opened.
   * - `reason_chosen`: the patient chose a reason (each change).
   * - `submitted`: a cancel request was sent (a retry, and the widget's own re-send that asks
   *   whether an unanswered request went through, are each one more).
   * - `cancelled`: the cancellation is confirmed; once per cancellation, like `onCancelled`.
   * - `failed`: a cancel request ended in an error answer or no answer. A 202 "pending
   *   confirmation" is not a failure: it ends in `cancelled` once Heim confirms it.
   */
  readonly type: CancelAppointmentEventType;
  readonly appointmentId: string;
  /** The reason chosen or sent; null before the patient has chosen one (`opened`). */
  readonly reasonCode: ReasonCode | null;
  /** The charge state the patient was shown at that moment; null while it is not known yet. */
  readonly chargeState: ChargeState | null;
  /**
   * Only on `failed`: the proxy's error code (bff-api.md), `network_error` when no answer came, or
   * `invalid_response` when the answer could not be read.
   */
  readonly errorCode?: CancelApiErrorCode;
}

export type CancelAppointmentEventHandler = (event: CancelAppointmentEvent) => void;

/** Builds an event from exactly the allowed fields. */
export function cancelAppointmentEvent(
  type: CancelAppointmentEventType,
  appointmentId: string,
  reasonCode: ReasonCode | null,
  chargeState: ChargeState | null,
  errorCode?: CancelApiErrorCode,
): CancelAppointmentEvent {
  const event = { type, appointmentId, reasonCode, chargeState };
  return Object.freeze(type === 'failed' && errorCode !== undefined ? { ...event, errorCode } : event);
}

let reportedThrow = false;

/**
 * Calls the portal's handler. Analytics must never break a cancellation, so a handler that throws
 * is ignored; the first throw is logged (once per page) so the portal's developers can see it.
 */
export function reportEventSafely(handler: CancelAppointmentEventHandler | undefined, event: CancelAppointmentEvent): void {
  if (handler === undefined) return;
  try {
    handler(event);
  } catch (error) {
    if (reportedThrow) return;
    reportedThrow = true;
    console.error('heim-cancel: onEvent threw; the widget ignored it and carried on.', error);
  }
}
