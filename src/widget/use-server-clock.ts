import { useCallback, useSyncExternalStore } from 'react';
import { useCancelAppointmentContext } from './cancel-appointment-context';

/**
 * The proxy's current time as a function (`() => epoch ms`), estimated from the `serverNow` of
 * every appointment read. The function's identity changes whenever the estimate improves, so
 * effects that plan timers with it re-plan. Must be used within `<CancelAppointmentProvider>`.
 */
export function useServerClock(): () => number {
  const { clock } = useCancelAppointmentContext('useServerClock');
  const version = useSyncExternalStore(clock.subscribe, clock.getVersion, clock.getVersion);
  // `version` is a dependency on purpose: a new identity tells consumers the anchor moved.
  return useCallback(() => clock.now(), [clock, version]);
}
