import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { ChargeState } from '../core/index';
import { ChargeAnnouncer } from './charge-announcer';
import { CountdownText } from './countdown-text';
// Seconds show only in the last hour: that is when the countdown changes every second and the
// control to stop it is offered (the same rule splits the durations).
import { remainingTime, SECONDS_SHOWN_WITHIN_MS } from './format';
import type { CancelAppointmentMessages } from './messages';
import { SecondsToggle } from './seconds-toggle';
import { useServerTimeReached } from './use-server-time-reached';

export interface ChargeStatusProps {
  readonly state: ChargeState;
  /** chargeableFrom while free, the ETA while chargeable, else null. */
  readonly targetMs: number | null;
  readonly chargeableFromMs: number | null;
  readonly windowHours: number;
  /** The appointment's IANA zone, for showing times. */
  readonly timeZone: string;
  readonly serverNow: () => number;
  readonly messages: CancelAppointmentMessages;
  /**
   * Also names its parts: `{id}-text` is its fixed sentence, and with `{id}-title` the warning the
   * acknowledgement is read with (chargeSentenceIds).
   */
  readonly id?: string;
  /** A change of state now is told by a refusal's alert (or a cancel is out): it is not spoken again. */
  readonly quiet?: boolean;
  /**
   * The appointment arrived after the dialog opened, so the dialog's description said only
   * "Loading…": its fixed sentences are said once as it appears (ChargeAnnouncer's `onArrival`).
   */
  readonly arrivedAfterOpening?: boolean;
}

/**
 * The ids, under a ChargeStatus's `id`, of its fixed sentences in `state` (never the countdown,
 * which changes every second): what the dialog's description adds to the appointment summary.
 */
export function chargeSentenceIds(id: string, state: ChargeState): string {
  return state === 'chargeable' || state === 'due' ? `${id}-title ${id}-text` : `${id}-text`;
}

/**
 * What cancelling may cost, in the four states of product.md. The wording is always "may be
 * charged": the organisation's agreement, not this widget, decides. Re-renders only when the
 * state changes (or the last hour begins); the ticking sentence is its own component.
 */
export function ChargeStatus({
  state,
  targetMs,
  chargeableFromMs,
  windowHours,
  timeZone,
  serverNow,
  messages,
  id,
  quiet = false,
  arrivedAfterOpening = false,
}: ChargeStatusProps) {
  const titleId = id === undefined ? undefined : `${id}-title`;
  const textId = id === undefined ? undefined : `${id}-text`;
  const { formatDuration, formatDurationWithoutSeconds, chargeFreeCountdown, chargeChargeableCountdown } = messages;
  const [secondsHidden, setSecondsHidden] = useState(false);
  const duration = secondsHidden ? formatDurationWithoutSeconds : formatDuration;
  const renderFree = useCallback(
    (ms: number) => chargeFreeCountdown(remainingTime(ms, duration, !secondsHidden)),
    [chargeFreeCountdown, duration, secondsHidden],
  );
  const renderDueIn = useCallback(
    (ms: number) => chargeChargeableCountdown(remainingTime(ms, duration, !secondsHidden)),
    [chargeChargeableCountdown, duration, secondsHidden],
  );

  // Offered from the last hour before a transition, and then kept while a countdown shows: a
  // control that came and went with each transition could take the patient's focus with it.
  const lastHour = useServerTimeReached(targetMs === null ? null : targetMs - SECONDS_SHOWN_WITHIN_MS, serverNow);
  const [toggleOffered, setToggleOffered] = useState(false);
  if (lastHour && !toggleOffered) setToggleOffered(true);

  // If the countdown (and its control) goes while the control has focus, focus stays in this
  // section rather than falling to the page's body.
  const sectionRef = useRef<HTMLElement>(null);
  const [refocus, setRefocus] = useState(0);
  useLayoutEffect(() => {
    if (refocus > 0) sectionRef.current?.focus();
  }, [refocus]);

  const countdown = (render: (ms: number) => string) =>
    targetMs === null ? null : (
      <>
        <p className="hc-charge__countdown">
          <CountdownText
            targetMs={targetMs}
            serverNow={serverNow}
            render={render}
            stepMs={secondsHidden ? 60_000 : 1000}
          />
        </p>
        {toggleOffered || lastHour ? (
          <SecondsToggle
            secondsHidden={secondsHidden}
            onToggle={() => setSecondsHidden((hidden) => !hidden)}
            onRemovedWhileFocused={() => setRefocus((count) => count + 1)}
            messages={messages}
          />
        ) : null}
      </>
    );

  // The fixed sentences, as the description reads them (chargeSentenceIds): title, then text.
  let title: string | null = null;
  let text: string | null;
  let content;
  if (state === 'no_eta') {
    text = messages.chargeNoEta;
    content = (
      <p className="hc-charge__text" id={textId}>
        {text}
      </p>
    );
  } else if (state === 'free') {
    text = chargeableFromMs === null ? null : messages.chargeFree({ until: messages.formatDateTime(chargeableFromMs, timeZone) });
    content = (
      <>
        <p className="hc-charge__text" id={textId}>
          {text}
        </p>
        {countdown(renderFree)}
      </>
    );
  } else if (state === 'chargeable') {
    title = messages.chargeChargeableTitle;
    text = messages.chargeChargeableBody({ windowHours });
    content = (
      <>
        <h3 className="hc-charge__title" id={titleId}>
          {title}
        </h3>
        {countdown(renderDueIn)}
        <p className="hc-charge__text" id={textId}>
          {text}
        </p>
      </>
    );
  } else {
    title = messages.chargeDueTitle;
    text = messages.chargeDueBody;
    content = (
      <>
        <h3 className="hc-charge__title" id={titleId}>
          {title}
        </h3>
        <p className="hc-charge__text" id={textId}>
          {text}
        </p>
      </>
    );
  }

  return (
    <section className="hc-charge" data-charge={state} id={id} ref={sectionRef} tabIndex={-1}>
      {content}
      <ChargeAnnouncer
        state={state}
        targetMs={targetMs}
        serverNow={serverNow}
        messages={messages}
        quiet={quiet}
        onArrival={arrivedAfterOpening ? messages.announceLoaded({ charge: [title, text].filter(Boolean).join(' ') }) : null}
      />
    </section>
  );
}
