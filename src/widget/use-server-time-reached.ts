import { useCallback, useSyncExternalStore } from 'react';
import { MAX_TIMEOUT_MS, onPageWake } from './page-wake';

/**
 * Whether the proxy's clock has reached `atMs` (epoch ms; null: never). Re-renders once when it
 * does, not every second: one timer for the moment itself, re-planned when the clock estimate
 * changes (a new `serverNow` identity) and re-read when a sleeping tab wakes, since background
 * timers are throttled.
 */
export function useServerTimeReached(atMs: number | null, serverNow: () => number): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (atMs === null) return () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      const plan = () => {
        clearTimeout(timer);
        const remaining = atMs - serverNow();
        if (remaining <= 0) {
          onChange();
          return;
        }
        // +1: fire just after the moment, never a hair before it.
        timer = setTimeout(plan, Math.min(remaining + 1, MAX_TIMEOUT_MS));
      };
      plan();
      const stopWake = onPageWake(onChange);
      return () => {
        clearTimeout(timer);
        stopWake();
      };
    },
    [atMs, serverNow],
  );
  const getReached = () => atMs !== null && serverNow() >= atMs;
  return useSyncExternalStore(subscribe, getReached, getReached);
}
