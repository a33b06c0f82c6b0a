import { useLayoutEffect, useRef } from 'react';
import type { CancelAppointmentMessages } from './messages';

export interface SecondsToggleProps {
  readonly secondsHidden: boolean;
  readonly onToggle: () => void;
  /** Called if this control is removed while it has focus, so the owner can place focus. */
  readonly onRemovedWhileFocused: () => void;
  readonly messages: CancelAppointmentMessages;
}

/**
 * Stops (and restarts) the countdown's second-by-second changes: WCAG 2.2.2 asks for a way to
 * stop content that updates on its own. Its name says what pressing it does ("Hide seconds",
 * "Show seconds") rather than carrying aria-pressed: a toggle whose name changes with its state
 * would be read back-to-front, and a changing name stays clear with no stylesheet at all.
 */
export function SecondsToggle({ secondsHidden, onToggle, onRemovedWhileFocused, messages }: SecondsToggleProps) {
  const ref = useRef<HTMLButtonElement>(null);
  const latest = useRef(onRemovedWhileFocused);
  latest.current = onRemovedWhileFocused;
  // A layout effect's cleanup runs before React removes the button, while it can still hold focus.
  useLayoutEffect(() => {
    const button = ref.current;
    return () => {
      if (button !== null && button.ownerDocument.activeElement === button) latest.current();
    };
  }, []);
  return (
    <button type="button" className="hc-button hc-button--link hc-charge__seconds" ref={ref} onClick={onToggle}>
      {secondsHidden ? messages.showSeconds : messages.hideSeconds}
    </button>
  );
}
