import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PATIENT_REASON_CODES,
  PATIENT_ELIGIBLE_REASON_CODES,
  REASON_CODES,
  REASONS,
  causingEntityFor,
  isPatientEligible,
  reasonsAvailableNow,
} from '../../src/core/reasons';

const eta = Date.parse('2026-11-25T10:30:00.000Z');

describe('reason catalogue', () => {
  it('holds all fifteen Heim codes, each defined once under its own key', () => {
    expect(REASON_CODES).toHaveLength(15);
    expect(new Set(REASON_CODES).size).toBe(15);
    for (const code of REASON_CODES) expect(REASONS[code].code).toBe(code);
  });

  it('lets patients use exactly the six codes of product.md', () => {
    expect(REASON_CODES.filter(isPatientEligible).sort()).toEqual([...PATIENT_ELIGIBLE_REASON_CODES].sort());
    expect(PATIENT_ELIGIBLE_REASON_CODES).toHaveLength(6);
    for (const never of ['patient_not_present', 'practitioner_cancelled', 'organisation_cancelled', 'operator_error'] as const) {
      expect(isPatientEligible(never)).toBe(false);
    }
  });

  it('maps causing entities as the product table says', () => {
    expect(causingEntityFor('patient_unwell')).toBe('patient');
    expect(causingEntityFor('patient_cancelled')).toBe('patient');
    expect(causingEntityFor('practitioner_late')).toBe('practitioner');
    expect(causingEntityFor('incorrect_patient_information')).toBe('patient');
    expect(causingEntityFor('platform_service_issue')).toBe('platform');
    expect(REASONS.patient_cancelled.noteRequired).toBe(true);
    expect(REASONS.patient_unwell.patientLabel).toBe("I'm unwell");
  });

  it('offers practitioner_late only 15 minutes after the ETA by default', () => {
    const at = (nowMs: number) =>
      reasonsAvailableNow({ configured: DEFAULT_PATIENT_REASON_CODES, etaMs: eta, nowMs });
    expect(at(eta + 14 * 60_000)).not.toContain('practitioner_late');
    expect(at(eta + 15 * 60_000)).toContain('practitioner_late');
    expect(at(eta - 60_000)).toEqual(['patient_unwell', 'patient_requested_reschedule', 'no_longer_required', 'patient_cancelled']);
    expect(reasonsAvailableNow({ configured: DEFAULT_PATIENT_REASON_CODES, etaMs: null, nowMs: eta })).not.toContain(
      'practitioner_late',
    );
  });

  it('honours a configured grace and a narrowed list, never widening it', () => {
    const configured = ['patient_unwell', 'practitioner_late'] as const;
    expect(reasonsAvailableNow({ configured, etaMs: eta, nowMs: eta + 5 * 60_000, practitionerLateAfterMinutes: 5 })).toEqual([
      'patient_unwell',
      'practitioner_late',
    ]);
    expect(reasonsAvailableNow({ configured: ['no_longer_required'], etaMs: eta, nowMs: eta })).toEqual(['no_longer_required']);
  });
});
