import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { DEFAULT_NOTE_MAX_LENGTH, isReasonCode, REASONS } from '../core/index';
import type { CancelRequestBody, ErrorIssue, ReasonCode } from '../core/index';
import {
  createCancelFormResolver,
  emptyCancelFormValues,
  type CancelFormResolver,
  type CancelFormValues,
} from './cancel-form-resolver';
import { ChargeAcknowledgement } from './charge-acknowledgement';
import { ErrorSummary, type ErrorSummaryItem } from './error-summary';
import type { CancelAppointmentMessages } from './messages';
import { NoteField } from './note-field';
import { reasonInputId, ReasonPicker } from './reason-picker';

/** A problem in the summary, with the field it belongs to (a reason's link moves with the choice). */
interface SummaryItem extends ErrorSummaryItem {
  readonly field: 'reasonCode' | 'note' | 'acknowledgeCharge';
}

export interface CancelFormProps {
  /** The form's id; the dialog's confirm button submits it with `form={id}`. */
  readonly id: string;
  /** The codes offered now (the proxy's `reasons`). */
  readonly reasons: readonly ReasonCode[];
  readonly acknowledgementRequired: boolean;
  /** The charge warning's id, read with the acknowledgement checkbox. */
  readonly chargeWarningId?: string;
  readonly messages: CancelAppointmentMessages;
  /** Whether a submit may start now (not already sending, online). Checked on every submit. */
  readonly canSubmit: () => boolean;
  /** Receives the request body once every rule passes. */
  readonly onValidSubmit: (body: CancelRequestBody) => void;
  /** Answers to start from (those last sent, when the form comes back after a failed attempt). Default: empty. */
  readonly initialBody?: CancelRequestBody | null;
  /** The longest note accepted, in characters. Default `DEFAULT_NOTE_MAX_LENGTH` (500). */
  readonly noteMaxLength?: number;
  /**
   * Fields the proxy refused (`invalid_request` issues with path `note` or `reasonCode`), shown on
   * those fields and in the error summary, which takes focus. A new array is a new refusal.
   */
  readonly serverIssues?: readonly ErrorIssue[] | null;
  /** Called when the patient picks a reason (not when the form is refilled), for analytics. */
  readonly onReasonChange?: (reasonCode: ReasonCode) => void;
  /** A cancel is being sent: the form is marked `aria-busy`. Default false. */
  readonly busy?: boolean;
}

/**
 * The reason, note and acknowledgement, on react-hook-form with the rules from core. A failed
 * submit focuses the error summary; each field carries aria-invalid and points at its error.
 */
export function CancelForm({
  id,
  reasons,
  acknowledgementRequired,
  chargeWarningId,
  messages,
  canSubmit,
  onValidSubmit,
  initialBody = null,
  noteMaxLength = DEFAULT_NOTE_MAX_LENGTH,
  serverIssues = null,
  onReasonChange,
  busy = false,
}: CancelFormProps) {
  const rules = useMemo(
    () => createCancelFormResolver({ reasons, acknowledgementRequired, noteMaxLength, messages }),
    [reasons, acknowledgementRequired, noteMaxLength, messages],
  );
  // The rules change while the form is open (the charge window opens, reasons are re-fetched);
  // a stable resolver reading the latest rules keeps react-hook-form's state intact.
  const rulesRef = useRef(rules);
  rulesRef.current = rules;
  const resolver = useCallback<CancelFormResolver>((values, context, options) => rulesRef.current(values, context, options), []);
  const form = useForm<CancelFormValues, unknown, CancelRequestBody>({
    defaultValues:
      initialBody === null
        ? emptyCancelFormValues
        : {
            reasonCode: initialBody.reasonCode,
            note: initialBody.note ?? '',
            acknowledgeCharge: initialBody.acknowledgeCharge === true,
          },
    resolver,
    // The error summary takes focus instead, then links to each field.
    shouldFocusError: false,
    reValidateMode: 'onChange',
  });
  const { errors, submitCount } = form.formState;
  const reasonCode = useWatch({ control: form.control, name: 'reasonCode' });
  const noteRequired = isReasonCode(reasonCode) && REASONS[reasonCode].noteRequired;

  const summaryRef = useRef<HTMLDivElement>(null);
  const focusedRequest = useRef(0);
  // The summary as it stood at the last failed submit (the GOV.UK pattern): it is an alert, so
  // re-writing it as the patient types would interrupt every keystroke. Problems fixed since drop
  // out (a removal is not announced); the fields' own messages stay live.
  const [summaryAtSubmit, setSummaryAtSubmit] = useState<{ request: number; items: readonly SummaryItem[] }>({ request: 0, items: [] });

  const reasonsId = `${id}-reason`;
  const noteId = `${id}-note`;
  const acknowledgeId = `${id}-acknowledge`;
  const firstReason = reasons[0];

  /** The summary of one validation result, in the form's order. */
  const summaryOf = (found: FieldErrors<CancelFormValues>): SummaryItem[] => {
    const items: SummaryItem[] = [];
    if (found.reasonCode?.message !== undefined && firstReason !== undefined) {
      // The link goes to the checked reason when there is one (a reason no longer offered), else the first.
      const checked = form.getValues('reasonCode');
      const target = isReasonCode(checked) && reasons.includes(checked) ? checked : firstReason;
      items.push({ field: 'reasonCode', fieldId: reasonInputId(reasonsId, target), message: found.reasonCode.message });
    }
    if (found.note?.message !== undefined) items.push({ field: 'note', fieldId: noteId, message: found.note.message });
    if (acknowledgementRequired && found.acknowledgeCharge?.message !== undefined) {
      items.push({ field: 'acknowledgeCharge', fieldId: acknowledgeId, message: found.acknowledgeCharge.message });
    }
    return items;
  };
  // Taken from the submit's own result, never from the rendered errors: react-hook-form calls the
  // invalid-submit callback before it publishes them, and in a browser React renders in between,
  // so a summary read from the render missed a problem this submit found (the note's, after the
  // reason changed) while focusing the stale list.
  const showSummary = (found: FieldErrors<CancelFormValues>) =>
    setSummaryAtSubmit((previous) => ({ request: previous.request + 1, items: summaryOf(found) }));

  // The proxy's rules can be stricter than ours (a lower note limit, a reason no longer offered):
  // its refusal lands on the field it names, in the patient's words, never the proxy's.
  const setError = form.setError;
  useEffect(() => {
    if (serverIssues === null) return;
    const refused: FieldErrors<CancelFormValues> = {};
    for (const [field, message] of [
      ['reasonCode', messages.errorReasonRejected],
      ['note', messages.errorNoteRejected],
    ] as const) {
      if (serverIssues.some((issue) => issue.path === field)) setError(field, (refused[field] = { type: 'server', message }));
    }
    if (refused.reasonCode || refused.note) showSummary(refused);
    // showSummary reads only values that are current when a refusal arrives.
  }, [serverIssues, setError, messages]);

  // The acknowledgement goes with the charge warning when a read moves the visit out of the window:
  // its problem goes too, or the summary would link to a box that is no longer there (and bring
  // back a stale message if the window opened again). So does the tick: consent is given to the
  // warning on screen, and a window that opens again (another ETA) is asked about afresh, never
  // sent as acknowledged from a box ticked before.
  const { clearErrors, setValue } = form;
  useEffect(() => {
    if (acknowledgementRequired) return;
    clearErrors('acknowledgeCharge');
    setValue('acknowledgeCharge', false);
  }, [acknowledgementRequired, clearErrors, setValue]);

  // A problem leaves the summary once its field is fixed. Read from react-hook-form's own state,
  // which is current as soon as a submit has validated (the rendered errors come a render later).
  // (The acknowledgement's problem is left out at once, in the render the box goes: its error is
  // cleared only in the effect above, a render later.)
  const items = summaryAtSubmit.items.filter(
    (item) => form.getFieldState(item.field).invalid && (item.field !== 'acknowledgeCharge' || acknowledgementRequired),
  );
  const summaryShown = submitCount > 0 && items.length > 0;
  useEffect(() => {
    if (summaryAtSubmit.request <= focusedRequest.current || !summaryShown || summaryRef.current === null) return;
    focusedRequest.current = summaryAtSubmit.request;
    summaryRef.current.focus();
  }, [summaryAtSubmit.request, summaryShown]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    if (!canSubmit()) {
      event.preventDefault();
      return;
    }
    void form.handleSubmit(onValidSubmit, showSummary)(event);
  };

  return (
    <form
      className="hc-form"
      id={id}
      noValidate
      aria-busy={busy ? true : undefined}
      onSubmit={submit}
      // Listened to here, where the patient's change bubbles, so the reason picker stays untouched.
      onChange={(event) => {
        // Not `instanceof`: the form may live in another window's document (an iframe).
        const { name, value } = event.target as EventTarget & Partial<Pick<HTMLInputElement, 'name' | 'value'>>;
        if (name === 'reasonCode' && isReasonCode(value)) onReasonChange?.(value);
      }}
    >
      {summaryShown ? (
        <ErrorSummary ref={summaryRef} title={messages.errorSummaryTitle} items={items} />
      ) : null}
      <ReasonPicker
        reasons={reasons}
        registration={form.register('reasonCode')}
        idPrefix={reasonsId}
        error={errors.reasonCode?.message}
        messages={messages}
      />
      <NoteField
        id={noteId}
        control={form.control}
        registration={form.register('note')}
        required={noteRequired}
        maxLength={noteMaxLength}
        error={errors.note?.message}
        messages={messages}
      />
      {acknowledgementRequired ? (
        <ChargeAcknowledgement
          id={acknowledgeId}
          registration={form.register('acknowledgeCharge')}
          error={errors.acknowledgeCharge?.message}
          {...(chargeWarningId === undefined ? {} : { warningId: chargeWarningId })}
          messages={messages}
        />
      ) : null}
    </form>
  );
}
