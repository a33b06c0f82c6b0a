/**
 * The proxy's default limit on a patient's note, in characters after cleaning. Apart from note.ts
 * so the widget's provider, which checks a portal's `noteMaxLength` on every page, does not pull in
 * the note composer and the reason catalogue with it.
 */
export const DEFAULT_NOTE_MAX_LENGTH = 500;
