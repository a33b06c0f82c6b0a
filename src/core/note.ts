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

/**
 * How the note names a reason. The patient's labels read as the patient's own sentence ("Reason:
 * I'm unwell.", the wording product.md's example shows), except the catch-all's, which tells the
 * patient what to do ("Another reason (please tell us more)"): in a back-office sentence it reads
 * as an instruction, so Operations read "Another reason" and the patient's note that explains it.
 */
const OPERATIONS_LABELS: Partial<Record<ReasonCode, string>> = {
  patient_cancelled: 'Another reason',
};

export function reasonForOperations(reasonCode: ReasonCode): string {
  return OPERATIONS_LABELS[reasonCode] ?? REASONS[reasonCode].patientLabel;
}

/** What the proxy knows about the cancel beyond the reason and the patient's words. */
export interface PatientNoteContext {
  /**
   * The charge warning applied (the cancel was in the charge window) and the patient ticked its
   * acknowledgement: the note says so, since Operations decide the charge from it. Default false.
   */
  readonly chargeAcknowledged?: boolean;
}

const CHARGE_ACKNOWLEDGED = 'The patient was warned that cancelling may be charged and acknowledged the warning.';
const PATIENT_NOTE_LABEL = "Patient's note:";

/** The note's sentences before the patient's words, which always come last. */
function noteHead(reasonCode: ReasonCode, context: PatientNoteContext): string {
  const base = `Cancelled by the patient in the customer portal. Reason: ${reasonForOperations(reasonCode)}.`;
  return context.chargeAcknowledged === true ? `${base} ${CHARGE_ACKNOWLEDGED}` : base;
}

/**
 * The note sent to Heim. The patient's words come last, quoted: JSON string escaping keeps their own
 * quotes inside, so nothing they type can look like a sentence of ours ("Reason: ...") to Heim
 * Operations.
 */
export function composePatientNote(reasonCode: ReasonCode, patientNote: string | undefined, context: PatientNoteContext = {}): string {
  const head = noteHead(reasonCode, context);
  const clean = patientNote === undefined ? '' : sanitizePatientNote(patientNote);
  if (clean === '') return head;
  return `${head} ${PATIENT_NOTE_LABEL} ${JSON.stringify(clean)}`;
}
