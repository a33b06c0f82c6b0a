/**
 * Which single screen the patient sees, decided from everything known: the attempt record (shared
 * across openings), this dialog's last request, and the appointment as last read. Pure, so every
 * rule of "what wins" lives in one place and reads top to bottom.
 *
 * The one rule behind the order: the patient is never told "failed" or "not cancelled" unless the
 * proxy said so (`not_cancelled`, or a definite 4xx), and never "already cancelled" for what may be
 * their own cancellation whose answer was lost.
 */
import type { AppointmentResponse, CancellationView, ErrorIssue } from '../core/index';
import { isRetryableError, type CancelApiError } from './api-client';
import { isUnknownOutcome, type CancelAttempt } from './cancel-attempt';
import type { CancelledResult } from './cancel-appointment-context';

/** Something to tell the patient above the buttons while the form stays. */
export type FormNotice =
  | 'acknowledgement_required'
  | 'network_error'
  | 'upstream_error'
  /** An earlier request got no answer: it may have cancelled, trying again is safe. */
  | 'unconfirmed'
  | 'rate_limited'
  | 'invalid_request'
  | 'unexpected'
  | 'not_cancelled';

/** Notices after which sending the same request again (same key) is the way forward. */
export const RETRYABLE_NOTICES: ReadonlySet<FormNotice> = new Set(['network_error', 'upstream_error', 'unconfirmed']);

export type CancelFlowView =
  | { readonly kind: 'loading' }
  | { readonly kind: 'load_error' }
  /** `unconfirmed`: an earlier request may have cancelled, so "nothing was cancelled" cannot be said. */
  | { readonly kind: 'session_expired'; readonly unconfirmed: boolean }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'not_cancellable' }
  | { readonly kind: 'already_cancelled'; readonly cancellation: CancellationView | null }
  /** The proxy could not confirm yet (202); `since` is when the request was sent (epoch ms). */
  | { readonly kind: 'pending_confirmation'; readonly since: number }
  /** The appointment reads cancelled and a request of ours is unresolved: asking the proxy whose it is. */
  | { readonly kind: 'checking' }
  /** As `checking`, but asking failed too: the patient may ask again. */
  | { readonly kind: 'unconfirmed' }
  | { readonly kind: 'success'; readonly result: CancelledResult }
  | {
      readonly kind: 'form';
      readonly notice: FormNotice | null;
      /** Problems the proxy found with particular fields, to show on those fields. */
      readonly fieldIssues: readonly ErrorIssue[] | null;
    };

/** Statuses in which Heim still accepts a cancel; anything else (completed, unknown) is final. */
const CANCELLABLE_STATUSES: readonly string[] = ['scheduling', 'scheduled'];

/** Fields of the form an `invalid_request` issue can point at. */
const FORM_FIELDS: ReadonlySet<string> = new Set(['note', 'reasonCode']);

export function fieldIssuesOf(error: CancelApiError | null): readonly ErrorIssue[] | null {
  if (error?.code !== 'invalid_request') return null;
  const issues = (error.issues ?? []).filter((issue) => FORM_FIELDS.has(issue.path));
  return issues.length === 0 ? null : issues;
}

export function noticeFor(error: CancelApiError, hasUnresolved: boolean): FormNotice | null {
  if (error.code === 'charge_acknowledgement_required') return 'acknowledgement_required';
  if (error.code === 'network_error') return 'network_error';
  if (error.code === 'rate_limited') return 'rate_limited';
  // Shown on the fields themselves (error summary) when the proxy said which.
  if (error.code === 'invalid_request') return fieldIssuesOf(error) === null ? 'invalid_request' : null;
  if (isRetryableError(error)) return 'upstream_error';
  if (isUnknownOutcome(error) || hasUnresolved) return 'unconfirmed';
  return 'unexpected';
}

export interface CancelFlowViewInput {
  readonly attempt: CancelAttempt;
  /** This dialog's last request's error, if it failed. */
  readonly error: CancelApiError | null;
  /**
   * `fieldIssuesOf(error)`, made once per error: the form treats a new array as a new refusal
   * (marks the fields, moves focus), so it must not change on every render.
   */
  readonly fieldIssues: readonly ErrorIssue[] | null;
  readonly isSubmitting: boolean;
  /** Whether every unresolved request has already been re-sent once to find out (automatically). */
  readonly resolveTried: boolean;
  readonly data: AppointmentResponse | undefined;
  readonly queryErrorCode: string | null;
  readonly queryIsError: boolean;
}

/** Whether the proxy now says the appointment is cancelled (by anyone): its 409, or a read. */
export function readsCancelled(error: CancelApiError | null, data: AppointmentResponse | undefined): boolean {
  if (error?.code === 'already_cancelled') return true;
  return data !== undefined && (data.appointment.status === 'cancelled' || data.cancellation !== null);
}

export function decideView(input: CancelFlowViewInput): CancelFlowView {
  const { attempt, error, data, queryErrorCode } = input;
  const hasUnresolved = attempt.unresolved.length > 0;
  const cancelled = readsCancelled(error, data);

  if (attempt.confirmed !== null) return { kind: 'success', result: attempt.confirmed };
  if (attempt.pending !== null) {
    // The checking goes on, but no answer will reach this page until the patient signs in again:
    // "this message will update" would not be true.
    if (queryErrorCode === 'unauthenticated') return { kind: 'session_expired', unconfirmed: true };
    return { kind: 'pending_confirmation', since: attempt.pending.since };
  }
  if (hasUnresolved && cancelled) {
    return input.isSubmitting || !input.resolveTried ? { kind: 'checking' } : { kind: 'unconfirmed' };
  }
  if (error?.code === 'already_cancelled') {
    return { kind: 'already_cancelled', cancellation: error.cancellation ?? data?.cancellation ?? null };
  }
  if (error?.code === 'not_cancellable') return { kind: 'not_cancellable' };
  if (error?.code === 'unauthenticated' || queryErrorCode === 'unauthenticated') {
    return { kind: 'session_expired', unconfirmed: hasUnresolved };
  }
  if (error?.code === 'not_found' || (data === undefined && queryErrorCode === 'not_found')) return { kind: 'not_found' };
  if (data === undefined) return input.queryIsError ? { kind: 'load_error' } : { kind: 'loading' };
  if (cancelled) return { kind: 'already_cancelled', cancellation: data.cancellation };
  if (!CANCELLABLE_STATUSES.includes(data.appointment.status)) return { kind: 'not_cancellable' };

  let notice: FormNotice | null = null;
  if (error !== null) notice = noticeFor(error, hasUnresolved);
  else if (attempt.notCancelled) notice = 'not_cancelled';
  else if (hasUnresolved) notice = 'unconfirmed';
  return { kind: 'form', notice, fieldIssues: input.fieldIssues };
}
