import { useCallback, useEffect, useId, type ReactNode, type RefObject } from 'react';
import { requiresChargeAcknowledgement } from '../core/index';
import type { ChargeState } from '../core/index';
import { AppointmentSummary } from './appointment-summary';
import { CancelForm } from './cancel-form';
import type { CancelledResult } from './cancel-appointment-context';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { ChargeStatus } from './charge-status';
import type { CancelAppointmentMessages } from './messages';
import { StatusPanel } from './status-panel';
import { SuccessPanel } from './success-panel';
import { useCancelFlow, type FormNotice } from './use-cancel-flow';

export interface CancelDialogContentProps {
  readonly appointmentId: string;
  /** The dialog's `aria-labelledby`: its question while deciding, a status panel's heading after. */
  readonly titleId: string;
  /** Referenced by the dialog's aria-describedby: the summary, or the news that replaced it. */
  readonly descriptionId: string;
  /** The dismiss button ("Keep appointment", later "Close"): the dialog's initial focus. */
  readonly dismissRef: RefObject<HTMLButtonElement | null>;
  /** Set while a cancel is in flight, when closing would misleadingly "keep" the appointment. */
  readonly busyRef: RefObject<boolean>;
  readonly onClose: () => void;
  readonly onChargeStateChange: (state: ChargeState | null) => void;
  /** Told whether the patient is still deciding, so the dialog shows its question only then. */
  readonly onDecidingChange: (deciding: boolean) => void;
}

function noticeText(notice: FormNotice, messages: CancelAppointmentMessages): string {
  switch (notice) {
    case 'acknowledgement_required':
      return messages.acknowledgementNowRequired;
    case 'network_error':
      return messages.networkError;
    case 'upstream_error':
      return messages.upstreamError;
    case 'rate_limited':
      return messages.rateLimited;
    case 'invalid_request':
      return messages.invalidRequest;
    case 'not_cancelled':
      return messages.pendingNotCancelled;
    case 'unexpected':
      return messages.unexpectedError;
  }
}

/** Everything inside the open dialog below its heading; mounted only while open, so each opening starts fresh. */
export function CancelDialogContent({
  appointmentId,
  titleId,
  descriptionId,
  dismissRef,
  busyRef,
  onClose,
  onChargeStateChange,
  onDecidingChange,
}: CancelDialogContentProps) {
  const { messages, onCancelled, onReschedule } = useCancelAppointmentContext('CancelAppointmentDialog');
  const report = useCallback((result: CancelledResult) => onCancelled?.(result), [onCancelled]);
  const flow = useCancelFlow(appointmentId, report);
  const { view, data, charge, online, isSubmitting } = flow;
  const formId = useId();
  const chargeId = `${formId}-charge`;
  const offlineId = `${formId}-offline`;
  busyRef.current = isSubmitting;

  const chargeState = view.kind === 'form' ? charge.state : null;
  useEffect(() => onChargeStateChange(chargeState), [chargeState, onChargeStateChange]);

  const timeZone = data?.appointment.timeZone ?? 'Europe/London';
  const formatInstant = (iso: string | undefined) =>
    iso === undefined ? null : messages.formatDateTime(Date.parse(iso), timeZone);

  let main: ReactNode;
  switch (view.kind) {
    case 'loading':
      main = (
        <p className="hc-loading" role="status" id={descriptionId}>
          {messages.loading}
        </p>
      );
      break;
    case 'load_error':
      main = (
        <StatusPanel title={messages.loadErrorTitle} tone="error" titleId={titleId} descriptionId={descriptionId}>
          <p>{messages.loadErrorBody}</p>
          <button type="button" className="hc-button" onClick={flow.reloadAppointment}>
            {messages.tryAgain}
          </button>
        </StatusPanel>
      );
      break;
    case 'session_expired':
      main = (
        <StatusPanel title={messages.sessionExpiredTitle} tone="error" titleId={titleId} descriptionId={descriptionId}>
          <p>{messages.sessionExpiredBody}</p>
        </StatusPanel>
      );
      break;
    case 'not_found':
      main = (
        <StatusPanel title={messages.notFoundTitle} tone="error" titleId={titleId} descriptionId={descriptionId}>
          <p>{messages.notFoundBody}</p>
        </StatusPanel>
      );
      break;
    case 'not_cancellable':
      main = (
        <StatusPanel title={messages.notCancellableTitle} titleId={titleId} descriptionId={descriptionId}>
          <p>{messages.notCancellableBody}</p>
        </StatusPanel>
      );
      break;
    case 'already_cancelled': {
      const code = view.cancellation?.reasonCode;
      main = (
        <StatusPanel title={messages.alreadyCancelledTitle} titleId={titleId} descriptionId={descriptionId}>
          <p>
            {messages.alreadyCancelledBody({
              reason: code === undefined ? null : messages.reasonLabels[code],
              date: formatInstant(view.cancellation?.createdAt),
            })}
          </p>
        </StatusPanel>
      );
      break;
    }
    case 'pending_confirmation':
      main = (
        <StatusPanel title={messages.pendingTitle} tone="pending" titleId={titleId} descriptionId={descriptionId}>
          <p>{messages.pendingBody}</p>
        </StatusPanel>
      );
      break;
    case 'success':
      main = (
        <SuccessPanel
          result={view.result}
          appointment={data?.appointment ?? null}
          titleId={titleId}
          descriptionId={descriptionId}
          messages={messages}
        />
      );
      break;
    case 'form': {
      // `data` is always present in the form view; the guard only narrows the type.
      if (data === undefined) break;
      const acknowledgementRequired = requiresChargeAcknowledgement(charge.state);
      const retryable = view.notice === 'network_error' || view.notice === 'upstream_error';
      main = (
        <>
          <AppointmentSummary appointment={data.appointment} messages={messages} id={descriptionId} />
          <ChargeStatus
            id={chargeId}
            state={charge.state}
            targetMs={charge.targetMs}
            chargeableFromMs={charge.chargeableFromMs}
            windowHours={data.charge.windowHours}
            timeZone={data.appointment.timeZone}
            serverNow={flow.serverNow}
            messages={messages}
          />
          <CancelForm
            id={formId}
            reasons={data.reasons}
            acknowledgementRequired={acknowledgementRequired}
            chargeWarningId={chargeId}
            messages={messages}
            canSubmit={() => online && !busyRef.current}
            onValidSubmit={flow.submit}
            initialBody={flow.submittedBody}
          />
          {view.notice === null ? null : (
            <div className="hc-notice" role="alert" data-notice={view.notice}>
              <p>{noticeText(view.notice, messages)}</p>
              {retryable ? (
                <button
                  type="button"
                  className="hc-button"
                  aria-disabled={isSubmitting || !online ? true : undefined}
                  onClick={() => {
                    if (!isSubmitting && online) flow.retry();
                  }}
                >
                  {messages.tryAgain}
                </button>
              ) : null}
            </div>
          )}
          <div className="hc-offline" role="status" id={offlineId}>
            {online ? null : <p>{messages.offline}</p>}
          </div>
        </>
      );
      break;
    }
  }

  const isForm = view.kind === 'form';
  const isDecisionPending = isForm || view.kind === 'loading' || view.kind === 'load_error';
  useEffect(() => onDecidingChange(isDecisionPending), [isDecisionPending, onDecidingChange]);
  const confirmDisabled = isSubmitting || !online;
  return (
    <>
      <div className="hc-dialog__body">{main}</div>
      <div className="hc-dialog__actions">
        <button
          type="button"
          className="hc-button hc-button--secondary"
          ref={dismissRef}
          aria-disabled={isSubmitting ? true : undefined}
          onClick={() => {
            if (!busyRef.current) onClose();
          }}
        >
          {isDecisionPending ? messages.keep : messages.close}
        </button>
        {isForm ? (
          <button
            type="submit"
            form={formId}
            className="hc-button hc-button--danger"
            aria-disabled={confirmDisabled ? true : undefined}
            aria-describedby={online ? undefined : offlineId}
            onClick={(event) => {
              // aria-disabled keeps the button focusable and announced; the click must still do nothing.
              if (confirmDisabled) event.preventDefault();
            }}
          >
            {isSubmitting ? messages.confirming : messages.confirm}
          </button>
        ) : null}
        {isForm && onReschedule !== undefined ? (
          <button
            type="button"
            className="hc-button hc-button--link"
            aria-disabled={isSubmitting ? true : undefined}
            onClick={() => {
              if (busyRef.current) return;
              onReschedule(appointmentId);
              onClose();
            }}
          >
            {messages.reschedule}
          </button>
        ) : null}
      </div>
    </>
  );
}
