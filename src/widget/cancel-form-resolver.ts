/**
 * The form's rules, built from core so the widget asks exactly what the proxy will enforce:
 * a reason from the offered list, a note for the reason that needs one, the note's length limit,
 * and the charge acknowledgement when cancelling may be charged.
 *
 * They are a react-hook-form resolver written against its `Resolver` type, not a zod schema behind
 * `@hookform/resolvers`: every rule was already our own code (zod only wrapped it in a
 * `superRefine`), and the adapter cost 1.2 KB min+gzip, 7% of the widget, to turn at most three
 * messages into react-hook-form's errors. The trust boundary is the proxy, which parses the body
 * with zod (src/core/schemas.ts); this is the patient's early, friendlier copy of its rules.
 */
import type { FieldError, Resolver } from 'react-hook-form';
import { DEFAULT_NOTE_MAX_LENGTH, isReasonCode, noteLength, REASONS, sanitizePatientNote } from '../core/index';
import type { CancelRequestBody, ReasonCode } from '../core/index';
import type { CancelAppointmentMessages } from './messages';

/** The raw values of the form's fields. */
export interface CancelFormValues {
  /** Null when react-hook-form reads the radio group with none chosen. */
  reasonCode: string | null;
  note: string;
  acknowledgeCharge: boolean;
}

export const emptyCancelFormValues: CancelFormValues = { reasonCode: '', note: '', acknowledgeCharge: false };

export interface CancelFormRulesInput {
  /** The codes offered for this appointment now (the proxy's `reasons`). */
  readonly reasons: readonly ReasonCode[];
  /** Whether the charge acknowledgement must be ticked (chargeable or due). */
  readonly acknowledgementRequired: boolean;
  /** Default `DEFAULT_NOTE_MAX_LENGTH` (500). */
  readonly noteMaxLength?: number;
  readonly messages: Pick<
    CancelAppointmentMessages,
    'errorReasonRequired' | 'errorNoteRequired' | 'errorNoteTooLong' | 'errorAcknowledgeRequired'
  >;
}

export type CancelFormResolver = Resolver<CancelFormValues, unknown, CancelRequestBody>;

/** Validates the raw values and, when they pass, turns them into the body the proxy expects. */
export function createCancelFormResolver({
  reasons,
  acknowledgementRequired,
  noteMaxLength = DEFAULT_NOTE_MAX_LENGTH,
  messages,
}: CancelFormRulesInput): CancelFormResolver {
  return (values) => {
    // No `ref` on the errors: the form never lets react-hook-form focus a field (the error summary
    // takes focus and links to each one), and a radio group has no single element to point at.
    const errors: Partial<Record<keyof CancelFormValues, FieldError>> = {};
    const fail = (name: keyof CancelFormValues, message: string) => {
      errors[name] = { type: 'custom', message };
    };
    // reasonCode is null once focus has passed through the radios with none chosen
    // (react-hook-form reads an unchecked group as null on blur): still "choose a reason".
    const code = values.reasonCode;
    const offered = isReasonCode(code) && reasons.includes(code);
    if (!offered) fail('reasonCode', messages.errorReasonRequired);
    // Measured on the raw text, which is never shorter than what the proxy counts after cleaning.
    const length = noteLength(values.note);
    if (length > noteMaxLength) {
      fail('note', messages.errorNoteTooLong({ max: noteMaxLength, over: length - noteMaxLength }));
    } else if (offered && REASONS[code].noteRequired && sanitizePatientNote(values.note) === '') {
      fail('note', messages.errorNoteRequired);
    }
    if (acknowledgementRequired && !values.acknowledgeCharge) {
      fail('acknowledgeCharge', messages.errorAcknowledgeRequired);
    }
    // `!offered` is implied by the errors, but says so to TypeScript: `code` is a ReasonCode below.
    if (!offered || Object.keys(errors).length > 0) return { values: {}, errors };
    const note = values.note.trim();
    return {
      values: {
        reasonCode: code,
        ...(note === '' ? {} : { note }),
        acknowledgeCharge: acknowledgementRequired && values.acknowledgeCharge,
      },
      errors: {},
    };
  };
}
