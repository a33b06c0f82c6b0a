/**
 * Everything the simulator ASSUMES about Heim's API, in one place (see
 * /work/shared/spec/heim-api.md, the items marked "Assumed").
 *
 * Heim's docs only partly describe the API. Whatever the simulator does beyond what the docs state
 * is decided here, so that when we learn how Heim really behaves there is one file to correct,
 * and the proxy author can see at a glance which behaviours are guesses they must not rely on.
 *
 * Known facts (not repeated here): the `Authorization` header carries the raw key, keys start with
 * `test_` or `live_`; `POST /v1/appointments/{id}/cancel` takes `{ note, causingEntity,
 * cancellingEntity, reasonCode }`; an appointment can be cancelled once through the API; lists
 * live at `/v1/appointments/` filtered by `patient.id`; the status `scheduling` exists.
 */
import { APPOINTMENT_STATUSES } from '../core/schemas';

// ---------------------------------------------------------------------------------------------
// Appointments
// ---------------------------------------------------------------------------------------------

/** Only `scheduling` is documented; `scheduled`, `completed` and `cancelled` are our guess. */
export const HEIM_APPOINTMENT_STATUSES = APPOINTMENT_STATUSES;
export type HeimAppointmentStatus = (typeof HEIM_APPOINTMENT_STATUSES)[number];

/** The statuses from which the API accepts a cancel (assumed: anything not final). */
export const CANCELLABLE_STATUSES: readonly HeimAppointmentStatus[] = ['scheduling', 'scheduled'];

/**
 * Appointment fields Heim's docs do not list but a patient-facing summary needs. Assumed:
 * `serviceName`, a human-readable name of the visit such as "Blood test at home".
 */
export interface AssumedAppointmentFields {
  serviceName: string;
}

/**
 * Assumed: the appointment resource does NOT embed its cancellation (heim-api.md says it "may"), so
 * a client that works here by default reads it with the cancellation GET. The option
 * `embedCancellation` serves the other reading, for clients that must work with both.
 */
export const APPOINTMENT_EMBEDS_CANCELLATION = false;

// ---------------------------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------------------------

/** Assumed: the query parameter is literally `patient.id` (the docs name the filter, not the syntax). */
export const PATIENT_FILTER_PARAM = 'patient.id';

/** Assumed list envelope: `{ "data": [...] }`, no pagination (unknown, so none is simulated). */
export interface HeimListBody<T> {
  data: T[];
}

export function heimListBody<T>(items: T[]): HeimListBody<T> {
  return { data: items };
}

// ---------------------------------------------------------------------------------------------
// Cancelling
// ---------------------------------------------------------------------------------------------

/** Assumed: a successful cancel answers 200 with the cancellation object (not 201, not 204). */
export const CANCEL_SUCCESS_STATUS = 200;

/**
 * The docs only say a second cancel "will cause an error". The simulator answers 409 by default
 * and can be configured to 400 or 422 so the proxy is tested against all three plausible codes.
 */
export const DUPLICATE_CANCEL_STATUSES = [400, 409, 422] as const;
export type DuplicateCancelStatus = (typeof DUPLICATE_CANCEL_STATUSES)[number];
export const DEFAULT_DUPLICATE_CANCEL_STATUS: DuplicateCancelStatus = 409;

/** Assumed: cancelling a completed appointment is refused with 409. */
export const COMPLETED_CANCEL_STATUS = 409;

/** Assumed upper bound on the cancellation note Heim accepts (characters). */
export const CANCEL_NOTE_MAX_LENGTH = 2000;

/**
 * Assumed: Heim parses the body as JSON whatever the `Content-Type` says (the guide posts JSON;
 * the overview also mentions form encoding, which the simulator does not accept).
 */
export const REQUIRES_JSON_CONTENT_TYPE = false;

/** Assumed: the cancellation is read at `GET /v1/appointments/{id}/<this segment>`, 404 when none. */
export const CANCELLATION_PATH_SEGMENT = 'cancellation';

/** Assumed id prefix of cancellations (Heim prefixes its ids: `p_`, `win_`). */
export const CANCELLATION_ID_PREFIX = 'can_';

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Assumed: a missing or unknown key answers 401 (the docs only say such requests "fail"). */
export const UNAUTHENTICATED_STATUS = 401;

/** Assumed error `type` values; clients must not depend on them (heim-api.md). */
export const HEIM_ERROR_TYPES = [
  'authentication_error',
  'invalid_request',
  'not_found',
  'method_not_allowed',
  'already_cancelled',
  'not_cancellable',
  'simulated_fault',
  'internal_error',
] as const;
export type HeimErrorType = (typeof HEIM_ERROR_TYPES)[number];

/** Assumed error body: `{ "error": { "type": "...", "message": "..." } }`. */
export interface HeimErrorBody {
  error: { type: HeimErrorType; message: string };
}

export function heimErrorBody(type: HeimErrorType, message: string): HeimErrorBody {
  return { error: { type, message } };
}

/** Assumed: every JSON answer, errors included, carries this content type. */
export const HEIM_JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
