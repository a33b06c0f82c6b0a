/**
 * The simulator's state: appointments and their (at most one) cancellation. Everything handed out
 * is a deep copy, so neither tests nor handlers can change state behind the store's back.
 */
import { CANCELLABLE_STATUSES, CANCELLATION_ID_PREFIX, type HeimAppointmentStatus } from './heim-assumptions';
import type { HeimAppointment, HeimCancellation, SeedAppointment } from './heim-types';
import { isoAfter, isoAt } from './clock';
import {
  amendPatchSchema,
  isoInstant,
  seedAppointmentSchema,
  type AmendPatch,
  type CancelBody,
  type ParsedSeedAppointment,
} from './request-schemas';

export type CancelOutcome =
  | { kind: 'cancelled'; cancellation: HeimCancellation }
  | { kind: 'not_found' }
  | { kind: 'already_cancelled' }
  | { kind: 'not_cancellable'; status: HeimAppointmentStatus };

/** Thrown by operations a real Heim would refuse (amending what is not cancelled, duplicate ids). */
export class SimulatorStateError extends Error {
  readonly reason: 'not_found' | 'not_cancelled' | 'duplicate_id' | 'invalid';

  constructor(reason: SimulatorStateError['reason'], message: string) {
    super(message);
    this.name = 'SimulatorStateError';
    this.reason = reason;
  }
}

interface StoredAppointment {
  appointment: HeimAppointment;
  cancellation: HeimCancellation | null;
}

export class AppointmentStore {
  readonly #now: () => number;
  readonly #records = new Map<string, StoredAppointment>();
  #cancellationCounter = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  add(seed: SeedAppointment): HeimAppointment {
    const parsed = seedAppointmentSchema.parse(seed);
    if (this.#records.has(parsed.id)) {
      throw new SimulatorStateError('duplicate_id', `An appointment with id "${parsed.id}" already exists.`);
    }
    const record = this.#fromSeed(parsed);
    this.#records.set(parsed.id, record);
    return structuredClone(record.appointment);
  }

  get(id: string): HeimAppointment | undefined {
    const record = this.#records.get(id);
    return record === undefined ? undefined : structuredClone(record.appointment);
  }

  list(filter: { patientId?: string } = {}): HeimAppointment[] {
    const all = [...this.#records.values()].map((record) => record.appointment);
    const matching = filter.patientId === undefined ? all : all.filter((a) => a.patient.id === filter.patientId);
    return matching.map((appointment) => structuredClone(appointment));
  }

  getCancellation(appointmentId: string): HeimCancellation | undefined {
    const cancellation = this.#records.get(appointmentId)?.cancellation;
    return cancellation == null ? undefined : structuredClone(cancellation);
  }

  /** Heim's rule: one cancellation per appointment, only while it is not final. */
  cancel(appointmentId: string, body: CancelBody): CancelOutcome {
    const record = this.#records.get(appointmentId);
    if (record === undefined) return { kind: 'not_found' };
    if (record.cancellation !== null || record.appointment.status === 'cancelled') return { kind: 'already_cancelled' };
    if (!CANCELLABLE_STATUSES.includes(record.appointment.status)) {
      return { kind: 'not_cancellable', status: record.appointment.status };
    }
    const at = isoAt(this.#now());
    const cancellation: HeimCancellation = {
      id: this.#nextCancellationId(),
      appointmentId,
      note: body.note,
      causingEntity: body.causingEntity,
      cancellingEntity: body.cancellingEntity,
      reasonCode: body.reasonCode,
      createdAt: at,
      updatedAt: at,
    };
    record.cancellation = cancellation;
    record.appointment.status = 'cancelled';
    record.appointment.updatedAt = isoAfter(record.appointment.updatedAt, this.#now());
    return { kind: 'cancelled', cancellation: structuredClone(cancellation) };
  }

  /** What Heim Operations do after reviewing a cancellation; always moves `updatedAt` forward. */
  amend(appointmentId: string, patch: AmendPatch): HeimCancellation {
    const parsed = amendPatchSchema.parse(patch);
    const record = this.#records.get(appointmentId);
    if (record === undefined) {
      throw new SimulatorStateError('not_found', `No appointment with id "${appointmentId}".`);
    }
    const current = record.cancellation;
    if (current === null) {
      throw new SimulatorStateError('not_cancelled', `Appointment "${appointmentId}" is not cancelled; there is nothing to amend.`);
    }
    const amended: HeimCancellation = {
      ...current,
      ...(parsed.reasonCode === undefined ? {} : { reasonCode: parsed.reasonCode }),
      ...(parsed.causingEntity === undefined ? {} : { causingEntity: parsed.causingEntity }),
      ...(parsed.cancellingEntity === undefined ? {} : { cancellingEntity: parsed.cancellingEntity }),
      ...(parsed.note === undefined ? {} : { note: parsed.note }),
      updatedAt: isoAfter(current.updatedAt, this.#now()),
    };
    record.cancellation = amended;
    return structuredClone(amended);
  }

  /** Heim moves the ETA (re-planned routes); null unsets it. Always moves `updatedAt` forward. */
  moveEta(appointmentId: string, estimatedTimeOfArrival: string | null): HeimAppointment {
    const record = this.#records.get(appointmentId);
    if (record === undefined) {
      throw new SimulatorStateError('not_found', `No appointment with id "${appointmentId}".`);
    }
    // With its zone, like every other instant the simulator takes: a zoneless one would be read in
    // the host's own zone, a different visit on each machine.
    const eta = estimatedTimeOfArrival === null ? null : isoInstant.safeParse(estimatedTimeOfArrival);
    if (eta !== null && !eta.success) {
      throw new SimulatorStateError('invalid', `"${estimatedTimeOfArrival}" is not an ISO instant with a zone.`);
    }
    record.appointment.estimatedTimeOfArrival = eta === null ? null : eta.data;
    record.appointment.updatedAt = isoAfter(record.appointment.updatedAt, this.#now());
    return structuredClone(record.appointment);
  }

  /** The visit took place: Heim marks it completed (a cancelled one stays cancelled). */
  complete(appointmentId: string): HeimAppointment {
    const record = this.#records.get(appointmentId);
    if (record === undefined) {
      throw new SimulatorStateError('not_found', `No appointment with id "${appointmentId}".`);
    }
    if (record.appointment.status === 'cancelled') {
      throw new SimulatorStateError('invalid', `Appointment "${appointmentId}" is cancelled; it cannot be completed.`);
    }
    record.appointment.status = 'completed';
    record.appointment.updatedAt = isoAfter(record.appointment.updatedAt, this.#now());
    return structuredClone(record.appointment);
  }

  clear(): void {
    this.#records.clear();
    this.#cancellationCounter = 0;
  }

  #nextCancellationId(): string {
    this.#cancellationCounter += 1;
    return `${CANCELLATION_ID_PREFIX}sim_${String(this.#cancellationCounter).padStart(6, '0')}`;
  }

  #fromSeed(seed: ParsedSeedAppointment): StoredAppointment {
    const createdAt = seed.createdAt ?? isoAt(this.#now());
    const appointment: HeimAppointment = {
      id: seed.id,
      status: seed.status,
      estimatedTimeOfArrival: seed.estimatedTimeOfArrival,
      patient: { id: seed.patient.id, name: seed.patient.name },
      externalRef: seed.externalRef ?? null,
      location: {
        line1: seed.location.line1,
        ...(seed.location.line2 === undefined ? {} : { line2: seed.location.line2 }),
        city: seed.location.city,
        postcode: seed.location.postcode,
      },
      windowId: seed.windowId ?? null,
      serviceName: seed.serviceName,
      metadata: structuredClone(seed.metadata ?? {}),
      data: structuredClone(seed.data ?? {}),
      createdAt,
      updatedAt: seed.updatedAt ?? createdAt,
    };
    const c = seed.cancellation;
    if (c === undefined) return { appointment, cancellation: null };
    const cancelledAt = c.createdAt ?? appointment.updatedAt;
    const cancellation: HeimCancellation = {
      id: c.id ?? this.#nextCancellationId(),
      appointmentId: seed.id,
      note: c.note,
      causingEntity: c.causingEntity,
      cancellingEntity: c.cancellingEntity,
      reasonCode: c.reasonCode,
      createdAt: cancelledAt,
      updatedAt: c.updatedAt ?? cancelledAt,
    };
    return { appointment, cancellation };
  }
}
