/**
 * Attempts whose answer from Heim was lost (a timeout, a reset, a gateway's 5xx, an unreadable
 * 2xx): each is pending until Heim's reads show what became of it. Settling one gives the request
 * that sent it its final answer, so a retry with its key is told the truth, and the appointment is
 * never posted again meanwhile. Heim is read again when the patient asks, when a webhook comes and
 * in the background.
 */
import { computeCharge, requiresChargeAcknowledgement, type Charge } from '../core/charge';
import type { CancellationView } from '../core/schemas';
import { answeredWithout, isOurCancellation, witnessOf } from './cancellation-witness';
import {
  CANCELLED_STATUS,
  COMPLETED_STATUS,
  HEIM_CLOCK_SLACK_MS,
  LOST_ANSWER_GRACE_MS,
  type HeimAppointment,
  type HeimCancellation,
} from './heim-assumptions';
import type { HeimClient, HeimCancelBody, HeimOutcome } from './heim-client';
import type { IdempotencyStore, StoredAnswer } from './idempotency-store';
import { amendedFields, answer, keptCancellation, keptCharge, withCancellation } from './kept-answers';
import type { KeyedMutex } from './keyed-mutex';
import type { Logger } from './logger';
import type { ResolvedOptions } from './options';
import { toCancellationView } from './views';

export interface PendingCancel {
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

const RECONCILE_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
const RECONCILE_EVERY_MS = 5 * 60_000;
/** The background reads stop when a lost answer's attempt may end on a read (the patient's). */
const RECONCILE_GIVE_UP_MS = LOST_ANSWER_GRACE_MS;

type ReconciledResult = 'cancelled' | 'cancelled_by_other' | 'not_cancelled' | 'not_cancelled_completed';
type Witness = { via: 'cancellation' | 'appointment_status'; cancellation: HeimCancellation | null };

export function createReconciler(deps: {
  heim: HeimClient;
  options: ResolvedOptions;
  log: Logger;
  store: IdempotencyStore;
  locks: KeyedMutex;
}) {
  const { heim, options, log, store, locks } = deps;
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
   * The operations line for an attempt whose outcome Heim's reads decided: who sent it and with
   * which key, what became of it, from which witness, and Heim's record when there is one.
   */
  function logReconciled(
    appointmentId: string,
    who: { patientId: string; idempotencyKey: string },
    result: ReconciledResult,
    found: Witness | null = null,
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
    const ours = cancellation === null || isOurCancellation(cancellation, entry.since, entry.sent);
    logReconciled(appointmentId, entry, ours ? 'cancelled' : 'cancelled_by_other', { via, cancellation });
    if (!ours) return null;
    const settled = cancelledAnswer(appointmentId, cancellation, entry.sent, entry.etaMs, entry.acknowledgedCharge);
    // Only the record of this appointment: a key's record lasts a day, a lost answer's attempt may
    // outlive it, and a portal may then use the same key for another visit, whose request must not
    // be told this visit's "cancelled" (the practitioner would still come).
    const record = store.get(entry.scope);
    if (record?.appointmentId === appointmentId) record.final = settled;
    return settled;
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
      const told = keptCharge(record.final);
      record.final = withCancellation(record.final, view);
      const now = keptCharge(record.final);
      if (told && now && !requiresChargeAcknowledgement(told.state) && requiresChargeAcknowledgement(now.state)) {
        // The 200 said "free", read at the latest instant Heim could have recorded it without its
        // time; Heim's own time (its clock ahead of ours by more than the slack) is inside the
        // window. The patient was told free: the same warning as a 200 told so from the start.
        log({
          level: 'warn',
          event: 'cancel.charge_not_acknowledged',
          appointmentId,
          recordedAt: view.createdAt,
          recordedAtFrom: 'heim',
          chargeableFrom: now.chargeableFrom,
        });
      }
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

  /** From now on this appointment is never posted again until Heim's reads settle the attempt. */
  function track(appointmentId: string, entry: PendingCancel, outcome: string): void {
    pending.set(appointmentId, entry);
    scheduleReconcile(appointmentId);
    log({ level: 'warn', event: 'cancel.pending_confirmation', appointmentId, outcome });
  }

  return {
    pendingFor: (appointmentId: string): PendingCancel | undefined => pending.get(appointmentId),
    track,
    cancelledAnswer,
    logReconciled,
    detailsWithheld,
    settlePending,
    sawCancellation,
    settleAsNotCancelled,
    refresh,
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
