import { useQuery } from '@tanstack/react-query';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { appointmentQueryOptions } from './query-options';

export interface UseAppointmentOptions {
  /** Whether to fetch at all. Default `true`. */
  readonly enabled?: boolean;
  /**
   * Re-fetch period in ms while mounted, or `false`. Default `30_000`: Heim can move the ETA, and
   * the countdown must follow it while the dialog is open.
   */
  readonly refetchInterval?: number | false;
}

/**
 * The appointment as the proxy shows it to this patient: summary, charge, reasons, cancellation.
 * Re-fetched periodically and on window focus. Returns react-query's result unchanged.
 * Must be used within `<CancelAppointmentProvider>`.
 */
export function useAppointment(appointmentId: string, { enabled = true, refetchInterval = 30_000 }: UseAppointmentOptions = {}) {
  const { client, queryClient } = useCancelAppointmentContext('useAppointment');
  return useQuery(
    {
      ...appointmentQueryOptions({ client, appointmentId }),
      enabled,
      refetchInterval,
      // A tab left in the background refetches on return rather than burning requests meanwhile.
      refetchIntervalInBackground: false,
      refetchOnWindowFocus: true,
    },
    queryClient,
  );
}
