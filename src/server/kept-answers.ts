/**
 * The answers kept for Idempotency-Keys (idempotency-store.ts): how they are made, which of them
 * are final, and how a kept one follows what Heim now holds of its cancellation.
 */
import { chargeAtRecording, type Charge } from '../core/charge';
import type { CancellationView } from '../core/schemas';
import { ERROR_CODES, type ErrorCode } from '../core/errors';
import type { StoredAnswer } from './idempotency-store';
import { errorBody, type ErrorDetails } from './responses';

const FINAL_ERROR_CODES: ReadonlySet<string> = new Set(['already_cancelled', 'not_cancellable']);

export function answer(status: number, body: unknown): StoredAnswer {
  return { status, body };
}

export function errorAnswer(code: ErrorCode, details: Omit<ErrorDetails, 'headers'> = {}): StoredAnswer {
  return answer(ERROR_CODES[code].status, errorBody(code, details));
}

/** Whether a retry with the same key gets this answer again instead of a new run. */
export function isFinal(stored: StoredAnswer): boolean {
  if (stored.status === 200) return true;
  const error = (stored.body as { error?: { code?: string; cancellation?: unknown } }).error;
  // An `already_cancelled` that could not include the cancellation (Heim's read failed) is not
  // kept: the contract's 409 carries it, so a retry with the key reads it again.
  if (error?.code === 'already_cancelled' && error.cancellation === undefined) return false;
  return error?.code !== undefined && FINAL_ERROR_CODES.has(error.code);
}

/** The cancellation a kept answer carries (a 200's, or a 409 `already_cancelled`'s), if any. */
export function keptCancellation(stored: StoredAnswer): CancellationView | undefined {
  const body = stored.body as { cancellation?: CancellationView; error?: { cancellation?: CancellationView } };
  return body.cancellation ?? body.error?.cancellation;
}

/** The charge a kept 200 told, if it is one. */
export function keptCharge(stored: StoredAnswer): Charge | undefined {
  return (stored.body as { charge?: Charge }).charge;
}

const AMENDABLE_FIELDS = ['reasonCode', 'causingEntity', 'cancellingEntity'] as const;

/** The fields Heim now gives differently. A field Heim's answer leaves out is not a change. */
export function amendedFields(before: CancellationView, after: CancellationView): (typeof AMENDABLE_FIELDS)[number][] {
  return AMENDABLE_FIELDS.filter((field) => after[field] !== null && after[field] !== before[field]);
}

/**
 * A kept answer with the cancellation as Heim now holds it (amended by Heim Operations, say). What
 * Heim's newer answer leaves out keeps its earlier value (for our own cancel: what we sent). A 200
 * told without Heim's `createdAt` read its charge at the latest instant Heim could have recorded
 * the cancel; once Heim gives the instant, the charge is read there (`chargeAtRecording`, as the
 * 200 would have been and as the widget reads a poll's answer): else a retry with the key says
 * "may be charged" beside a `createdAt` at which the visit was free.
 */
export function withCancellation(stored: StoredAnswer, view: CancellationView): StoredAnswer {
  const before = keptCancellation(stored);
  if (!before) return stored;
  const merged = { ...before };
  for (const [field, value] of Object.entries(view) as [keyof CancellationView, string | null][]) {
    if (value !== null) merged[field] = value;
  }
  const body = stored.body as { cancellation?: unknown; error?: { cancellation?: unknown } };
  if (body.cancellation !== undefined) {
    const charge = keptCharge(stored);
    const reread = charge && merged.createdAt ? { charge: chargeAtRecording(charge, Date.parse(merged.createdAt)) } : {};
    return answer(stored.status, { ...body, cancellation: merged, ...reread });
  }
  return answer(stored.status, { ...body, error: { ...body.error, cancellation: merged } });
}
