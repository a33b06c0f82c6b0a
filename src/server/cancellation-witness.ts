/**
 * Reading Heim's evidence of a cancellation: where it shows one, whether it answered that it has
 * none, and whether the one it holds is the cancel our POST asked for.
 */
import { HEIM_CLOCK_SLACK_MS, type HeimAppointment, type HeimCancellation } from './heim-assumptions';
import type { HeimCancelBody, HeimOutcome } from './heim-client';

/**
 * What Heim shows of a cancellation: the cancellation GET (an assumed route), else one embedded in
 * the appointment (heim-api.md says it may be). Null when neither shows one.
 */
export function witnessOf(read: HeimOutcome<HeimCancellation>, appointment: HeimAppointment | null): HeimCancellation | null {
  if (read.kind === 'ok') return read.value;
  return appointment?.cancellation ?? null;
}

/**
 * Whether the cancellation GET gave Heim's own answer that it has no readable cancellation (a 404,
 * or a 2xx with none of the guide's fields), rather than failing. With the appointment reading
 * cancelled, that is a cancellation whose details Heim's API does not give us (the route may not
 * exist), not one still to come.
 */
export function answeredWithout(read: HeimOutcome<HeimCancellation>): boolean {
  return read.kind === 'not_found' || read.kind === 'malformed';
}

/**
 * Whether the cancellation Heim holds is the one our POST (sent at `since`) asked for, not
 * someone else's. As created, by its fields: ours says the patient cancelled, for our reason.
 * Once Heim Operations amended it (`updatedAt` after `createdAt`), the fields may be theirs (the
 * guide: they re-check exactly "the cancelling entity and reasons"), so by when Heim recorded it:
 * not before our POST. The appointment read cancellable under the lock just before it, and a
 * lost POST may land up to a day later (LOST_ANSWER_GRACE_MS), so there is no upper bound.
 * Without both timestamps an amendment cannot be told, and the fields decide.
 */
export function isOurCancellation(cancellation: HeimCancellation, since: number, sent: HeimCancelBody): boolean {
  const createdAt = cancellation.createdAt ? Date.parse(cancellation.createdAt) : null;
  const updatedAt = cancellation.updatedAt ? Date.parse(cancellation.updatedAt) : null;
  if (createdAt !== null && updatedAt !== null && updatedAt > createdAt) return createdAt >= since - HEIM_CLOCK_SLACK_MS;
  return (cancellation.cancellingEntity ?? 'patient') === 'patient' && (cancellation.reasonCode ?? sent.reasonCode) === sent.reasonCode;
}
