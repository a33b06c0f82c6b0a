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
  type HeimAppointment,
  type HeimCancellation,
} from './heim-assumptions';
import type { HeimClient, HeimCancelBody, HeimOutcome } from './heim-client';
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
  /** Who sent it and with which key, for the operations log. */
  patientId: string;
  idempotencyKey: string;
  /** What was sent to Heim: the view of our cancellation where Heim's reads leave a field out. */
  sent: HeimCancelBody;
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

/**
 * What Heim shows of a cancellation: the cancellation GET (an assumed route), else one embedded in
 * the appointment (heim-api.md says it may be). Null when neither shows one.
 */
function witnessOf(read: HeimOutcome<HeimCancellation>, appointment: HeimAppointment | null): HeimCancellation | null {
  if (read.kind === 'ok') return read.value;
  return appointment?.cancellation ?? null;
}

/**
 * Whether the cancellation GET gave Heim's own answer that it has no readable cancellation (a 404,
 * or a 2xx with none of the guide's fields), rather than failing. With the appointment reading
 * cancelled, that is a cancellation whose details Heim's API does not give us (the route may not
 * exist), not one still to come.
 */
const answeredWithout = (read: HeimOutcome<HeimCancellation>) => read.kind === 'not_found' || read.kind === 'malformed';

/** The cancellation a kept answer carries (a 200's, or a 409 `already_cancelled`'s), if any. */
function keptCancellation(stored: StoredAnswer): CancellationView | undefined {
  const body = stored.body as { cancellation?: CancellationView; error?: { cancellation?: CancellationView } };
  return body.cancellation ?? body.error?.cancellation;
}

const AMENDABLE_FIELDS = ['reasonCode', 'causingEntity', 'cancellingEntity'] as const;

/** The fields Heim now gives differently. A field Heim's answer leaves out is not a change. */
function amendedFields(before: CancellationView, after: CancellationView): (typeof AMENDABLE_FIELDS)[number][] {
  return AMENDABLE_FIELDS.filter((field) => after[field] !== null && after[field] !== before[field]);
}

/**
 * A kept answer with the cancellation as Heim now holds it (amended by Heim Operations, say). What
 * Heim's newer answer leaves out keeps its earlier value (for our own cancel: what we sent).
 */
function withCancellation(stored: StoredAnswer, view: CancellationView): StoredAnswer {
  const before = keptCancellation(stored);
  if (!before) return stored;
  const merged = { ...before };
  for (const [field, value] of Object.entries(view) as [keyof CancellationView, string | null][]) {
    if (value !== null) merged[field] = value;
  }
  const body = stored.body as { cancellation?: unknown; error?: { cancellation?: unknown } };
  if (body.cancellation !== undefined) return answer(stored.status, { ...body, cancellation: merged });
  return answer(stored.status, { ...body, error: { ...body.error, cancellation: merged } });
}

export function createCancellationService(deps: { heim: HeimClient; options: ResolvedOptions; log: Logger }) {
  const { heim, options, log } = deps;
  const store = new IdempotencyStore({ now: options.now });
  const locks = new KeyedMutex();
  const pending = new Map<string, PendingCancel>();

  /**
   * The 200, with the charge as it stood when Heim recorded the cancel (its `createdAt`), not when
   * we sent it: a cancel sent a moment before the window opens can land after it. When Heim gives
   * no time (`cancellation` null or without `createdAt`), the charge is read at the latest instant
   * Heim can have recorded it: when we learned of it, plus the clock slack. "May be charged" is
   * then said when in doubt, never "free".
   */
  const cancelledAnswer = (
    appointmentId: string,
    cancellation: HeimCancellation | null,
    sent: HeimCancelBody,
    eta: number | null,
    acknowledged: boolean,
  ) => {
    const heimCreatedAt = cancellation?.createdAt ? Date.parse(cancellation.createdAt) : null;
    const recordedAt = heimCreatedAt ?? options.now() + HEIM_CLOCK_SLACK_MS;
    const charge: Charge = computeCharge(eta, options.chargeWindowHours, recordedAt);
    if (requiresChargeAcknowledgement(charge.state) && !acknowledged) {
      // Heim recorded it inside the window although the patient was told it was free (a gateway
      // held it past our margin, or Heim's clock runs far ahead): operations may want to waive it.
      log({
        level: 'warn',
        event: 'cancel.charge_not_acknowledged',
        appointmentId,
        recordedAt: new Date(recordedAt).toISOString(),
        recordedAtFrom: heimCreatedAt === null ? 'latest_possible' : 'heim',
        chargeableFrom: charge.chargeableFrom,
      });
    }
    return answer(200, { status: 'cancelled', cancellation: toCancellationView(cancellation, sent), charge });
  };

  /**
   * Whether the cancellation Heim holds is the one our POST (sent at `since`) asked for, not
   * someone else's. As created, by its fields: ours says the patient cancelled, for our reason.
   * Once Heim Operations amended it (`updatedAt` after `createdAt`), the fields may be theirs (the
   * guide: they re-check exactly "the cancelling entity and reasons"), so by when Heim recorded it:
   * not before our POST. The appointment read cancellable under the lock just before it, and a
   * lost POST may land up to a day later (LOST_ANSWER_GRACE_MS), so there is no upper bound.
   * Without both timestamps an amendment cannot be told, and the fields decide.
   */
  const isOurs = (cancellation: HeimCancellation, since: number, sent: HeimCancelBody) => {
    const createdAt = cancellation.createdAt ? Date.parse(cancellation.createdAt) : null;
    const updatedAt = cancellation.updatedAt ? Date.parse(cancellation.updatedAt) : null;
    if (createdAt !== null && updatedAt !== null && updatedAt > createdAt) return createdAt >= since - HEIM_CLOCK_SLACK_MS;
    return (cancellation.cancellingEntity ?? 'patient') === 'patient' && (cancellation.reasonCode ?? sent.reasonCode) === sent.reasonCode;
  };

  /**
   * The operations line for an attempt whose outcome Heim's reads decided: who sent it and with
   * which key, what became of it, from which witness, and Heim's record when there is one.
   */
  function logReconciled(
    appointmentId: string,
    who: { patientId: string; idempotencyKey: string },
    result: 'cancelled' | 'cancelled_by_other' | 'not_cancelled' | 'not_cancelled_completed',
    found: { via: 'cancellation' | 'appointment_status'; cancellation: HeimCancellation | null } | null = null,
  ): void {
    log({
      level: 'info',
      event: 'cancel.reconciled',
      appointmentId,
      patientId: who.patientId,
      idempotencyKey: who.idempotencyKey,
      result,
      ...(found === null
        ? {}
        : { via: found.via, heimCancellationId: found.cancellation?.id ?? null, heimCreatedAt: found.cancellation?.createdAt ?? null }),
    });
  }

  let reportedWithheld = false;
  /**
   * The appointment reads cancelled, and Heim gives no details: the cancellation GET answered
   * without one (404, or none of the guide's fields) and the appointment embeds none. Once may be
   * the GET lagging the write; if it recurs, our assumed route or shape is wrong, so operations are
   * told once per process where to correct it.
   */
  function detailsWithheld(appointmentId: string, read: HeimOutcome<HeimCancellation>, appointment: HeimAppointment | null): boolean {
    const withheld = appointment?.status === CANCELLED_STATUS && !appointment.cancellation && answeredWithout(read);
    if (withheld && !reportedWithheld) {
      reportedWithheld = true;
      log({
        level: 'warn',
        event: 'heim.cancellation_unreadable',
        appointmentId,
        upstreamStatus: read.kind === 'not_found' || read.kind === 'malformed' ? read.status : null,
        hint: 'Heim shows the appointment cancelled but gives no cancellation. If this recurs, the cancellation route or shape assumed in src/server/heim-assumptions.ts is wrong; the proxy settles from what it sent meanwhile.',
      });
    }
    return withheld;
  }

  /**
   * Heim now shows a cancellation for an appointment whose POST answer was lost. If it is ours,
   * the request that sent it gets its final answer, so a retry with its key is told "cancelled".
   * `cancellation` null: the appointment reads cancelled but Heim gives no details. It became
   * cancelled after it read cancellable under our lock, while our POST may have landed: it is
   * taken as ours, told from what we sent.
   */
  function settlePending(
    appointmentId: string,
    entry: PendingCancel,
    cancellation: HeimCancellation | null,
    via: 'cancellation' | 'appointment_status',
  ): StoredAnswer | null {
    forget(appointmentId, entry);
    const ours = cancellation === null || isOurs(cancellation, entry.since, entry.sent);
    logReconciled(appointmentId, entry, ours ? 'cancelled' : 'cancelled_by_other', { via, cancellation });
    if (!ours) return null;
    const settled = cancelledAnswer(appointmentId, cancellation, entry.sent, entry.etaMs, entry.acknowledgedCharge);
    const record = store.get(entry.scope);
    if (record) record.final = settled;
    return settled;
  }

  async function getAppointment(patientId: string, appointmentId: string): Promise<AppointmentResponse> {
    const appointment = await assertOwnsAppointment(heim, appointmentId, patientId);
    let cancellation = null;
    if (appointment.status === CANCELLED_STATUS) {
      // The status alone tells the widget it is cancelled; the details are a courtesy.
      const witness = witnessOf(await heim.getCancellation(appointmentId), appointment);
      if (witness) cancellation = sawCancellation(appointmentId, witness);
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
    let amended = false;
    for (const record of store.forAppointment(appointmentId)) {
      if (!record.final) continue;
      const before = keptCancellation(record.final);
      if (before && amendedFields(before, view).length > 0) amended ||= logAmended(appointmentId, before, view);
      record.final = withCancellation(record.final, view);
    }
    return view;
  }

  /**
   * What Heim Operations changed in a cancellation we had told a patient about: the causing entity
   * decides the charge, so operations see the change in our log, not only at Heim. Fields Heim
   * left out of its answer are not taken for changes.
   */
  function logAmended(appointmentId: string, before: CancellationView, after: CancellationView): true {
    const changed = amendedFields(before, after);
    const fields: Record<string, string | null> = {};
    for (const field of changed) {
      fields[`${field}Before`] = before[field];
      fields[field] = after[field];
    }
    log({ level: 'info', event: 'cancel.amended', appointmentId, heimCancellationId: after.id, updatedAt: after.updatedAt, ...fields });
    return true;
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
    logReconciled(appointmentId, entry, completed ? 'not_cancelled_completed' : 'not_cancelled');
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
      // The appointment read before the lock may be stale: for a pending attempt it is read afresh.
      const reread = entry && outcome.kind !== 'ok' ? await heim.getAppointment(appointmentId) : null;
      const fresh = reread?.kind === 'ok' ? reread.value : entry ? null : appointment;
      const witness = witnessOf(outcome, fresh);
      if (witness) {
        const view = sawCancellation(appointmentId, witness);
        // Ours: the patient is told it as the cancel's own answer says it (what Heim left out
        // filled from what was sent), so the widget sees the same as a retry with the key would.
        const settled = entry ? settlePending(appointmentId, entry, witness, 'cancellation') : null;
        return { cancellation: settled ? (settled.body as { cancellation: CancellationView }).cancellation : view, status: 'cancelled' };
      }
      if (entry && fresh) {
        if (detailsWithheld(appointmentId, outcome, fresh)) {
          const settled = settlePending(appointmentId, entry, null, 'appointment_status');
          return { cancellation: settled ? (settled.body as { cancellation: CancellationView }).cancellation : null, status: 'cancelled' };
        }
        if (settleAsNotCancelled(appointmentId, entry, outcome.kind, fresh.status)) return { cancellation: null, status: 'not_cancelled' };
      }
      // A lost answer stays unknown until Heim shows the cancellation, or for a day
      // (LOST_ANSWER_GRACE_MS): we never post again to find out.
      if (entry) return { cancellation: null, status: 'pending_confirmation' };
      return { cancellation: null, status: appointment.status === CANCELLED_STATUS ? 'cancelled' : 'not_cancelled' };
    });
  }

  async function execute(command: CancelCommand, scope: string, record: IdempotencyRecord): Promise<StoredAnswer> {
    const { appointmentId, body } = command;
    const appointment = await assertOwnsAppointment(heim, appointmentId, command.patientId);
    const entry = pending.get(appointmentId);

    if (appointment.status === CANCELLED_STATUS || entry) {
      const existing = await heim.getCancellation(appointmentId);
      const witness = witnessOf(existing, appointment);
      if (witness || (entry && detailsWithheld(appointmentId, existing, appointment))) {
        const settled = entry ? settlePending(appointmentId, entry, witness, witness ? 'cancellation' : 'appointment_status') : null;
        if (settled && entry?.scope === scope) {
          // This key's own lost POST, now settled: the key stays bound to it (even if its record
          // had expired and this retry made a new one).
          record.sent = true;
          return settled;
        }
        const view = witness ? sawCancellation(appointmentId, witness) : (settled?.body as { cancellation: CancellationView }).cancellation;
        return errorAnswer('already_cancelled', { cancellation: view });
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
      note: composePatientNote(body.reasonCode, body.note, { chargeAcknowledged: requiresChargeAcknowledgement(charge.state) && body.acknowledgeCharge === true }),
      causingEntity: causingEntityFor(body.reasonCode),
      cancellingEntity: 'patient',
      reasonCode: body.reasonCode,
    };
    const started = options.now();
    // From here the key is bound to this request, whatever comes back: Heim may have acted on it.
    record.sent = true;
    const outcome = await heim.cancel(appointmentId, upstreamBody);
    const acknowledged = body.acknowledgeCharge === true;
    const accepted = outcome.kind === 'ok' ? outcome.value : null;
    // The operations record of the cancel: who (the patient's Heim id and the request's key, which
    // joins it to the patient's retries), what they were shown and accepted, and what Heim said.
    log({
      // Heim refusing our well-formed cancel blocks every patient in the same case: an alert.
      level: outcome.kind === 'ok' ? 'info' : outcome.kind === 'rejected' ? 'error' : 'warn',
      event: 'cancel.upstream',
      appointmentId,
      patientId: command.patientId,
      idempotencyKey: command.idempotencyKey,
      reasonCode: body.reasonCode,
      chargeState: charge.state,
      acknowledgedCharge: acknowledged,
      eta: eta === null ? null : new Date(eta).toISOString(),
      chargeableFrom: charge.chargeableFrom,
      outcome: outcome.kind,
      upstreamStatus: 'status' in outcome ? outcome.status : null,
      heimCancellationId: accepted?.id ?? null,
      heimCreatedAt: accepted?.createdAt ?? null,
      durationMs: options.now() - started,
    });

    // Any 2xx: Heim accepted the cancel, whether or not its answer carries the cancellation.
    if (outcome.kind === 'ok') return cancelledAnswer(appointmentId, accepted, upstreamBody, eta, acknowledged);
    if (outcome.kind === 'unreachable') return errorAnswer('upstream_error');

    // Every other outcome is reconciled by reading what Heim holds, never by posting again.
    const heimRefused = outcome.kind === 'rejected' || outcome.kind === 'not_found';
    const check = await heim.getCancellation(appointmentId);
    // The cancellation GET is an assumed endpoint and may lag the write: the appointment (its own
    // status, and a cancellation it may embed) is a second witness before anyone is told "nothing
    // was cancelled".
    const reread = check.kind === 'ok' ? null : await heim.getAppointment(appointmentId);
    const witness = witnessOf(check, reread?.kind === 'ok' ? reread.value : null);
    const settledHere = (result: 'cancelled' | 'cancelled_by_other', via: 'cancellation' | 'appointment_status') =>
      logReconciled(appointmentId, command, result, { via, cancellation: witness });
    if (witness) {
      const ours = isOurs(witness, started, upstreamBody) && !heimRefused;
      settledHere(ours ? 'cancelled' : 'cancelled_by_other', 'cancellation');
      return ours
        ? cancelledAnswer(appointmentId, witness, upstreamBody, eta, acknowledged)
        : errorAnswer('already_cancelled', { cancellation: toCancellationView(witness) });
    }
    const showsCancelled = reread?.kind === 'ok' && reread.value.status === CANCELLED_STATUS;
    const showsNotCancelled = check.kind === 'not_found' && reread?.kind === 'ok' && !showsCancelled;
    if (heimRefused) {
      // Heim refused this POST, so it cancelled nothing for us; it may hold someone else's cancel.
      return showsCancelled ? errorAnswer('already_cancelled') : errorAnswer('upstream_error');
    }
    if (reread?.kind === 'ok' && detailsWithheld(appointmentId, check, reread.value)) {
      // It read cancellable under our lock just before we posted, and reads cancelled now, with no
      // details from Heim: our POST's doing, told from what we sent.
      settledHere('cancelled', 'appointment_status');
      return cancelledAnswer(appointmentId, null, upstreamBody, eta, acknowledged);
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
      patientId: command.patientId,
      idempotencyKey: command.idempotencyKey,
      sent: upstreamBody,
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
      if (existing.final) return { ...existing.final, replayed: true };
      if (existing.inFlight) return existing.inFlight.then((result) => ({ ...result, replayed: true }));
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
      if (outcome.kind !== 'ok' && !answeredWithout(outcome)) return 'unavailable';
      const read = outcome.kind === 'ok' ? null : await heim.getAppointment(appointmentId);
      if (read && read.kind !== 'ok') return 'unavailable';
      const appointment = read?.kind === 'ok' ? read.value : null;
      const witness = witnessOf(outcome, appointment);
      const entry = pending.get(appointmentId);
      if (witness) {
        sawCancellation(appointmentId, witness);
        if (!entry) return 'cancelled';
        settlePending(appointmentId, entry, witness, 'cancellation');
        return 'settled';
      }
      const status = appointment?.status ?? '';
      if (status !== CANCELLED_STATUS) {
        // The read's own kind: a 2xx we cannot read is not "no cancellation", so it ends nothing.
        if (entry) settleAsNotCancelled(appointmentId, entry, outcome.kind, status);
        return 'not_cancelled';
      }
      // Cancelled, with no details from Heim's API.
      if (!entry) return 'cancelled';
      if (!detailsWithheld(appointmentId, outcome, appointment)) return 'unavailable';
      settlePending(appointmentId, entry, null, 'appointment_status');
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
