import { describe, expect, it } from 'vitest';
import { composePatientNote, noteLength, sanitizePatientNote } from '../../src/core/note';

describe('patient note', () => {
  it('composes the note Heim Operations read', () => {
    expect(composePatientNote('patient_unwell', undefined)).toBe(
      "Cancelled by the patient in the customer portal. Reason: I'm unwell.",
    );
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
