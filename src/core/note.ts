/**
 * The note Heim Operations read. The proxy composes it so Operations can validate the reason; the
 * patient's own words are cleaned so they cannot forge lines, reorder text with bidi controls or
 * smuggle control characters into Heim's back office.
 */
import { REASONS, type ReasonCode } from './reasons';

export { DEFAULT_NOTE_MAX_LENGTH } from './note-limit';

// C0/C1 controls, the Unicode bidi embedding, override, isolate and mark characters, and unpaired
// surrogates (not characters at all: JSON can carry them as escapes, no keyboard types them).
const CONTROL_OR_BIDI = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/**
 * Trim, turn line breaks and tabs into spaces, drop other control and bidi characters. Cleaning a
 * cleaned note changes nothing (the proxy checks the cleaned length, then composes from it).
 */
export function sanitizePatientNote(raw: string): string {
  return (
    raw
      .normalize('NFC')
      .replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ')
      .replace(CONTROL_OR_BIDI, '')
      .replace(/ {2,}/g, ' ')
      .trim()
      // Dropping a control can join a letter to a combining mark ("e\u0000\u0301" -> "e\u0301"):
      // normalise again so the result is NFC, counts as the patient sees it, and is stable.
      .normalize('NFC')
  );
}

/** Length as a patient counts it: user-perceived characters are approximated by code points. */
export function noteLength(text: string): number {
  return Array.from(text).length;
}

export function composePatientNote(reasonCode: ReasonCode, patientNote: string | undefined): string {
  const base = `Cancelled by the patient in the customer portal. Reason: ${REASONS[reasonCode].patientLabel}.`;
  const clean = patientNote === undefined ? '' : sanitizePatientNote(patientNote);
  // JSON string escaping keeps the patient's own quotes inside the quoted note, so nothing they type
  // can look like a line of ours ("Reason: ...") to Heim Operations.
  return clean === '' ? base : `${base} Patient's note: ${JSON.stringify(clean)}`;
}
