import { isReasonCode, type AppointmentView } from '../core/index';
import type { CancelFlowView } from './cancel-flow-view';
import type { CancelAppointmentMessages } from './messages';
import { StatusPanel } from './status-panel';
import { SuccessPanel } from './success-panel';

/** Every screen of the dialog except the form (which needs the flow's callbacks and refs). */
export type StatusFlowView = Exclude<CancelFlowView, { kind: 'form' }>;

export interface CancelStatusViewProps {
  readonly view: StatusFlowView;
  readonly appointment: AppointmentView | null;
  readonly titleId: string;
  readonly descriptionId: string;
  readonly messages: CancelAppointmentMessages;
  /** Whether the pending confirmation has lasted long enough to add what to do if it never ends. */
  readonly longWait: boolean;
  /** Whether a request is in flight or the browser is offline: "Try again" does nothing then. */
  readonly retryDisabled: boolean;
  /** The browser is offline: the appointment cannot load until it is back (the read waits for it). */
  readonly offline: boolean;
  readonly onRetry: () => void;
  readonly onReload: () => void;
  /** The portal's sign-in, offered when the session has expired; undefined when it gave none. */
  readonly onSignIn: (() => void) | undefined;
}

/** One screen of news: loading, an error, information, pending, or success. */
export function CancelStatusView({
  view,
  appointment,
  titleId,
  descriptionId,
  messages,
  longWait,
  retryDisabled,
  offline,
  onRetry,
  onReload,
  onSignIn,
}: CancelStatusViewProps) {
  const panel = { titleId, descriptionId };
  switch (view.kind) {
    case 'loading':
      return (
        // Offline, the read waits for the connection: "Loading…" would go on for ever, unexplained.
        <p className="hc-loading" role="status" id={descriptionId}>
          {offline ? messages.offline : messages.loading}
        </p>
      );
    case 'load_error':
      // The patient has not decided yet, so the dialog keeps its question as its title (and its
      // id): the panel's heading must not take that id as well.
      return (
        <StatusPanel title={messages.loadErrorTitle} tone="error" descriptionId={descriptionId}>
          <p>{messages.loadErrorBody}</p>
          <button type="button" className="hc-button" onClick={onReload}>
            {messages.tryAgain}
          </button>
        </StatusPanel>
      );
    case 'session_expired':
      return (
        <StatusPanel title={messages.sessionExpiredTitle} tone="error" {...panel}>
          <p>{view.unconfirmed ? messages.sessionExpiredBodyUnconfirmed : messages.sessionExpiredBody}</p>
          {onSignIn === undefined ? null : (
            <button type="button" className="hc-button" onClick={onSignIn}>
              {messages.signIn}
            </button>
          )}
        </StatusPanel>
      );
    case 'not_found':
      return (
        <StatusPanel title={messages.notFoundTitle} tone="error" {...panel}>
          <p>{messages.notFoundBody}</p>
        </StatusPanel>
      );
    case 'not_cancellable':
      return (
        <StatusPanel title={messages.notCancellableTitle} {...panel}>
          <p>{messages.notCancellableBody}</p>
        </StatusPanel>
      );
    case 'already_cancelled': {
      const code = view.cancellation?.reasonCode;
      const createdAt = view.cancellation?.createdAt;
      const timeZone = appointment?.timeZone ?? 'Europe/London';
      return (
        <StatusPanel title={messages.alreadyCancelledTitle} {...panel}>
          <p>
            {messages.alreadyCancelledBody({
              // A code Heim Operations set outside the fifteen has no label: the sentence goes without.
              reason: isReasonCode(code) ? messages.reasonLabels[code] : null,
              date: createdAt ? messages.formatDateTime(Date.parse(createdAt), timeZone) : null,
            })}
          </p>
        </StatusPanel>
      );
    }
    case 'pending_confirmation':
      return (
        <StatusPanel title={messages.pendingTitle} tone="pending" {...panel}>
          <p>{messages.pendingBody}</p>
          <p>{messages.pendingMayClose}</p>
          {/* Appears on its own after a while, so it is announced rather than found by chance. */}
          <div role="status">{longWait ? <p>{messages.pendingLongWait}</p> : null}</div>
        </StatusPanel>
      );
    case 'checking':
      return (
        <StatusPanel title={messages.checkingTitle} tone="pending" {...panel}>
          <p>{messages.checkingBody}</p>
        </StatusPanel>
      );
    case 'unconfirmed':
      return (
        <StatusPanel title={messages.unconfirmedTitle} tone="pending" {...panel}>
          <p>{messages.unconfirmedBody}</p>
          <button
            type="button"
            className="hc-button"
            aria-disabled={retryDisabled ? true : undefined}
            onClick={() => {
              if (!retryDisabled) onRetry();
            }}
          >
            {messages.tryAgain}
          </button>
        </StatusPanel>
      );
    case 'success':
      return (
        <SuccessPanel
          result={view.result}
          appointment={appointment}
          titleId={titleId}
          descriptionId={descriptionId}
          messages={messages}
        />
      );
  }
}
