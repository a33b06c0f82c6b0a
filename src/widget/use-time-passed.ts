import { useEffect, useState } from 'react';
import { MAX_TIMEOUT_MS, onPageWake } from './page-wake';

/**
 * Whether `delayMs` has passed since `sinceMs` (epoch ms; null: never). Re-renders once when it
 * does, and re-checks when a sleeping tab wakes, since background timers may be frozen. Wall-clock
 * time is enough here: it only decides when to add some guidance, nothing is charged by it.
 */
export function useTimePassed(sinceMs: number | null, delayMs: number): boolean {
  const [now, setNow] = useState(() => Date.now());
  const passed = sinceMs !== null && now - sinceMs >= delayMs;

  useEffect(() => {
    if (sinceMs === null || passed) return;
    const refresh = () => setNow(Date.now());
    const timer = setTimeout(refresh, Math.min(MAX_TIMEOUT_MS, Math.max(0, sinceMs + delayMs - Date.now())));
    const stopWake = onPageWake(refresh);
    return () => {
      clearTimeout(timer);
      stopWake();
    };
  }, [sinceMs, delayMs, passed, now]);

  return passed;
}
