export {
  REASON_CODES,
  REASONS,
  CAUSING_ENTITIES,
  CANCELLING_ENTITIES,
  PATIENT_ELIGIBLE_REASON_CODES,
  DEFAULT_PATIENT_REASON_CODES,
  DEFAULT_PRACTITIONER_LATE_AFTER_MINUTES,
  isReasonCode,
  isPatientEligible,
  causingEntityFor,
  reasonsAvailableNow,
} from './reasons';
export type {
  ReasonCode,
  PatientReasonCode,
  CausingEntity,
  CancellingEntity,
  PatientEligibility,
  ReasonDefinition,
  ReasonsNowInput,
} from './reasons';
export {
  CHARGE_STATES,
  DEFAULT_CHARGE_WINDOW_HOURS,
  HEIM_CLOCK_SLACK_MS,
  chargeableFromMs,
  chargeAtRecording,
  chargeStateAt,
  computeCharge,
  laterChargeState,
  requiresChargeAcknowledgement,
  nextChargeTransitionMs,
} from './charge';
export type { Charge, ChargeState } from './charge';
export { DEFAULT_NOTE_MAX_LENGTH, sanitizePatientNote, noteLength, composePatientNote } from './note';
export {
  APPOINTMENT_ID_PATTERN,
  IDEMPOTENCY_KEY_PATTERN,
  PATIENT_ID_PATTERN,
  isAppointmentId,
  isIdempotencyKey,
} from './ids';
export { ERROR_CODES, ERROR_CODE_LIST } from './errors';
export type { ErrorCode } from './errors';
export {
  NOTE_HARD_MAX_LENGTH,
  APPOINTMENT_STATUSES,
  CANCELLATION_STATUSES,
  reasonCodeSchema,
  chargeStateSchema,
  cancelRequestBodySchema,
  chargeSchema,
  cancellationViewSchema,
  appointmentViewSchema,
  appointmentResponseSchema,
  cancelSuccessSchema,
  cancelPendingSchema,
  cancelResponseSchema,
  cancellationStatusResponseSchema,
  errorIssueSchema,
  errorCodeSchema,
  errorEnvelopeSchema,
  healthResponseSchema,
} from './schemas';
export type {
  CancelRequestBody,
  CancellationView,
  AppointmentView,
  AppointmentResponse,
  CancelResponse,
  CancellationStatusResponse,
  ErrorIssue,
  ErrorEnvelope,
} from './schemas';
