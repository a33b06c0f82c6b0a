import { useEffect, useState } from 'react';
import { onPageWake } from './page-wake';

export interface CountdownTextProps {
  /** The instant counted down to, in epoch ms (proxy clock). */
  readonly targetMs: number;
  /** The proxy's current time in epoch ms. */
  readonly serverNow: () => number;
  /** Turns the remaining ms into the sentence shown, e.g. "The practitioner is due in 5 minutes.". */
  readonly render: (remainingMs: number) => string;
  readonly className?: string;
}

/**
 * The only part of the widget that re-renders every second. Deliberately not a live region:
 * a screen reader reading out every tick would drown the dialog (the charge status has a separate,
 * quiet announcer). Each tick re-reads the clock rather than subtracting a second, and ticks are
 * aligned to whole seconds of the remaining time so the display never skips or stutters.
 */
export function CountdownText({ targetMs, serverNow, render, className }: CountdownTextProps) {
  const [remainingMs, setRemainingMs] = useState(() => targetMs - serverNow());

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      clearTimeout(timer);
      const remaining = targetMs - serverNow();
      setRemainingMs(remaining);
      if (remaining <= 0) return;
      // Wake just after the next whole-second boundary of the remaining time.
      timer = setTimeout(tick, (remaining % 1000) + 1);
    };
    tick();
    const stopWake = onPageWake(tick);
    return () => {
      clearTimeout(timer);
      stopWake();
    };
  }, [targetMs, serverNow]);

  return <span className={className}>{render(Math.max(0, remainingMs))}</span>;
}
