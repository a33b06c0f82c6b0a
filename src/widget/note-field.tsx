import { useEffect, useState } from 'react';
import { useWatch, type Control, type UseFormRegisterReturn } from 'react-hook-form';
import { noteLength } from '../core/index';
import type { CancelRequestBody } from '../core/index';
import type { CancelFormValues } from './cancel-form-resolver';
import type { CancelAppointmentMessages } from './messages';
import { visuallyHidden } from './visually-hidden';

/** The count is spoken only from here on (90 % of the limit), so typing stays quiet. */
const ANNOUNCE_FROM_RATIO = 0.9;
/** And once typing pauses this long, not on every keystroke (the GOV.UK character count's way). */
const ANNOUNCE_AFTER_MS = 800;

/** `value`, once it has stayed the same for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export interface NoteFieldProps {
  readonly id: string;
  readonly control: Control<CancelFormValues, unknown, CancelRequestBody>;
  readonly registration: UseFormRegisterReturn<'note'>;
  /** Whether the chosen reason needs a note. */
  readonly required: boolean;
  readonly maxLength: number;
  readonly error: string | undefined;
  readonly messages: CancelAppointmentMessages;
}

/**
 * The optional note, with a character count. No `maxlength` attribute: it would silently cut a
 * pasted text; the patient sees the count and an error instead (the GOV.UK character count
 * pattern). Watches its own value so typing re-renders only this field.
 */
export function NoteField({ id, control, registration, required, maxLength, error, messages }: NoteFieldProps) {
  const value = useWatch({ control, name: 'note' });
  const count = noteLength(value ?? '');
  const countText = messages.noteCount({ count, max: maxLength });
  const spokenCount = useSettled(count >= maxLength * ANNOUNCE_FROM_RATIO ? countText : '', ANNOUNCE_AFTER_MS);
  const hintId = `${id}-hint`;
  const countId = `${id}-count`;
  const errorId = `${id}-error`;
  const describedBy = [hintId, error === undefined ? null : errorId, countId].filter(Boolean).join(' ');
  return (
    <div className="hc-field hc-note">
      <label className="hc-field__label" htmlFor={id}>
        {required ? messages.noteLabelRequired : messages.noteLabel}
      </label>
      <p className="hc-field__hint" id={hintId}>
        {messages.noteHint}
      </p>
      {error === undefined ? null : (
        <p className="hc-field__error" id={errorId}>
          {error}
        </p>
      )}
      <textarea
        {...registration}
        className="hc-textarea"
        id={id}
        rows={4}
        aria-required={required ? true : undefined}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy}
      />
      <p className="hc-field__count" id={countId} data-over={count > maxLength ? '' : undefined}>
        {countText}
      </p>
      <div role="status" aria-live="polite" style={visuallyHidden}>
        {spokenCount}
      </div>
    </div>
  );
}
