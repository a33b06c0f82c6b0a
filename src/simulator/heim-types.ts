/**
 * The shapes of Heim's objects as the simulator serves them. Fields Heim documents are listed
 * here; fields we only assume come from `heim-assumptions.ts`.
 */
import type { CancellingEntity, CausingEntity, ReasonCode } from '../core/reasons';
import type { AssumedAppointmentFields, HeimAppointmentStatus } from './heim-assumptions';

/** JSON-compatible values, for the free-form `metadata` and `data` objects. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface HeimLocation {
  line1: string;
  line2?: string;
  city: string;
  postcode: string;
}

export interface HeimPatient {
  /** Heim patient id, `p_...`. */
  id: string;
  name: string;
}

export interface HeimAppointment extends AssumedAppointmentFields {
  id: string;
  status: HeimAppointmentStatus;
  /** ISO-8601 UTC instant with milliseconds, or null while Heim has not set one. */
  estimatedTimeOfArrival: string | null;
  patient: HeimPatient;
  /** The organisation's own reference for the booking. */
  externalRef: string | null;
  location: HeimLocation;
  /** `win_...`, null while the patient has not picked a window (status `scheduling`). */
  windowId: string | null;
  /** Organisation data: must never reach a patient's browser. */
  metadata: JsonObject;
  /** Clinical data: must never reach a patient's browser. */
  data: JsonObject;
  createdAt: string;
  updatedAt: string;
}

export interface HeimCancellation {
  /** `can_...` */
  id: string;
  appointmentId: string;
  note: string;
  causingEntity: CausingEntity;
  cancellingEntity: CancellingEntity;
  reasonCode: ReasonCode;
  createdAt: string;
  /** Later than `createdAt` once Heim Operations amended the cancellation. */
  updatedAt: string;
}

/** The cancellation part of a seed; ids and timestamps default to generated values. */
export interface SeedCancellation {
  id?: string;
  note: string;
  causingEntity: CausingEntity;
  cancellingEntity: CancellingEntity;
  reasonCode: ReasonCode;
  createdAt?: string;
  updatedAt?: string;
}

/**
 * An appointment to load into the simulator. Timestamps are absolute ISO instants (any offset;
 * stored normalised to UTC with milliseconds). `cancellation` is required exactly when `status`
 * is `cancelled`, so the cancellation GET is never inconsistent with the appointment.
 */
export interface SeedAppointment {
  id: string;
  status: HeimAppointmentStatus;
  estimatedTimeOfArrival: string | null;
  patient: HeimPatient;
  serviceName: string;
  location: HeimLocation;
  /** Default null. */
  externalRef?: string | null;
  /** Default null. */
  windowId?: string | null;
  /** Default `{}`. */
  metadata?: JsonObject;
  /** Default `{}`. */
  data?: JsonObject;
  /** Default: the simulator's `now()` when added. */
  createdAt?: string;
  /** Default: `createdAt`. */
  updatedAt?: string;
  cancellation?: SeedCancellation;
}
