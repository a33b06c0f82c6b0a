import { memo, useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { requiresChargeAcknowledgement } from '../core/index';
import type { ChargeState } from '../core/index';
import { AppointmentSummary } from './appointment-summary';
import { CancelForm } from './cancel-form';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { RETRYABLE_NOTICES } from './cancel-flow-view';
import { CancelStatusView } from './cancel-status-view';
import { chargeSentenceIds, ChargeStatus } from './charge-status';
import type { CancelAppointmentMessages } from './messages';
import { useCancelFlow, type FormNotice } from './use-cancel-flow';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect';
import { scrollFocusIntoView } from './use-native-dialog';
import { useTimePassed } from './use-time-passed';
import { visuallyHidden } from './visually-hidden';

/** After this long without confirmation, the pending panel adds what to do if it never comes. */
export const PENDING_GUIDANCE_AFTER_MS = 2 * 60_000;

export interface CancelDialogContentProps {
  readonly appointmentId: string;
  /** The dialog's `aria-labelledby`: its question while deciding, a status panel's heading after. */
  readonly titleId: string;
  /** Referenced by the dialog's aria-describedby: the summary, or the news that replaced it. */
  readonly descriptionId: string;
  /** The charge status's id: its fixed sentences are the rest of the dialog's description (chargeSentenceIds). */
  readonly chargeId: string;
  /** The dismiss button ("Keep appointment", later "Close"): the dialog's initial focus. */
  readonly dismissRef: RefObject<HTMLButtonElement | null>;
  /** Set while a cancel is in flight, when closing would misleadingly "keep" the appointment. */
  readonly busyRef: RefObject<boolean>;
  readonly onClose: () => void;
  readonly onChargeStateChange: (state: ChargeState | null) => void;
  /** Told whether the patient is still deciding, so the dialog shows its question only then. */
  readonly onDecidingChange: (deciding: boolean) => void;
}

/** The message each form notice shows. */
const NOTICE_TEXT = {
  acknowledgement_required: 'acknowledgementNowRequired',
  network_error: 'networkError',
  upstream_error: 'upstreamError',
  rate_limited: 'rateLimited',
  invalid_request: 'invalidRequest',
  unconfirmed: 'unconfirmedNotice',
  not_cancelled: 'pendingNotCancelled',
  unexpected: 'unexpectedError',
} as const satisfies Record<FormNotice, keyof CancelAppointmentMessages>;

/**
 * Everything inside the open dialog below its heading; mounted only while open. Each opening
 * starts a fresh form, but an attempt in progress (pending, unresolved, confirmed) is remembered
 * above it (cancel-attempt.ts), so reopening goes straight back to where it stands. Memoised: its
 * props are stable, so a change of the dialog around it (its title, `data-charge`) does not
 * re-render the form.
 */
export const CancelDialogContent = memo(function CancelDialogContent({
  appointmentId,
  titleId,
  descriptionId,
  chargeId,
  dismissRef,
  busyRef,
  onClose,
  onChargeStateChange,
  onDecidingChange,
}: CancelDialogContentProps) {
  const { messages, onReschedule, onSignIn, noteMaxLength } = useCancelAppointmentContext('CancelAppointmentDialog');
  const flow = useCancelFlow(appointmentId);
  const { view, data, charge, online, isSubmitting } = flow;
  const formId = useId();
  const offlineId = `${formId}-offline`;
  busyRef.current = isSubmitting;

  const chargeState = view.kind === 'form' ? charge.state : null;
  // Opened before the appointment arrived: the description said "Loading…", so the charge status
  // says its sentences once when the form first appears (not again in this opening).
  const openedLoading = useRef(view.kind === 'loading');
  const arrivedAfterOpening = openedLoading.current && view.kind === 'form';
  useEffect(() => {
    if (view.kind === 'form') openedLoading.current = false;
  }, [view.kind]);
  useEffect(() => onChargeStateChange(chargeState), [chargeState, onChargeStateChange]);

  // A refusal's notice comes at the end of a form often taller than a phone's screen, while focus
  // stays on the confirm button: it is scrolled into view (just above the dialog's actions, where
  // they stay in view) as it appears. Scrolling is silent; the alert is still spoken once, as inserted.
  const noticeRef = useRef<HTMLDivElement>(null);
  const notice = view.kind === 'form' ? view.notice : null;
  // Then the focused button is brought back into view, by as little as it takes: below 30rem of
  // height the actions do not stick, and the notice's scroll could push it out (2.4.7). The notice's
  // top may leave view then; it has been announced, and its "Try again" sits at its foot.
  useIsomorphicLayoutEffect(() => {
    const element = noticeRef.current;
    if (notice === null || element === null) return;
    element.scrollIntoView?.({ block: 'nearest' });
    const dialog = element.closest('dialog');
    if (dialog) scrollFocusIntoView(dialog);
  }, [notice, flow.noticeKey]);
  // What has focus can go away by itself: a status panel's heading when a read brings the form
  // back (the patient signed in again elsewhere), a notice's "Try again" when the answer to it
  // brings a notice without one (tick the box now), the acknowledgement when Heim moves the visit
  // out of the window, a summary link whose problem went. Focus would fall to the page's body; it
  // goes to the nearest part of the dialog still there that takes focus (the charge section, the
  // error summary), else where it starts on opening. Kept: the element focused last
  // and its ancestors up to the dialog, since a removed subtree no longer knows its parents.
  const lastFocused = useRef<readonly Element[]>([]);
  // Watching from a layout effect: a reopening on a status panel focuses its heading in a passive
  // effect, which runs before this component's own; watched from there, that focus went unseen.
  useIsomorphicLayoutEffect(() => {
    const dialog = dismissRef.current?.closest('dialog');
    if (!dialog) return undefined;
    const remember = (event: FocusEvent) => {
      const chain: Element[] = [];
      for (let node = event.target as Element | null; node !== null && node !== dialog; node = node.parentElement) chain.push(node);
      lastFocused.current = chain;
    };
    // Focus left for nothing in the dialog (where an engine puts it on the body for a click on
    // plain text) while the element stays: the patient moved it, so nothing is put back later.
    // Looked at a microtask on, as Chromium sends focusout for a removed element before removing it.
    const forget = (event: FocusEvent) => {
      if (event.relatedTarget !== null) return;
      const left = event.target as Element;
      queueMicrotask(() => {
        if (left.isConnected && lastFocused.current[0] === left) lastFocused.current = [];
      });
    };
    dialog.addEventListener('focusin', remember);
    dialog.addEventListener('focusout', forget);
    return () => {
      dialog.removeEventListener('focusin', remember);
      dialog.removeEventListener('focusout', forget);
    };
  }, [dismissRef]);
  // A passive effect, after the children's own: a new status panel has focused its heading by
  // then, and nothing moves, so a screen reader hears one focus move, not "Close" and then it.
  useEffect(() => {
    const dismiss = dismissRef.current;
    const [focused, ...ancestors] = lastFocused.current;
    if (!dismiss || !focused || focused.isConnected) return;
    const dialog = dismiss.closest('dialog');
    if (!dialog?.open) return;
    const active = dismiss.ownerDocument.activeElement;
    if (active !== null && active !== dismiss.ownerDocument.body) return;
    const target = ancestors.find((node) => node.isConnected && node.hasAttribute('tabindex')) ?? dismiss;
    (target as HTMLElement).focus({ preventScroll: true });
    scrollFocusIntoView(dialog);
  });
  // The form, once loaded, pushes "Keep appointment" (focused on opening) further down: keep it in view.
  const isForm = view.kind === 'form';
  useIsomorphicLayoutEffect(() => {
    const dialog = dismissRef.current?.closest('dialog');
    if (isForm && dialog) scrollFocusIntoView(dialog);
  }, [isForm, dismissRef]);

  // The stylesheet keeps what Tab scrolls to clear of the stuck actions by their height, which
  // grows with wrapping labels, a third action or larger text: measured here, as the bar changes.
  // Optional: without ResizeObserver (jsdom, older engines) the stylesheet's 12rem stands in.
  const actionsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const actions = actionsRef.current;
    const dialog = actions?.parentElement;
    if (!dialog || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() => dialog.style.setProperty('--hc-actions-block-size', `${actions!.offsetHeight}px`));
    observer.observe(actions!, { box: 'border-box' });
    return () => observer.disconnect();
  }, []);

  const longWait = useTimePassed(view.kind === 'pending_confirmation' ? view.since : null, PENDING_GUIDANCE_AFTER_MS);

  let main: ReactNode;
  switch (view.kind) {
    case 'form': {
      // `data` is always present in the form view; the guard only narrows the type.
      if (data === undefined) break;
      const acknowledgementRequired = requiresChargeAcknowledgement(charge.state);
      const retryable = view.notice !== null && RETRYABLE_NOTICES.has(view.notice);
      main = (
        <>
          <AppointmentSummary appointment={data.appointment} messages={messages} id={descriptionId} />
          <ChargeStatus
            id={chargeId}
            quiet={flow.chargeChangeTold}
            arrivedAfterOpening={arrivedAfterOpening}
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
            chargeWarningId={chargeSentenceIds(chargeId, charge.state)}
            messages={messages}
            canSubmit={() => online && !busyRef.current}
            onValidSubmit={flow.submit}
            initialBody={flow.submittedBody}
            noteMaxLength={noteMaxLength}
            serverIssues={view.fieldIssues}
            onReasonChange={flow.chooseReason}
            busy={isSubmitting}
          />
          {view.notice === null ? null : (
            <div className="hc-notice" role="alert" data-notice={view.notice} ref={noticeRef}>
              <p key={flow.noticeKey}>{messages[NOTICE_TEXT[view.notice]]}</p>
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
          {/*
            The focused button's new name ("Cancelling…") is not reliably spoken, so the sending is
            said here, once, politely: in the page from the form's first render (a region inserted
            with its words is often not announced), and emptied when the answer comes, which is
            told by the success panel's heading or a refusal's alert. Hidden: the button shows it.
          */}
          <div role="status" style={visuallyHidden}>
            {isSubmitting ? messages.cancellingStatus : null}
          </div>
        </>
      );
      break;
    }
    default:
      main = (
        <CancelStatusView
          view={view}
          appointment={data?.appointment ?? null}
          titleId={titleId}
          descriptionId={descriptionId}
          messages={messages}
          longWait={longWait}
          retryDisabled={isSubmitting || !online}
          offline={!online}
          onRetry={flow.retry}
          onReload={() => {
            // The panel and its button give way to "Loading…" and then the form: focus goes where
            // it starts on opening, rather than falling to the page behind the dialog.
            dismissRef.current?.focus();
            flow.reloadAppointment();
          }}
          onSignIn={
            onSignIn === undefined
              ? undefined
              : () => {
                  // Closed first: the portal's sign-in may be a dialog of its own, or a new page.
                  onClose();
                  onSignIn(appointmentId);
                }
          }
        />
      );
  }

  const isDecisionPending = isForm || view.kind === 'loading' || view.kind === 'load_error';
  useEffect(() => onDecidingChange(isDecisionPending), [isDecisionPending, onDecidingChange]);
  const confirmDisabled = isSubmitting || !online;
  return (
    <>
      <div className="hc-dialog__body">{main}</div>
      <div className="hc-dialog__actions" ref={actionsRef}>
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
});
