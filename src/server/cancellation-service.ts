/**
 * The decisions behind the three appointment endpoints. The invariants live here: at most one
 * upstream cancel per appointment, never "cancelled" without Heim's 2xx or a confirming GET, and
 * never "failed" when Heim did cancel. An attempt whose answer was lost is handed to the
 * reconciler (reconciler.ts), which settles it from Heim's reads; the answers kept for keys are
 * made in kept-answers.ts.
 */
import { computeCharge, requiresChargeAcknowledgement } from '../core/charge';
import { composePatientNote } from '../core/note';
import { causingEntityFor, reasonsAvailableNow } from '../core/reasons';
import type { AppointmentResponse, CancelRequestBody, CancellationStatusResponse, CancellationView } from '../core/schemas';
import { assertOwnsAppointment } from './appointment-access';
import { createCancelDecisions, type StatusRead } from './cancel-decisions';
import { isOurCancellation, witnessOf } from './cancellation-witness';
import { CANCELLABLE_STATUSES, CANCELLED_STATUS, GATEWAY_GRACE_MS, LOST_ANSWER_GRACE_MS, HEIM_CLOCK_SLACK_MS } from './heim-assumptions';
import type { HeimClient, HeimCancelBody } from './heim-client';
import { IdempotencyStore, requestFingerprint, type IdempotencyRecord, type StoredAnswer } from './idempotency-store';
import { answer, errorAnswer, isFinal } from './kept-answers';
import { KeyedMutex } from './keyed-mutex';
import type { Logger } from './logger';
import type { ResolvedOptions } from './options';
import { createReconciler } from './reconciler';
import { ProxyError } from './responses';
import { etaMs, toAppointmentView, toCancellationView } from './views';

export interface CancelCommand {
  patientId: string;
  appointmentId: string;
  idempotencyKey: string;
  body: CancelRequestBody;
}

export function createCancellationService(deps: { heim: HeimClient; options: ResolvedOptions; log: Logger }) {
  const { heim, options, log } = deps;
  const store = new IdempotencyStore({ now: options.now });
  const locks = new KeyedMutex();
  const reconciler = createReconciler({ heim, options, log, store, locks });
  const decisions = createCancelDecisions();
  const { cancelledAnswer, logReconciled, detailsWithheld, settlePending, sawCancellation, settleAsNotCancelled } = reconciler;

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

  function getCancellationStatus(patientId: string, appointmentId: string): Promise<CancellationStatusResponse> {
    // An attempt pending as the read begins may land at Heim, and be settled by another request, a
    // webhook or the background reconcile, while Heim's answer to this read is on its way: that
    // answer may then be stale, as after a cancel decided meanwhile (the widget's first poll after
    // a 202 is such a read).
    const pendingAtStart = reconciler.pendingFor(appointmentId) !== undefined;
    return decisions.read(appointmentId, (read) => readCancellationStatus(patientId, appointmentId, read, pendingAtStart));
  }

  async function readCancellationStatus(
    patientId: string,
    appointmentId: string,
    read: StatusRead,
    pendingAtStart: boolean,
  ): Promise<CancellationStatusResponse> {
    const appointment = await assertOwnsAppointment(heim, appointmentId, patientId);
    const mayBeStale = () => read.raced || pendingAtStart;
    if (appointment.status !== CANCELLED_STATUS && !reconciler.pendingFor(appointmentId)) {
      // A cancel for it being decided or sent right now has no outcome yet: "not cancelled", read
      // before its POST lands, would be taken for its answer.
      if (decisions.deciding(appointmentId)) return { cancellation: null, status: 'pending_confirmation' };
      // One decided, or one pending, while Heim was read (it may have landed after Heim answered
      // us) is over now: Heim is read again under the lock below, instead of answering from a
      // stale read.
      if (!mayBeStale()) return { cancellation: null, status: 'not_cancelled' };
    }
    // Under the appointment's lock, like every other settling: reads begun before another request
    // replaced the pending attempt must not settle the new one (a stale "nothing was cancelled"
    // would let the patient post again while a lost POST may still land).
    return locks.runExclusive(appointmentId, async () => {
      const entry = reconciler.pendingFor(appointmentId);
      const outcome = await heim.getCancellation(appointmentId);
      // The appointment read before the lock may be stale: for a pending attempt, or after a cancel
      // decided or settled meanwhile, it is read afresh.
      const stale = entry !== undefined || mayBeStale();
      const reread = stale && outcome.kind !== 'ok' ? await heim.getAppointment(appointmentId) : null;
      // Gone since the first read, with nothing of ours pending: the 404 that read would now give.
      if (!entry && reread?.kind === 'not_found') throw new ProxyError('not_found');
      const fresh = reread?.kind === 'ok' ? reread.value : stale ? null : appointment;
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
      if (!fresh) throw new ProxyError('upstream_error', { message: 'Heim could not be read for this appointment (the proxy log says why); nothing was changed.' });
      return { cancellation: null, status: fresh.status === CANCELLED_STATUS ? 'cancelled' : 'not_cancelled' };
    });
  }

  async function execute(command: CancelCommand, scope: string, record: IdempotencyRecord): Promise<StoredAnswer> {
    const { appointmentId, body } = command;
    const appointment = await assertOwnsAppointment(heim, appointmentId, command.patientId);
    const entry = reconciler.pendingFor(appointmentId);

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
      const ours = isOurCancellation(witness, started, upstreamBody) && !heimRefused;
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
    reconciler.track(
      appointmentId,
      {
        since: started,
        scope,
        patientId: command.patientId,
        idempotencyKey: command.idempotencyKey,
        sent: upstreamBody,
        etaMs: eta,
        acknowledgedCharge: acknowledged,
        settleableFrom,
      },
      outcome.kind,
    );
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

    const run = locks.runExclusive(command.appointmentId, async () => {
      // Settled while this waited for the lock: another request, a status read or a webhook found
      // this key's lost POST landed (settlePending keeps its 200). That is this request's answer;
      // a new run would find no attempt pending and tell its own cancel "already_cancelled". The
      // key stays bound to it, as execute's own settling binds it (even a record made anew).
      if (record.final) {
        record.sent = true;
        return record.final;
      }
      return decisions.decide(command.appointmentId, () => execute(command, scope, record));
    });
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

  return { getAppointment, getCancellationStatus, isAnsweredRetry, cancel, refresh: reconciler.refresh };
}

export type CancellationService = ReturnType<typeof createCancellationService>;
