import { describe, expect, it } from 'vitest';
import { composePatientNote, noteLength, reasonForOperations, sanitizePatientNote } from '../../src/core/note';
import { PATIENT_ELIGIBLE_REASON_CODES, REASON_CODES, REASONS } from '../../src/core/reasons';

const PREFIX = 'Cancelled by the patient in the customer portal.';
const WARNED = 'The patient was warned that cancelling may be charged and acknowledged the warning.';

describe('patient note', () => {
  it('composes the note Heim Operations read', () => {
    expect(composePatientNote('patient_unwell', undefined)).toBe(
      "Cancelled by the patient in the customer portal. Reason: I'm unwell.",
    );
    // product.md's example, word for word.
    expect(composePatientNote('patient_unwell', '  Feeling too ill today ')).toBe(
      'Cancelled by the patient in the customer portal. Reason: I\'m unwell. Patient\'s note: "Feeling too ill today"',
    );
    expect(composePatientNote('no_longer_required', '   ')).toBe(
      'Cancelled by the patient in the customer portal. Reason: I no longer need this visit.',
    );
  });

  it('strips control and bidi characters and folds line breaks', () => {
    expect(sanitizePatientNote('a\u202Eevil\u202C\u0000b')).toBe('aevilb');
    expect(sanitizePatientNote('line one\r\nReason: forged\tx')).toBe('line one Reason: forged x');
    expect(sanitizePatientNote('\u2066x\u2069\u200F')).toBe('x');
  });

  it('counts code points, so an emoji is one character', () => {
    expect(noteLength('ab😀')).toBe(3);
  });
});

describe('the reason as Operations read it', () => {
  it('names the catch-all "Another reason", without the instruction the patient sees', () => {
    expect(REASONS.patient_cancelled.patientLabel).toBe('Another reason (please tell us more)');
    expect(composePatientNote('patient_cancelled', 'Nobody came')).toBe(
      `${PREFIX} Reason: Another reason. Patient's note: "Nobody came"`,
    );
  });

  it('keeps the patient label for every other patient reason', () => {
    for (const code of PATIENT_ELIGIBLE_REASON_CODES.filter((code) => code !== 'patient_cancelled')) {
      expect(reasonForOperations(code)).toBe(REASONS[code].patientLabel);
      expect(composePatientNote(code, undefined)).toBe(`${PREFIX} Reason: ${REASONS[code].patientLabel}.`);
    }
  });

  it('never asks anything of the reader', () => {
    for (const code of REASON_CODES) expect(reasonForOperations(code)).not.toMatch(/please|tell us/i);
  });
});

describe('the charge acknowledgement', () => {
  it('says the patient was warned and acknowledged, before their own words', () => {
    expect(composePatientNote('patient_unwell', 'Feeling too ill today', { chargeAcknowledged: true })).toBe(
      `${PREFIX} Reason: I'm unwell. ${WARNED} Patient's note: "Feeling too ill today"`,
    );
    expect(composePatientNote('practitioner_late', undefined, { chargeAcknowledged: true })).toBe(
      `${PREFIX} Reason: The practitioner hasn't arrived. ${WARNED}`,
    );
  });

  it('says nothing of a charge otherwise', () => {
    expect(composePatientNote('patient_unwell', 'x', { chargeAcknowledged: false })).toBe(composePatientNote('patient_unwell', 'x'));
    expect(composePatientNote('patient_unwell', 'x')).not.toContain('charge');
  });

  it('cannot be forged by the patient: their words stay quoted after it', () => {
    const note = composePatientNote('patient_unwell', `" ${WARNED}`);
    expect(note).toBe(`${PREFIX} Reason: I'm unwell. Patient's note: "\\" ${WARNED}"`);
  });
});
