/**
 * The decisions behind the three appointment endpoints. The invariants live here: at most one
 * upstream cancel per appointment, never "cancelled" without Heim's 2xx or a confirming GET, and
 * never "failed" when Heim did cancel.
 */
import { computeCharge, requiresChargeAcknowledgement, type Charge } from '../core/charge';
import { composePatientNote } from '../core/note';
import { causingEntityFor, reasonsAvailableNow } from '../core/reasons';
import type { AppointmentResponse, CancelRequestBody, CancellationStatusResponse, CancellationView } from '../core/schemas';
import { ERROR_CODES, type ErrorCode } from '../core/errors';
import { assertOwnsAppointment } from './appointment-access';
import {
  CANCELLABLE_STATUSES,
  CANCELLED_STATUS,
  COMPLETED_STATUS,
  GATEWAY_GRACE_MS,
  HEIM_CLOCK_SLACK_MS,
  LOST_ANSWER_GRACE_MS,
  type HeimCancellation,
} from './heim-assumptions';
import type { HeimClient, HeimCancelBody } from './heim-client';
import { IdempotencyStore, requestFingerprint, type IdempotencyRecord, type StoredAnswer } from './idempotency-store';
import { KeyedMutex } from './keyed-mutex';
import type { Logger } from './logger';
import type { ResolvedOptions } from './options';
import { errorBody, type ErrorDetails } from './responses';
import { etaMs, toAppointmentView, toCancellationView } from './views';

export interface CancelCommand {
  patientId: string;
  appointmentId: string;
  idempotencyKey: string;
  body: CancelRequestBody;
}

interface PendingCancel {
  since: number;
  /** patient + key of the request whose answer was lost: a retry with it is told "cancelled". */
  scope: string;
  reasonCode: CancelRequestBody['reasonCode'];
  /** The ETA read before the POST: the charge is told from it when Heim shows the cancellation. */
  etaMs: number | null;
  acknowledgedCharge: boolean;
  /**
   * From when reads that agree nothing was cancelled may end the attempt as not cancelled. At once
   * when Heim itself answered an error (500, 429): that request is over at Heim. After
   * GATEWAY_GRACE_MS when a gateway answered 502/503/504 for it: Heim may still be carrying it out.
   * After LOST_ANSWER_GRACE_MS (a day) when the answer was lost (timeout, reset, unreadable 2xx):
   * until then only Heim showing the cancellation, or the visit reading completed, ends it.
   */
  settleableFrom: number;
}

const FINAL_ERROR_CODES: ReadonlySet<string> = new Set(['already_cancelled', 'not_cancellable']);

const RECONCILE_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
const RECONCILE_EVERY_MS = 5 * 60_000;
/** The background reads stop when a lost answer's attempt may end on a read (the patient's). */
const RECONCILE_GIVE_UP_MS = LOST_ANSWER_GRACE_MS;

function answer(status: number, body: unknown): StoredAnswer {
  return { status, body };
}

function errorAnswer(code: ErrorCode, details: Omit<ErrorDetails, 'headers'> = {}): StoredAnswer {
  return answer(ERROR_CODES[code].status, errorBody(code, details));
}

function isFinal(stored: StoredAnswer): boolean {
  if (stored.status === 200) return true;
  const error = (stored.body as { error?: { code?: string; cancellation?: unknown } }).error;
  // An `already_cancelled` that could not include the cancellation (Heim's read failed) is not
  // kept: the contract's 409 carries it, so a retry with the key reads it again.
  if (error?.code === 'already_cancelled' && error.cancellation === undefined) return false;
  return error?.code !== undefined && FINAL_ERROR_CODES.has(error.code);
}

/** A kept answer with the cancellation as Heim now holds it (amended by Heim Operations, say). */
function withCancellation(stored: StoredAnswer, view: CancellationView): StoredAnswer {
  const body = stored.body as { cancellation?: unknown; error?: { cancellation?: unknown } };
  if (body.cancellation !== undefined) return answer(stored.status, { ...body, cancellation: view });
  if (body.error?.cancellation !== undefined) return answer(stored.status, { ...body, error: { ...body.error, cancellation: view } });
  return stored;
}

export function createCancellationService(deps: { heim: HeimClient; options: ResolvedOptions; log: Logger }) {
  const { heim, options, log } = deps;
  const store = new IdempotencyStore({ now: options.now });
  const locks = new KeyedMutex();
  const pending = new Map<string, PendingCancel>();

  /**
   * The 200, with the charge as it stood when Heim recorded the cancel (its `createdAt`), not when
   * we sent it: a cancel sent a moment before the window opens can land after it.
   */
  const cancelledAnswer = (appointmentId: string, cancellation: HeimCancellation, eta: number | null, acknowledged: boolean) => {
    const charge: Charge = computeCharge(eta, options.chargeWindowHours, Date.parse(cancellation.createdAt));
    if (requiresChargeAcknowledgement(charge.state) && !acknowledged) {
      // Heim recorded it inside the window although the patient was told it was free (a gateway
      // held it past our margin, or Heim's clock runs far ahead): operations may want to waive it.
      log({
        level: 'warn',
        event: 'cancel.charge_not_acknowledged',
        appointmentId,
        recordedAt: new Date(Date.parse(cancellation.createdAt)).toISOString(),
        chargeableFrom: charge.chargeableFrom,
      });
    }
    return answer(200, { status: 'cancelled', cancellation: toCancellationView(cancellation), charge });
  };

  /** The cancellation Heim holds is the one our lost POST asked for (not someone else's). */
  const isOurs = (cancellation: HeimCancellation, reasonCode: CancelRequestBody['reasonCode']) =>
    cancellation.cancellingEntity === 'patient' && cancellation.reasonCode === reasonCode;

  /**
   * Heim now shows a cancellation for an appointment whose POST answer was lost. If it is ours,
   * the request that sent it gets its final answer, so a retry with its key is told "cancelled".
   */
  function settlePending(appointmentId: string, entry: PendingCancel, cancellation: HeimCancellation): StoredAnswer | null {
    forget(appointmentId, entry);
    const ours = isOurs(cancellation, entry.reasonCode);
    log({ level: 'info', event: 'cancel.reconciled', appointmentId, result: ours ? 'cancelled' : 'cancelled_by_other' });
    if (!ours) return null;
    const settled = cancelledAnswer(appointmentId, cancellation, entry.etaMs, entry.acknowledgedCharge);
    const record = store.get(entry.scope);
    if (record) record.final = settled;
    return settled;
  }

  async function getAppointment(patientId: string, appointmentId: string): Promise<AppointmentResponse> {
    const appointment = await assertOwnsAppointment(heim, appointmentId, patientId);
    let cancellation = null;
    if (appointment.status === CANCELLED_STATUS) {
      const outcome = await heim.getCancellation(appointmentId);
      // The status alone tells the widget it is cancelled; the details are a courtesy.
      if (outcome.kind === 'ok') cancellation = sawCancellation(appointmentId, outcome.value);
    }
    const now = options.now();
    const eta = etaMs(appointment);
    return {
      appointment: toAppointmentView(appointment, options.timeZone),
      cancellation,
      charge: computeCharge(eta, options.chargeWindowHours, now),
      reasons: CANCELLABLE_STATUSES.has(appointment.status)
        ? reasonsAvailableNow({
            configured: options.reasonCodes,
            etaMs: eta,
            nowMs: now,
            practitionerLateAfterMinutes: options.practitionerLateAfterMinutes,
          })
        : [],
      serverNow: new Date(now).toISOString(),
    };
  }

  /**
   * Heim showed this appointment's cancellation: the answers kept for its keys carry it as Heim now
   * holds it, so a retry after an amendment by Heim Operations is told what the reads say
   * (bff-api.md: on a webhook "the proxy refreshes what it holds for that appointment").
   */
  function sawCancellation(appointmentId: string, cancellation: HeimCancellation): CancellationView {
    const view = toCancellationView(cancellation);
    for (const record of store.forAppointment(appointmentId)) {
      if (record.final) record.final = withCancellation(record.final, view);
    }
    return view;
  }

  /** Ends a pending attempt, unless another request has already replaced it with a newer one. */
  function forget(appointmentId: string, entry: PendingCancel): void {
    if (pending.get(appointmentId) === entry) pending.delete(appointmentId);
  }

  /**
   * A pending attempt is over without cancelling when the visit reads completed (it can no longer
   * be cancelled, so our POST did not cancel it), or when its reads agree that nothing was cancelled
   * (no cancellation, an appointment not reading cancelled) once that may end it (`settleableFrom`).
   */
  function settleAsNotCancelled(appointmentId: string, entry: PendingCancel, cancellationRead: string, status: string): boolean {
    if (cancellationRead !== 'not_found' || status === CANCELLED_STATUS) return false;
    const completed = status === COMPLETED_STATUS;
    if (!completed && options.now() < entry.settleableFrom) return false;
    forget(appointmentId, entry);
    log({ level: 'info', event: 'cancel.reconciled', appointmentId, result: completed ? 'not_cancelled_completed' : 'not_cancelled' });
    return true;
  }

  async function getCancellationStatus(patientId: string, appointmentId: string): Promise<CancellationStatusResponse> {
    const appointment = await assertOwnsAppointment(heim, appointmentId, patientId);
    if (appointment.status !== CANCELLED_STATUS && !pending.has(appointmentId)) return { cancellation: null, status: 'not_cancelled' };
    // Under the appointment's lock, like every other settling: reads begun before another request
    // replaced the pending attempt must not settle the new one (a stale "nothing was cancelled"
    // would let the patient post again while a lost POST may still land).
    return locks.runExclusive(appointmentId, async () => {
      const entry = pending.get(appointmentId);
      const outcome = await heim.getCancellation(appointmentId);
      if (outcome.kind === 'ok') {
        if (entry) settlePending(appointmentId, entry, outcome.value);
        return { cancellation: sawCancellation(appointmentId, outcome.value), status: 'cancelled' };
      }
      if (entry) {
        // The appointment read before the lock may be stale: the second witness is read afresh.
        const reread = outcome.kind === 'not_found' ? await heim.getAppointment(appointmentId) : null;
        if (reread?.kind === 'ok' && settleAsNotCancelled(appointmentId, entry, outcome.kind, reread.value.status)) {
          return { cancellation: null, status: 'not_cancelled' };
        }
        // A lost answer stays unknown until Heim shows the cancellation, or for a day
        // (LOST_ANSWER_GRACE_MS): we never post again to find out.
        return { cancellation: null, status: 'pending_confirmation' };
      }
      return { cancellation: null, status: appointment.status === CANCELLED_STATUS ? 'cancelled' : 'not_cancelled' };
    });
  }

  async function execute(command: CancelCommand, scope: string, record: IdempotencyRecord): Promise<StoredAnswer> {
    const { appointmentId, body } = command;
    const appointment = await assertOwnsAppointment(heim, appointmentId, command.patientId);
    const entry = pending.get(appointmentId);

    if (appointment.status === CANCELLED_STATUS || entry) {
      const existing = await heim.getCancellation(appointmentId);
      if (existing.kind === 'ok') {
        const settled = entry ? settlePending(appointmentId, entry, existing.value) : null;
        if (settled && entry?.scope === scope) {
          // This key's own lost POST, now settled: the key stays bound to it (even if its record
          // had expired and this retry made a new one).
          record.sent = true;
          return settled;
        }
        return errorAnswer('already_cancelled', { cancellation: sawCancellation(appointmentId, existing.value) });
      }
      if (!(entry && settleAsNotCancelled(appointmentId, entry, existing.kind, appointment.status))) {
        // An earlier POST's answer was lost: it may still land, so this appointment is never posted again.
        if (entry) return answer(202, { status: 'pending_confirmation' });
        return errorAnswer('already_cancelled');
      }
    }

    if (!CANCELLABLE_STATUSES.has(appointment.status)) return errorAnswer('not_cancellable');

    const now = options.now();
    const eta = etaMs(appointment);
    const allowed = reasonsAvailableNow({
      configured: options.reasonCodes,
      etaMs: eta,
      nowMs: now,
      practitionerLateAfterMinutes: options.practitionerLateAfterMinutes,
    });
    if (!allowed.includes(body.reasonCode as (typeof allowed)[number])) {
      return errorAnswer('invalid_request', {
        issues: [{ path: 'reasonCode', message: 'This reason cannot be used for this appointment now.' }],
      });
    }

    // Decided at the latest instant Heim can record this cancel: we wait for its answer up to the
    // timeout, and its clock may run ahead of ours. So a cancel sent seconds before the window
    // opens needs the acknowledgement too, and is never charged silently ("No silent charge").
    const recordedBy = now + options.heim.timeoutMs + HEIM_CLOCK_SLACK_MS;
    const charge = computeCharge(eta, options.chargeWindowHours, recordedBy);
    if (requiresChargeAcknowledgement(charge.state) && body.acknowledgeCharge !== true) {
      return errorAnswer('charge_acknowledgement_required', { charge });
    }

    const upstreamBody: HeimCancelBody = {
      note: composePatientNote(body.reasonCode, body.note),
      causingEntity: causingEntityFor(body.reasonCode),
      cancellingEntity: 'patient',
      reasonCode: body.reasonCode,
    };
    const started = options.now();
    // From here the key is bound to this request, whatever comes back: Heim may have acted on it.
    record.sent = true;
    const outcome = await heim.cancel(appointmentId, upstreamBody);
    log({
      level: outcome.kind === 'ok' ? 'info' : 'warn',
      event: 'cancel.upstream',
      appointmentId,
      reasonCode: body.reasonCode,
      chargeState: charge.state,
      outcome: outcome.kind,
      upstreamStatus: 'status' in outcome ? outcome.status : null,
      durationMs: options.now() - started,
    });

    const acknowledged = body.acknowledgeCharge === true;
    if (outcome.kind === 'ok') return cancelledAnswer(appointmentId, outcome.value, eta, acknowledged);
    if (outcome.kind === 'unreachable') return errorAnswer('upstream_error');

    // Every other outcome is reconciled by reading what Heim holds, never by posting again.
    const heimRefused = outcome.kind === 'rejected' || outcome.kind === 'not_found';
    const check = await heim.getCancellation(appointmentId);
    if (check.kind === 'ok') {
      return isOurs(check.value, body.reasonCode) && !heimRefused
        ? cancelledAnswer(appointmentId, check.value, eta, acknowledged)
        : errorAnswer('already_cancelled', { cancellation: toCancellationView(check.value) });
    }
    // The cancellation GET is an assumed endpoint and may lag the write: the appointment's own
    // status is a second witness before anyone is told "nothing was cancelled".
    const reread = await heim.getAppointment(appointmentId);
    const showsCancelled = reread.kind === 'ok' && reread.value.status === CANCELLED_STATUS;
    const showsNotCancelled = check.kind === 'not_found' && reread.kind === 'ok' && !showsCancelled;
    if (heimRefused) {
      // Heim refused this POST, so it cancelled nothing for us; it may hold someone else's cancel.
      return showsCancelled ? errorAnswer('already_cancelled') : errorAnswer('upstream_error');
    }
    if (outcome.kind === 'failed' && showsNotCancelled) {
      // Heim answered an error and both reads agree nothing was cancelled.
      return errorAnswer('upstream_error');
    }
    const settleableFrom =
      outcome.kind === 'failed' ? started : started + (outcome.kind === 'gateway' ? GATEWAY_GRACE_MS : LOST_ANSWER_GRACE_MS);
    pending.set(appointmentId, {
      since: started,
      scope,
      reasonCode: body.reasonCode,
      etaMs: eta,
      acknowledgedCharge: acknowledged,
      settleableFrom,
    });
    scheduleReconcile(appointmentId);
    log({ level: 'warn', event: 'cancel.pending_confirmation', appointmentId, outcome: outcome.kind });
    return answer(202, { status: 'pending_confirmation' });
  }

  const scopeOf = (patientId: string, idempotencyKey: string) => `${patientId}\u0000${idempotencyKey}`;

  /**
   * Whether this key's request already has its final answer or is still running: a retry with it is
   * answered from that (or told the key is bound to another request) and never reaches Heim. The
   * route asks before reading the body, to count everything else against the rate limit first;
   * what it lets through uncounted is counted by `cancel` if it turns out to need a new run.
   */
  function isAnsweredRetry(patientId: string, idempotencyKey: string): boolean {
    const record = store.get(scopeOf(patientId, idempotencyKey));
    return record !== undefined && (record.final !== null || record.inFlight !== null);
  }

  /**
   * Answers a cancel: from its key when it has a final answer or its first request is running (a
   * join), 422 for a key bound to another body, else a new run under the appointment's lock.
   * `admit` is asked only before a new run (a rate limit's count); 'not_admitted' when it refuses,
   * with nothing bound or sent. The key stays bound only if the run sent Heim the cancel.
   */
  async function cancel(command: CancelCommand, admit: () => boolean = () => true): Promise<StoredAnswer | 'not_admitted'> {
    const scope = scopeOf(command.patientId, command.idempotencyKey);
    const fingerprint = requestFingerprint(command.appointmentId, command.body);
    const existing = store.get(scope);
    if (existing) {
      if (existing.fingerprint !== fingerprint) return errorAnswer('idempotency_key_reused');
      if (existing.final) return existing.final;
      if (existing.inFlight) return existing.inFlight;
    }
    if (!admit()) return 'not_admitted';
    const record = existing ?? store.create(scope, command.appointmentId, fingerprint);

    const run = locks.runExclusive(command.appointmentId, () => execute(command, scope, record));
    record.inFlight = run;
    try {
      const result = await run;
      if (record.sent && isFinal(result)) record.final = result;
      return result;
    } finally {
      record.inFlight = null;
      // Also when the run threw (a 404 or Heim unreadable, before anything was sent): the key is free.
      if (!record.sent) store.release(scope, record);
    }
  }

  /**
   * A Heim event said this appointment changed (webhooks.ts). The event itself is not trusted: Heim
   * is read again, and a pending cancel it now shows cancelled is settled. Under the appointment's
   * lock, so it never interleaves with a cancel deciding on the same appointment.
   */
  function refresh(appointmentId: string): Promise<'settled' | 'cancelled' | 'not_cancelled' | 'unavailable'> {
    return locks.runExclusive(appointmentId, async () => {
      const outcome = await heim.getCancellation(appointmentId);
      if (outcome.kind === 'not_found') {
        const waiting = pending.get(appointmentId);
        if (waiting) {
          const appointment = await heim.getAppointment(appointmentId);
          if (appointment.kind === 'ok') settleAsNotCancelled(appointmentId, waiting, 'not_found', appointment.value.status);
        }
        return 'not_cancelled';
      }
      if (outcome.kind !== 'ok') return 'unavailable';
      sawCancellation(appointmentId, outcome.value);
      const entry = pending.get(appointmentId);
      if (!entry) return 'cancelled';
      settlePending(appointmentId, entry, outcome.value);
      return 'settled';
    });
  }

  /**
   * Keeps reconciling a pending attempt in the background, so it settles even if the patient closed
   * the page and no webhook comes: Heim is read again after 1 s, 2 s, 5 s, 10 s, 30 s, 60 s, then
   * every 5 minutes for a day. Timers are unref'd: they never keep a process alive.
   */
  function scheduleReconcile(appointmentId: string, attempt = 0): void {
    const entry = pending.get(appointmentId);
    if (!entry) return;
    if (options.now() - entry.since > RECONCILE_GIVE_UP_MS) {
      log({ level: 'warn', event: 'cancel.reconcile_gave_up', appointmentId });
      return;
    }
    const timer = setTimeout(() => {
      void refresh(appointmentId)
        .catch(() => 'unavailable' as const)
        .then(() => {
          if (pending.get(appointmentId) === entry) scheduleReconcile(appointmentId, attempt + 1);
        });
    }, RECONCILE_DELAYS_MS[attempt] ?? RECONCILE_EVERY_MS);
    (timer as { unref?: () => void }).unref?.();
  }

  return { getAppointment, getCancellationStatus, isAnsweredRetry, cancel, refresh };
}

export type CancellationService = ReturnType<typeof createCancellationService>;
