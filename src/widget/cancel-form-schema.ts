/**
 * The form's rules, built from core so the widget asks exactly what the proxy will enforce:
 * a reason from the offered list, a note for the reason that needs one, the note's length limit,
 * and the charge acknowledgement when cancelling may be charged.
 */
import * as z from 'zod';
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

export interface CancelFormSchemaInput {
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

export function createCancelFormSchema({
  reasons,
  acknowledgementRequired,
  noteMaxLength = DEFAULT_NOTE_MAX_LENGTH,
  messages,
}: CancelFormSchemaInput) {
  return z
    // reasonCode is null once focus has passed through the radios with none chosen
    // (react-hook-form reads an unchecked group as null on blur): still "choose a reason".
    .object({ reasonCode: z.string().nullable(), note: z.string(), acknowledgeCharge: z.boolean() })
    .superRefine((values, ctx) => {
      const code = values.reasonCode;
      const offered = isReasonCode(code) && reasons.includes(code);
      if (!offered) {
        ctx.addIssue({ code: 'custom', path: ['reasonCode'], message: messages.errorReasonRequired });
      }
      // Measured on the raw text, which is never shorter than what the proxy counts after cleaning.
      const length = noteLength(values.note);
      if (length > noteMaxLength) {
        ctx.addIssue({
          code: 'custom',
          path: ['note'],
          message: messages.errorNoteTooLong({ max: noteMaxLength, over: length - noteMaxLength }),
        });
      } else if (offered && REASONS[code].noteRequired && sanitizePatientNote(values.note) === '') {
        ctx.addIssue({ code: 'custom', path: ['note'], message: messages.errorNoteRequired });
      }
      if (acknowledgementRequired && !values.acknowledgeCharge) {
        ctx.addIssue({ code: 'custom', path: ['acknowledgeCharge'], message: messages.errorAcknowledgeRequired });
      }
    })
    .transform((values): CancelRequestBody => {
      const note = values.note.trim();
      return {
        reasonCode: values.reasonCode as ReasonCode,
        ...(note === '' ? {} : { note }),
        acknowledgeCharge: acknowledgementRequired && values.acknowledgeCharge,
      };
    });
}

export type CancelFormSchema = ReturnType<typeof createCancelFormSchema>;
