import { useEffect, useRef, useState } from 'react';
import type { ChargeState } from '../core/index';
import type { CancelAppointmentMessages } from './messages';
import { remainingTime } from './format';
import { MAX_TIMEOUT_MS, onPageWake } from './page-wake';
import { visuallyHidden } from './visually-hidden';

/** Minutes before a transition at which the remaining time is spoken. */
const THRESHOLD_MINUTES = [60, 30, 15, 10, 5, 1] as const;
/** Never speak more often than this, except when charges begin. */
const MIN_GAP_MS = 60_000;

export interface ChargeAnnouncerProps {
  readonly state: ChargeState;
  /** The next transition (chargeableFrom while free, the ETA while chargeable), or null. */
  readonly targetMs: number | null;
  readonly serverNow: () => number;
  readonly messages: CancelAppointmentMessages;
  /** A change of state now is already said elsewhere (a refusal's alert): keep it, don't speak it. */
  readonly quiet?: boolean;
  /**
   * Said once, as it mounts: what cancelling may cost, when the dialog opened before the appointment
   * had arrived (its description then said only "Loading…", and the form arrives silently).
   */
  readonly onArrival?: string | null;
}

/**
 * A polite live region that speaks only at thresholds: a few fixed minutes before the next
 * transition (at most once a minute) and, always and clearly, when charges begin. Silent on
 * opening: the dialog's description already says the state. Unless the appointment arrived after
 * the dialog opened: then `onArrival` is said once.
 */
export function ChargeAnnouncer({ state, targetMs, serverNow, messages, quiet = false, onArrival = null }: ChargeAnnouncerProps) {
  const [message, setMessage] = useState('');
  const lastSpokenAt = useRef<number | null>(null);
  const previousState = useRef(state);

  // Set after the region is in the page (an effect, not the first render): text present as a live
  // region appears is not reliably spoken. Read once, as it mounts.
  const arrival = useRef(onArrival);
  useEffect(() => {
    if (arrival.current) setMessage(arrival.current);
  }, []);

  useEffect(() => {
    if (previousState.current === state) return;
    previousState.current = state;
    if (state === 'chargeable' || state === 'due') {
      // Quiet, it was said by the alert that came with the change; either way it was just said.
      if (!quiet) setMessage(state === 'chargeable' ? messages.announceChargesBegin : messages.announceDue);
      lastSpokenAt.current = serverNow();
    }
    // `quiet` is read with the change it came with, not watched: it never speaks on its own.
  }, [state, messages, serverNow]);

  useEffect(() => {
    if (targetMs === null || (state !== 'free' && state !== 'chargeable')) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const plan = (speakMinutes: number | null) => {
      clearTimeout(timer);
      const now = serverNow();
      if (speakMinutes !== null && (lastSpokenAt.current === null || now - lastSpokenAt.current >= MIN_GAP_MS)) {
        const remaining = remainingTime(speakMinutes * 60_000, messages.formatDuration);
        setMessage(state === 'free' ? messages.announceFreeRemaining(remaining) : messages.announceDueIn(remaining));
        lastSpokenAt.current = now;
      }
      const next = THRESHOLD_MINUTES.find((minutes) => targetMs - minutes * 60_000 > now);
      if (next === undefined) return;
      timer = setTimeout(() => plan(next), Math.min(targetMs - next * 60_000 - now, MAX_TIMEOUT_MS));
    };
    plan(null);
    // After sleeping, thresholds that passed meanwhile are stale news: re-plan without speaking.
    const stopWake = onPageWake(() => plan(null));
    return () => {
      clearTimeout(timer);
      stopWake();
    };
  }, [state, targetMs, serverNow, messages]);

  return (
    <div role="status" aria-live="polite" aria-atomic="true" style={visuallyHidden}>
      {message}
    </div>
  );
}
