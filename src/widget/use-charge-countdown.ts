import { useCallback, useSyncExternalStore } from 'react';
import { chargeableFromMs, chargeStateAt, nextChargeTransitionMs } from '../core/index';
import type { ChargeState } from '../core/index';
import { MAX_TIMEOUT_MS, onPageWake } from './page-wake';

export interface UseChargeCountdownOptions {
  /** The appointment's ETA in epoch ms, or null when Heim has not set one. */
  readonly etaMs: number | null;
  /** Hours before the ETA in which cancelling may be charged (from the proxy's `charge.windowHours`). */
  readonly windowHours: number;
  /** The proxy's current time in epoch ms, e.g. from `useServerClock()`. */
  readonly serverNow: () => number;
}

export interface ChargeCountdown {
  /** The charge state now: `no_eta`, `free`, `chargeable` or `due`. */
  readonly state: ChargeState;
  /** When cancelling may start to be charged (ETA − window), or null without an ETA. */
  readonly chargeableFromMs: number | null;
  /** The instant the countdown counts to: chargeableFrom while free, the ETA while chargeable, else null. */
  readonly targetMs: number | null;
}

/**
 * The charge state, flipping free → chargeable → due exactly at each transition. It re-renders
 * only when the state changes (never every second): one timer is set for the next transition
 * from the core rule, and the state is re-read when the page wakes, since background timers are
 * throttled. Time always comes from `serverNow`, so a sleeping tab is right on its next reading.
 */
export function useChargeCountdown({ etaMs, windowHours, serverNow }: UseChargeCountdownOptions): ChargeCountdown {
  const subscribe = useCallback(
    (onChange: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const plan = () => {
        clearTimeout(timer);
        const now = serverNow();
        const next = nextChargeTransitionMs(etaMs, windowHours, now);
        if (next === null) return;
        timer = setTimeout(
          () => {
            onChange();
            plan();
          },
          Math.min(Math.max(0, next - now), MAX_TIMEOUT_MS),
        );
      };
      plan();
      const stopWake = onPageWake(() => {
        onChange();
        plan();
      });
      return () => {
        clearTimeout(timer);
        stopWake();
      };
    },
    [etaMs, windowHours, serverNow],
  );
  const getState = () => chargeStateAt(etaMs, windowHours, serverNow());
  const state = useSyncExternalStore(subscribe, getState, getState);
  const from = etaMs === null ? null : chargeableFromMs(etaMs, windowHours);
  const targetMs = state === 'free' ? from : state === 'chargeable' ? etaMs : null;
  return { state, chargeableFromMs: from, targetMs };
}
