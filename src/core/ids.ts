/** Identifier shapes shared by the widget (to build URLs) and the proxy (to refuse anything else). */

export const APPOINTMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
export const PATIENT_ID_PATTERN = /^p_[A-Za-z0-9_-]{1,64}$/;

export function isAppointmentId(value: string): boolean {
  return APPOINTMENT_ID_PATTERN.test(value);
}

export function isIdempotencyKey(value: string): boolean {
  return IDEMPOTENCY_KEY_PATTERN.test(value);
}
