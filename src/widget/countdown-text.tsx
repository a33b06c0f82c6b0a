import { useEffect, useState } from 'react';
import { onPageWake } from './page-wake';

export interface CountdownTextProps {
  /** The instant counted down to, in epoch ms (proxy clock). */
  readonly targetMs: number;
  /** The proxy's current time in epoch ms. */
  readonly serverNow: () => number;
  /** Turns the remaining ms into the sentence shown, e.g. "The practitioner is due in 5 minutes.". */
  readonly render: (remainingMs: number) => string;
  /**
   * How often the text can change, in ms: 1000 while it shows seconds, 60 000 once the patient
   * has hidden them, so it then changes at most once a minute. Default 1000.
   */
  readonly stepMs?: number;
  readonly className?: string;
}

/**
 * The only part of the widget that re-renders every second (every minute once the patient hides
 * the seconds). Deliberately not a live region: a screen reader reading out every tick would
 * drown the dialog (the charge status has a separate, quiet announcer). Each tick re-reads the
 * clock rather than subtracting a second, and ticks are aligned to whole steps of the remaining
 * time so the display never skips or stutters.
 */
export function CountdownText({ targetMs, serverNow, render, stepMs = 1000, className }: CountdownTextProps) {
  // Kept with the target it was read for: when the target changes (free → chargeable, a moved
  // ETA) the old target's time must not show for even one commit, so it is read afresh at once.
  const [reading, setReading] = useState(() => ({ targetMs, remainingMs: targetMs - serverNow() }));
  const remainingMs = reading.targetMs === targetMs ? reading.remainingMs : targetMs - serverNow();

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      clearTimeout(timer);
      const remaining = targetMs - serverNow();
      setReading({ targetMs, remainingMs: remaining });
      if (remaining <= 0) return;
      // Wake just after the next whole step (second or minute) of the remaining time.
      timer = setTimeout(tick, (remaining % stepMs) + 1);
    };
    tick();
    const stopWake = onPageWake(tick);
    return () => {
      clearTimeout(timer);
      stopWake();
    };
  }, [targetMs, serverNow, stepMs]);

  return <span className={className}>{render(Math.max(0, remainingMs))}</span>;
}
