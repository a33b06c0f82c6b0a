/**
 * The catalogue of Heim's fifteen cancellation reason codes (seed guide), with what a patient may
 * use. This is the only place the reason list, the causing-entity mapping and the patient rules
 * exist; the widget, the proxy and the simulator all read it from here.
 */

export const REASON_CODES = [
  'patient_cancelled',
  'patient_not_present',
  'patient_unwell',
  'patient_requested_reschedule',
  'practitioner_late',
  'practitioner_cancelled',
  'incorrect_patient_information',
  'no_longer_required',
  'organisation_cancelled',
  'operator_error',
  'duplicate_appointment',
  'organisation_requested_reschedule',
  'missing_organisation_provided_equipment',
  'organisation_service_issue',
  'platform_service_issue',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export const CAUSING_ENTITIES = ['organisation', 'patient', 'platform', 'practitioner'] as const;
export type CausingEntity = (typeof CAUSING_ENTITIES)[number];

export const CANCELLING_ENTITIES = ['organisation', 'patient'] as const;
export type CancellingEntity = (typeof CANCELLING_ENTITIES)[number];

/**
 * When a patient may pick a reason:
 * - `always`: offered whenever the patient may cancel;
 * - `after_eta`: only once the ETA has passed by the configured grace (practitioner late);
 * - `opt_in`: only when the organisation enables it in configuration;
 * - `never`: an organisation- or platform-side reason a patient must not claim.
 */
export type PatientEligibility = 'always' | 'after_eta' | 'opt_in' | 'never';

export interface ReasonDefinition {
  readonly code: ReasonCode;
  /** Who caused the cancellation; sent to Heim as `causingEntity`. */
  readonly causingEntity: CausingEntity;
  readonly patientEligibility: PatientEligibility;
  /** Heim's own description of the code (seed guide). */
  readonly heimDescription: string;
  /** en-GB label shown to patients; only meaningful for patient-eligible codes. */
  readonly patientLabel: string;
  /** The patient must add a note (the catch-all reason says nothing on its own). */
  readonly noteRequired: boolean;
}

const reason = (
  code: ReasonCode,
  causingEntity: CausingEntity,
  patientEligibility: PatientEligibility,
  heimDescription: string,
  patientLabel: string,
  noteRequired = false,
): ReasonDefinition => ({ code, causingEntity, patientEligibility, heimDescription, patientLabel, noteRequired });

export const REASONS: Readonly<Record<ReasonCode, ReasonDefinition>> = {
  patient_unwell: reason('patient_unwell', 'patient', 'always', 'Patient unwell', "I'm unwell"),
  patient_requested_reschedule: reason(
    'patient_requested_reschedule',
    'patient',
    'always',
    'Patient requested reschedule',
    'I need a different date or time',
  ),
  no_longer_required: reason('no_longer_required', 'patient', 'always', 'No longer required', 'I no longer need this visit'),
  patient_cancelled: reason(
    'patient_cancelled',
    'patient',
    'always',
    'Patient cancelled',
    'Another reason (please tell us more)',
    true,
  ),
  practitioner_late: reason(
    'practitioner_late',
    'practitioner',
    'after_eta',
    'Practitioner is delayed or late',
    "The practitioner hasn't arrived",
  ),
  incorrect_patient_information: reason(
    'incorrect_patient_information',
    'patient',
    'opt_in',
    'Incorrect patient information (eg. address)',
    'My details are wrong (for example the address)',
  ),
  patient_not_present: reason('patient_not_present', 'patient', 'never', 'Patient not present', 'Patient not present'),
  practitioner_cancelled: reason(
    'practitioner_cancelled',
    'practitioner',
    'never',
    'Practitioner cancelled',
    'Practitioner cancelled',
  ),
  organisation_cancelled: reason(
    'organisation_cancelled',
    'organisation',
    'never',
    'Due to your request to cancel the appointment',
    'Cancelled by the organisation',
  ),
  operator_error: reason('operator_error', 'organisation', 'never', 'Created in error', 'Created in error'),
  duplicate_appointment: reason('duplicate_appointment', 'organisation', 'never', 'Duplicate appointment', 'Duplicate appointment'),
  organisation_requested_reschedule: reason(
    'organisation_requested_reschedule',
    'organisation',
    'never',
    'Organisation requested reschedule',
    'Rearranged by the organisation',
  ),
  missing_organisation_provided_equipment: reason(
    'missing_organisation_provided_equipment',
    'organisation',
    'never',
    'Due to missing equipment provided by you',
    'Missing equipment',
  ),
  organisation_service_issue: reason(
    'organisation_service_issue',
    'organisation',
    'never',
    'A problem with your service requires you to cancel',
    'A problem with the service',
  ),
  platform_service_issue: reason(
    'platform_service_issue',
    'platform',
    'never',
    'Due to Heim service issue',
    'A problem with the visit service',
  ),
};

/** Every code a patient could ever be allowed to use, in the order the picker shows them. */
export const PATIENT_ELIGIBLE_REASON_CODES = [
  'patient_unwell',
  'patient_requested_reschedule',
  'no_longer_required',
  'practitioner_late',
  'incorrect_patient_information',
  'patient_cancelled',
] as const satisfies readonly ReasonCode[];

export type PatientReasonCode = (typeof PATIENT_ELIGIBLE_REASON_CODES)[number];

/** The proxy's default: the four "always" codes plus `practitioner_late` (bff-api.md). */
export const DEFAULT_PATIENT_REASON_CODES: readonly PatientReasonCode[] = [
  'patient_unwell',
  'patient_requested_reschedule',
  'no_longer_required',
  'practitioner_late',
  'patient_cancelled',
];

/** Minutes after the ETA before "the practitioner hasn't arrived" is offered. */
export const DEFAULT_PRACTITIONER_LATE_AFTER_MINUTES = 15;

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value);
}

export function isPatientEligible(code: ReasonCode): code is PatientReasonCode {
  return REASONS[code].patientEligibility !== 'never';
}

export function causingEntityFor(code: ReasonCode): CausingEntity {
  return REASONS[code].causingEntity;
}

export interface ReasonsNowInput {
  /** The organisation's configured list (already checked to be patient-eligible). */
  readonly configured: readonly PatientReasonCode[];
  /** The appointment's ETA in epoch ms, or null when Heim has not set one. */
  readonly etaMs: number | null;
  readonly nowMs: number;
  readonly practitionerLateAfterMinutes?: number;
}

/**
 * The codes this patient may use for this appointment at this moment, in picker order.
 * `practitioner_late` only makes sense once the practitioner is actually overdue.
 */
export function reasonsAvailableNow(input: ReasonsNowInput): PatientReasonCode[] {
  const graceMs = (input.practitionerLateAfterMinutes ?? DEFAULT_PRACTITIONER_LATE_AFTER_MINUTES) * 60_000;
  return PATIENT_ELIGIBLE_REASON_CODES.filter((code) => {
    if (!input.configured.includes(code)) return false;
    if (REASONS[code].patientEligibility === 'after_eta') {
      return input.etaMs !== null && input.nowMs >= input.etaMs + graceMs;
    }
    return true;
  });
}
