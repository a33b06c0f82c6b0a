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
  /** en-GB label shown to patients; only meaningful for patient-eligible codes. */
  readonly patientLabel: string;
  /** The patient must add a note (the catch-all reason says nothing on its own). */
  readonly noteRequired: boolean;
}

/** A definition without its code: the catalogue's key is the code (withCodes adds it). */
const of = (
  causingEntity: CausingEntity,
  patientEligibility: PatientEligibility,
  patientLabel: string,
  noteRequired = false,
): Omit<ReasonDefinition, 'code'> => ({ causingEntity, patientEligibility, patientLabel, noteRequired });

function withCodes(table: Record<ReasonCode, Omit<ReasonDefinition, 'code'>>): Record<ReasonCode, ReasonDefinition> {
  return Object.fromEntries(Object.entries(table).map(([code, rest]) => [code, { code, ...rest }])) as Record<ReasonCode, ReasonDefinition>;
}

// Heim's own description of each code (seed guide) is kept as the comment above it: nothing reads
// it at run time, and as data it would ship to every browser.
export const REASONS: Readonly<Record<ReasonCode, ReasonDefinition>> = withCodes({
  // Heim: Patient unwell.
  patient_unwell: of('patient', 'always', "I'm unwell"),
  // Heim: Patient requested reschedule.
  patient_requested_reschedule: of('patient', 'always', 'I need a different date or time'),
  // Heim: No longer required.
  no_longer_required: of('patient', 'always', 'I no longer need this visit'),
  // Heim: Patient cancelled.
  patient_cancelled: of('patient', 'always', 'Another reason (please tell us more)', true),
  // Heim: Practitioner is delayed or late.
  practitioner_late: of('practitioner', 'after_eta', "The practitioner hasn't arrived"),
  // Heim: Incorrect patient information (eg. address).
  incorrect_patient_information: of('patient', 'opt_in', 'My details are wrong (for example the address)'),
  // Heim: Patient not present.
  patient_not_present: of('patient', 'never', 'Patient not present'),
  // Heim: Practitioner cancelled.
  practitioner_cancelled: of('practitioner', 'never', 'Practitioner cancelled'),
  // Heim: Due to your request to cancel the appointment.
  organisation_cancelled: of('organisation', 'never', 'Cancelled by the organisation'),
  // Heim: Created in error.
  operator_error: of('organisation', 'never', 'Created in error'),
  // Heim: Duplicate appointment.
  duplicate_appointment: of('organisation', 'never', 'Duplicate appointment'),
  // Heim: Organisation requested reschedule.
  organisation_requested_reschedule: of('organisation', 'never', 'Rearranged by the organisation'),
  // Heim: Due to missing equipment provided by you.
  missing_organisation_provided_equipment: of('organisation', 'never', 'Missing equipment'),
  // Heim: A problem with your service requires you to cancel.
  organisation_service_issue: of('organisation', 'never', 'A problem with the service'),
  // Heim: Due to Heim service issue.
  platform_service_issue: of('platform', 'never', 'A problem with the visit service'),
});

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
