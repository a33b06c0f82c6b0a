/**
 * The proxy's default limit on a patient's note, in characters after cleaning, and what makes a
 * limit valid. Apart from note.ts so the widget's provider, which reads a portal's `noteMaxLength`
 * on every page, does not pull in the note composer and the reason catalogue with it.
 */
export const DEFAULT_NOTE_MAX_LENGTH = 500;

/** Why `value` cannot be a note limit (it must be a positive whole number), or null when it can. */
export function noteMaxLengthProblem(value: number): string | null {
  return Number.isInteger(value) && value >= 1 ? null : `noteMaxLength must be a positive whole number; got ${String(value)}.`;
}
