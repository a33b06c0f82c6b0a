/**
 * The note Heim Operations read. The proxy composes it so Operations can validate the reason; the
 * patient's own words are cleaned so they cannot forge lines, reorder text with bidi controls or
 * hide text (controls, format characters, Unicode tags) in Heim's back office.
 */
import { REASONS, REASON_CODES, type ReasonCode } from './reasons';

export { DEFAULT_NOTE_MAX_LENGTH } from './note-limit';

/**
 * Assumed: the longest `note` Heim accepts on a cancel, in characters, counted as JavaScript and the
 * simulator count them (UTF-16 code units; code points or graphemes are never more). Mirrors the
 * simulator's assumption (src/simulator/heim-assumptions.ts, CANCEL_NOTE_MAX_LENGTH) and is listed
 * with the proxy's others in src/server/heim-assumptions.ts; here because the note is composed here.
 * Heim would refuse a longer note with a 400, and every retry the same way.
 */
export const HEIM_NOTE_MAX_LENGTH = 2000;

// Every C0/C1 control and unpaired surrogate (not characters at all: JSON can carry them as escapes,
// no keyboard types them); every format character (Cf: the bidi embeddings, overrides, isolates
// and marks, the soft hyphen, zero-width space, word joiner, invisible operators, BOM...); the whole
// Unicode tag block, whose unassigned code points are not Cf; and variation selectors. Each match
// is dropped unless `keepsInvisible` says it belongs to what the patient sees.
//
// The first alternative is one of the three emoji tag sequences Unicode recommends, the flags of
// England, Scotland and Wales: a UK patient may type them, and the tags spell only the flag shown.
// Any other tag is ASCII written invisibly ("ASCII smuggling": a sentence Operations cannot see
// but a tool reading the note can), so tags are kept only as one of these flags, whole.
const INVISIBLE =
  /\u{1F3F4}\u{E0067}\u{E0062}(?:\u{E0065}\u{E006E}\u{E0067}|\u{E0073}\u{E0063}\u{E0074}|\u{E0077}\u{E006C}\u{E0073})\u{E007F}|[\p{Cc}\p{Cf}\p{Cs}\u{E0000}-\u{E007F}\p{Variation_Selector}]/gu;

const JOINERS = new Set(['\u200C', '\u200D']);
const VARIATION_SELECTOR = /^\p{Variation_Selector}$/u;
// What a joiner may follow: a letter (ZWNJ in Persian, Kurdish; ZWJ and ZWNJ in Indic scripts), a
// mark (an Indic virama, the combining marks of many scripts), a pictograph or a skin tone (emoji
// ZWJ sequences, 👩‍💻 👨🏽‍⚕️). A kept variation selector too (❤️‍🔥), checked apart.
const JOINS_FROM = /^[\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}]$/u;
// What a joiner may precede: a letter or a pictograph.
const JOINS_TO = /^[\p{L}\p{Extended_Pictographic}]$/u;
// What a variation selector may follow: a visible character that is not itself invisible.
const VARIES = /^[^\s\p{C}\p{Variation_Selector}]$/u;

/** The code point that ends at `index` (a surrogate pair whole), or '' at the start. */
function codePointBefore(text: string, index: number): string {
  const chars = Array.from(text.slice(Math.max(0, index - 2), index));
  return chars[chars.length - 1] ?? '';
}

function codePointAt(text: string, index: number): string {
  const code = text.codePointAt(index);
  return code === undefined ? '' : String.fromCodePoint(code);
}

/** A variation selector is kept right after a visible character, one per character. */
function keepsVariation(text: string, index: number): boolean {
  return VARIES.test(codePointBefore(text, index));
}

/**
 * Whether a matched invisible character stays. Everything these rules keep a character for is
 * itself kept and stays next to it, so cleaning a cleaned note changes nothing.
 *
 * - ZWJ and ZWNJ are format characters, but they change what the patient wrote: they join emoji
 *   into one (a family, a profession) and choose letter forms in Persian, Kurdish and Indic
 *   scripts ("می‌خواهم"). Kept alone between a letter, mark or emoji and a letter or emoji; a run
 *   of them, or one anywhere else, joins nothing visible and could only carry hidden bits.
 * - Variation selectors (Mn, not Cf) choose a glyph: emoji or text presentation (❤️ and ❤), a
 *   CJK ideograph's variant. Kept one per character, after a visible one. A second selector selects
 *   nothing, and a run of them after one emoji can encode any bytes (one per selector), so runs go.
 */
function keepsInvisible(text: string, match: string, index: number): boolean {
  if (match.length > 2) return true; // a flag tag sequence, whole
  if (VARIATION_SELECTOR.test(match)) return keepsVariation(text, index);
  if (!JOINERS.has(match) || !JOINS_TO.test(codePointAt(text, index + 1))) return false;
  const before = codePointBefore(text, index);
  if (VARIATION_SELECTOR.test(before)) return keepsVariation(text, index - before.length);
  return JOINS_FROM.test(before);
}

/**
 * Trim, turn line breaks and tabs into spaces, drop control, format (bidi, zero-width, tag) and
 * stray variation-selector characters. Cleaning a cleaned note changes nothing (the proxy checks
 * the cleaned length, then composes from it).
 */
export function sanitizePatientNote(raw: string): string {
  const text = raw.normalize('NFC').replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ');
  return (
    text
      .replace(INVISIBLE, (match: string, index: number) => (keepsInvisible(text, match, index) ? match : ''))
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
 * The patient's words quoted in at most `room` characters; when they do not fit, cut at a
 * grapheme (never inside an emoji, a surrogate pair or an escape) and ended with "…".
 */
function quoteWithin(clean: string, room: number): string {
  const quoted = JSON.stringify(clean);
  if (quoted.length <= room) return quoted;
  const kept: string[] = [];
  let used = '""…'.length;
  // Made here, not when the module loads: the widget loads this module too (for the cleaner), and
  // browsers before Firefox 125 have no Intl.Segmenter.
  const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(clean)) {
    used += JSON.stringify(segment).length - 2;
    if (used > room) break;
    kept.push(segment);
  }
  // Cleaning the cut text drops a space or a joiner left dangling at the cut; it only ever
  // shortens, so the result still fits.
  return JSON.stringify(`${sanitizePatientNote(kept.join(''))}…`);
}

/**
 * The note sent to Heim. The patient's words come last, quoted: JSON string escaping keeps their own
 * quotes inside, so nothing they type can look like a sentence of ours ("Reason: ...") to Heim
 * Operations. Never longer than HEIM_NOTE_MAX_LENGTH: the proxy's `noteMaxLength` cannot exceed
 * NOTE_MAX_LENGTH_LIMIT, and past it (a caller with no such limit) the patient's words are cut.
 */
export function composePatientNote(reasonCode: ReasonCode, patientNote: string | undefined, context: PatientNoteContext = {}): string {
  const head = noteHead(reasonCode, context);
  const clean = patientNote === undefined ? '' : sanitizePatientNote(patientNote);
  if (clean === '') return head;
  const lead = `${head} ${PATIENT_NOTE_LABEL} `;
  return `${lead}${quoteWithin(clean, HEIM_NOTE_MAX_LENGTH - lead.length)}`;
}

/**
 * The largest `noteMaxLength` whose every note fits Heim's limit whole. A patient's character (a
 * code point, as noteLength counts) takes at most two of Heim's once quoted: `"` and `\` are
 * escaped, a character beyond the BMP is a surrogate pair; cleaning leaves nothing JSON escapes
 * longer (controls, unpaired surrogates). The frame is the longest head, the label and the quotes.
 */
export const NOTE_MAX_LENGTH_LIMIT: number = /* @__PURE__ */ (() => {
  const longestLead = Math.max(
    ...REASON_CODES.map((code) => `${noteHead(code, { chargeAcknowledged: true })} ${PATIENT_NOTE_LABEL} ""`.length),
  );
  return Math.floor((HEIM_NOTE_MAX_LENGTH - longestLead) / 2);
})();
