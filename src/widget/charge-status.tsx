import { useCallback } from 'react';
import type { ChargeState } from '../core/index';
import { ChargeAnnouncer } from './charge-announcer';
import { CountdownText } from './countdown-text';
import type { CancelAppointmentMessages } from './messages';

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
  readonly id?: string;
}

/**
 * What cancelling may cost, in the four states of product.md. The wording is always "may be
 * charged": the organisation's agreement, not this widget, decides. Re-renders only when the
 * state changes; the ticking sentence is its own component.
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
}: ChargeStatusProps) {
  const { formatDuration, chargeFreeCountdown, chargeChargeableCountdown } = messages;
  const renderFree = useCallback(
    (ms: number) => chargeFreeCountdown({ remaining: formatDuration(ms) }),
    [chargeFreeCountdown, formatDuration],
  );
  const renderDueIn = useCallback(
    (ms: number) => chargeChargeableCountdown({ remaining: formatDuration(ms) }),
    [chargeChargeableCountdown, formatDuration],
  );

  let content;
  if (state === 'no_eta') {
    content = <p className="hc-charge__text">{messages.chargeNoEta}</p>;
  } else if (state === 'free') {
    content = (
      <>
        <p className="hc-charge__text">
          {chargeableFromMs === null
            ? null
            : messages.chargeFree({ until: messages.formatDateTime(chargeableFromMs, timeZone) })}
        </p>
        {targetMs === null ? null : (
          <p className="hc-charge__countdown">
            <CountdownText targetMs={targetMs} serverNow={serverNow} render={renderFree} />
          </p>
        )}
      </>
    );
  } else if (state === 'chargeable') {
    content = (
      <>
        <h3 className="hc-charge__title">{messages.chargeChargeableTitle}</h3>
        {targetMs === null ? null : (
          <p className="hc-charge__countdown">
            <CountdownText targetMs={targetMs} serverNow={serverNow} render={renderDueIn} />
          </p>
        )}
        <p className="hc-charge__text">{messages.chargeChargeableBody({ windowHours })}</p>
      </>
    );
  } else {
    content = (
      <>
        <h3 className="hc-charge__title">{messages.chargeDueTitle}</h3>
        <p className="hc-charge__text">{messages.chargeDueBody}</p>
      </>
    );
  }

  return (
    <section className="hc-charge" data-charge={state} id={id}>
      {content}
      <ChargeAnnouncer state={state} targetMs={targetMs} serverNow={serverNow} messages={messages} />
    </section>
  );
}
