import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useForm, useWatch } from 'react-hook-form';
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
  const [summaryFocusRequest, setSummaryFocusRequest] = useState(0);
  const focusedRequest = useRef(0);
  // The summary as it stood at the last failed submit (the GOV.UK pattern): it is an alert, so
  // re-writing it as the patient types would interrupt every keystroke. Problems fixed since drop
  // out (a removal is not announced); the fields' own messages stay live.
  const [summaryAtSubmit, setSummaryAtSubmit] = useState<{ request: number; items: readonly SummaryItem[] }>({ request: 0, items: [] });

  // The proxy's rules can be stricter than ours (a lower note limit, a reason no longer offered):
  // its refusal lands on the field it names, in the patient's words, never the proxy's.
  const setError = form.setError;
  useEffect(() => {
    if (serverIssues === null) return;
    const paths = new Set(serverIssues.map((issue) => issue.path));
    if (paths.has('reasonCode')) setError('reasonCode', { type: 'server', message: messages.errorReasonRejected });
    if (paths.has('note')) setError('note', { type: 'server', message: messages.errorNoteRejected });
    if (paths.has('reasonCode') || paths.has('note')) setSummaryFocusRequest((request) => request + 1);
  }, [serverIssues, setError, messages]);

  const reasonsId = `${id}-reason`;
  const noteId = `${id}-note`;
  const acknowledgeId = `${id}-acknowledge`;
  const firstReason = reasons[0];

  const liveItems: SummaryItem[] = [];
  if (errors.reasonCode?.message !== undefined && firstReason !== undefined) {
    const checked = isReasonCode(reasonCode) && reasons.includes(reasonCode) ? reasonCode : firstReason;
    liveItems.push({ field: 'reasonCode', fieldId: reasonInputId(reasonsId, checked), message: errors.reasonCode.message });
  }
  if (errors.note?.message !== undefined) liveItems.push({ field: 'note', fieldId: noteId, message: errors.note.message });
  if (acknowledgementRequired && errors.acknowledgeCharge?.message !== undefined) {
    liveItems.push({ field: 'acknowledgeCharge', fieldId: acknowledgeId, message: errors.acknowledgeCharge.message });
  }
  const liveKey = liveItems.map((item) => `${item.fieldId}\u0000${item.message}`).join('\u0001');
  const items = summaryAtSubmit.items.filter((item) => liveItems.some((live) => live.field === item.field));

  // react-hook-form calls the invalid-submit callback before it publishes the errors, so the
  // summary is taken a render after the request, once they are there; then focused, once per request.
  useEffect(() => {
    if (summaryFocusRequest <= summaryAtSubmit.request || liveItems.length === 0) return;
    setSummaryAtSubmit({ request: summaryFocusRequest, items: liveItems });
    // liveKey stands for liveItems, a new array each render.
  }, [summaryFocusRequest, summaryAtSubmit.request, liveKey]);
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
    void form.handleSubmit(onValidSubmit, () => setSummaryFocusRequest((request) => request + 1))(event);
  };

  return (
    <form
      className="hc-form"
      id={id}
      noValidate
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
