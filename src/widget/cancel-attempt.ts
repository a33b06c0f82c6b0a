/**
 * The widget's memory of the patient's cancel attempts for one appointment, kept in the
 * react-query cache (`cancelAppointmentKeys.attempt(id)`) rather than in the dialog: closing and
 * reopening the dialog, or a second widget for the same appointment, must see the same attempt.
 * Otherwise a reopened dialog would offer the form again while an earlier request may still land,
 * or send the same answers with a new Idempotency-Key.
 *
 * Everything here is a plain function over an immutable record; writes go through
 * `queryClient.setQueryData`, so every observer re-renders. The record is never fetched.
 */
import { skipToken, useQuery, type QueryClient } from '@tanstack/react-query';
import { chargeAtRecording, HEIM_CLOCK_SLACK_MS } from '../core/index';
import type { CancellationStatusResponse, CancellationView, CancelRequestBody, CancelResponse, Charge } from '../core/index';
import { isCancelApiError, isRetryableError } from './api-client';
import type { CancelledResult } from './cancel-appointment-context';
import { createIdempotencyKey } from './idempotency-key';
import { cancelAppointmentKeys } from './query-options';

/** One request as sent: the key and the body that belong together. */
export interface SentCancel {
  readonly key: string;
  readonly body: CancelRequestBody;
}

/** The send the proxy answered 202 for: Heim may still show it, so it is polled, never re-posted. */
export interface PendingCancel extends SentCancel {
  /**
   * When the proxy answered 202 (epoch ms): poll answers received before it belong to an earlier
   * attempt, or were read while this one was still out.
   */
  readonly since: number;
}

export interface CancelAttempt {
  /** Idempotency-Key per set of answers: the same answers always go with the same key. */
  readonly keys: Readonly<Record<string, string>>;
  /** The last request sent, to refill a form that comes back. */
  readonly lastSent: SentCancel | null;
  /** Sends we got no usable answer to (no answer, 5xx): each may have cancelled the appointment. */
  readonly unresolved: readonly SentCancel[];
  readonly pending: PendingCancel | null;
  /** The proxy said the pending attempt cancelled nothing (`not_cancelled`): the patient may try again. */
  readonly notCancelled: boolean;
  /**
   * The charge the patient was shown when they last confirmed: if Heim confirms only later (the
   * poll), it is reported as it stands when Heim recorded the cancel.
   */
  readonly shownCharge: Charge | null;
  /** Our own cancellation, once the proxy confirmed it (200, or the poll). */
  readonly confirmed: CancelledResult | null;
  /** Whether `onCancelled` was called for `confirmed`: it is called once, whichever widget sees it. */
  readonly reported: boolean;
}

export const EMPTY_ATTEMPT: CancelAttempt = {
  keys: {},
  lastSent: null,
  unresolved: [],
  pending: null,
  notCancelled: false,
  shownCharge: null,
  confirmed: null,
  reported: false,
};

/** The answers that define one request; different answers are a different request (and key). */
export function fingerprint(body: CancelRequestBody): string {
  return JSON.stringify([body.reasonCode, body.note ?? '', body.acknowledgeCharge === true]);
}

export function readAttempt(queryClient: QueryClient, appointmentId: string): CancelAttempt {
  return queryClient.getQueryData<CancelAttempt>(cancelAppointmentKeys.attempt(appointmentId)) ?? EMPTY_ATTEMPT;
}

export function updateAttempt(
  queryClient: QueryClient,
  appointmentId: string,
  change: (attempt: CancelAttempt) => CancelAttempt,
): CancelAttempt {
  const next = change(readAttempt(queryClient, appointmentId));
  queryClient.setQueryData<CancelAttempt>(cancelAppointmentKeys.attempt(appointmentId), next);
  return next;
}

/** The key for these answers: the one used before for the same answers, else a new one (remembered). */
export function keyFor(queryClient: QueryClient, appointmentId: string, body: CancelRequestBody): string {
  const print = fingerprint(body);
  const known = readAttempt(queryClient, appointmentId).keys[print];
  if (known !== undefined) return known;
  const key = createIdempotencyKey();
  updateAttempt(queryClient, appointmentId, (attempt) => ({ ...attempt, keys: { ...attempt.keys, [print]: key } }));
  return key;
}

/**
 * Atomically claims the one report of a confirmed cancellation. True for exactly one caller, so
 * `onCancelled` fires once however many widgets, effects (StrictMode) or reopenings see it.
 */
export function claimReport(queryClient: QueryClient, appointmentId: string): CancelledResult | null {
  const attempt = readAttempt(queryClient, appointmentId);
  if (attempt.confirmed === null || attempt.reported) return null;
  updateAttempt(queryClient, appointmentId, (current) => ({ ...current, reported: true }));
  return attempt.confirmed;
}

const withoutKey = (list: readonly SentCancel[], key: string) => list.filter((sent) => sent.key !== key);
const withKey = (list: readonly SentCancel[], sent: SentCancel) => [...withoutKey(list, sent.key), sent];

export function recordSent(attempt: CancelAttempt, sent: SentCancel): CancelAttempt {
  return { ...attempt, lastSent: sent, notCancelled: false };
}

export function recordResponse(
  attempt: CancelAttempt,
  appointmentId: string,
  sent: SentCancel,
  answeredAt: number,
  response: CancelResponse,
): CancelAttempt {
  if (response.status === 'cancelled') {
    // The appointment is cancelled, by this request: no other attempt can still change anything.
    const result = { appointmentId, cancellation: response.cancellation, charge: response.charge };
    return { ...attempt, confirmed: result, pending: null, unresolved: [] };
  }
  return { ...attempt, pending: { ...sent, since: answeredAt }, unresolved: withoutKey(attempt.unresolved, sent.key) };
}

/** Answers that say nothing about what this key did: no answer, or a server failure. */
export function isUnknownOutcome(error: unknown): boolean {
  if (!isCancelApiError(error)) return true;
  if (isRetryableError(error)) return true;
  // An unreadable answer is only a refusal when its status says so.
  return error.code === 'invalid_response' && (error.status < 400 || error.status >= 500);
}

/**
 * Answers from the proxy having processed this key (validated it, looked at the appointment), so
 * the key is settled: nothing it could still do. Refusals at the door (401, 403, 413, 415, 429)
 * are not: they tell nothing about an earlier send of the same key.
 */
function settlesKey(error: unknown): boolean {
  if (!isCancelApiError(error)) return false;
  return error.status === 400 || error.status === 404 || error.status === 409 || error.status === 422;
}

export function recordError(attempt: CancelAttempt, sent: SentCancel, error: unknown): CancelAttempt {
  if (isUnknownOutcome(error)) return { ...attempt, unresolved: withKey(attempt.unresolved, sent) };
  if (settlesKey(error)) return { ...attempt, unresolved: withoutKey(attempt.unresolved, sent.key) };
  return attempt;
}

/**
 * Whether a cancellation Heim shows is visibly the one the pending request asked for. The proxy
 * judges more (an amendment by Heim Operations, by when Heim recorded it); when this says no, the
 * same key is sent again and the proxy's answer to it decides (`recordPollAnswer`).
 */
function isOurs(
  status: CancellationStatusResponse,
  pending: PendingCancel,
): status is CancellationStatusResponse & { cancellation: CancellationView } {
  const cancellation = status.cancellation;
  return cancellation !== null && cancellation.cancellingEntity === 'patient' && cancellation.reasonCode === pending.body.reasonCode;
}

/**
 * The charge for our cancel as Heim recorded it: what the patient was shown, moved on to Heim's
 * `createdAt` (a lost answer can land after the window opened, as the proxy's 200 would say).
 * Without Heim's time, the latest instant it can have recorded it: now (the proxy's clock), plus
 * Heim's clock slack, so "may be charged" is said in doubt, never "free".
 */
function chargeAsRecorded(shown: Charge | null, cancellation: CancellationView, nowMs: number): Charge | null {
  if (shown === null) return null;
  const createdAt = Date.parse(cancellation.createdAt ?? '');
  return chargeAtRecording(shown, Number.isNaN(createdAt) ? nowMs + HEIM_CLOCK_SLACK_MS : createdAt);
}

/**
 * Applies a final poll answer (`cancelled` / `not_cancelled`) to the pending attempt. `nowMs`: the
 * proxy's time now (the server clock), for a cancellation whose recording time Heim does not give.
 */
export function recordPollAnswer(
  attempt: CancelAttempt,
  appointmentId: string,
  status: CancellationStatusResponse,
  nowMs: number,
): CancelAttempt {
  const pending = attempt.pending;
  if (pending === null || status.status === 'pending_confirmation') return attempt;
  if (status.status === 'not_cancelled') return { ...attempt, pending: null, notCancelled: true };
  if (isOurs(status, pending)) {
    const charge = chargeAsRecorded(attempt.shownCharge, status.cancellation, nowMs);
    const result = { appointmentId, cancellation: status.cancellation, charge };
    return { ...attempt, confirmed: result, pending: null, unresolved: [] };
  }
  // Cancelled, but not visibly by us: the same key, sent again, makes the proxy say whose it is.
  return { ...attempt, pending: null, unresolved: withKey(attempt.unresolved, { key: pending.key, body: pending.body }) };
}

/**
 * The attempt record for an appointment, re-rendering on every change. Observing it also keeps it
 * in the cache for as long as the page lives (gcTime Infinity); it is never fetched (skipToken),
 * so a portal's `invalidateQueries` leaves it alone.
 */
export function useCancelAttempt(appointmentId: string, queryClient: QueryClient): CancelAttempt {
  const { data } = useQuery<CancelAttempt>(
    {
      queryKey: cancelAppointmentKeys.attempt(appointmentId),
      queryFn: skipToken,
      staleTime: Infinity,
      gcTime: Infinity,
    },
    queryClient,
  );
  return data ?? EMPTY_ATTEMPT;
}
