import { useQuery } from '@tanstack/react-query';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { cancellationQueryOptions } from './query-options';

export interface UseCancellationStatusOptions {
  /** Whether to poll. Default `true`. */
  readonly enabled?: boolean;
  /** Poll period in ms. Default `3_000`. */
  readonly pollIntervalMs?: number;
}

/**
 * Polls `GET .../cancellation` after the proxy answered 202 pending_confirmation, and stops by
 * itself once the answer is final (`cancelled` or `not_cancelled`). Returns react-query's result
 * unchanged. Must be used within `<CancelAppointmentProvider>`.
 */
export function useCancellationStatus(
  appointmentId: string,
  { enabled = true, pollIntervalMs = 3_000 }: UseCancellationStatusOptions = {},
) {
  const { client, queryClient } = useCancelAppointmentContext('useCancellationStatus');
  return useQuery(
    {
      ...cancellationQueryOptions({ client, appointmentId }),
      enabled,
      refetchInterval: (query) => {
        const status = query.state.data?.status;
        return status === 'cancelled' || status === 'not_cancelled' ? false : pollIntervalMs;
      },
      // Keep asking even in a background tab: the patient is waiting for this answer.
      refetchIntervalInBackground: true,
    },
    queryClient,
  );
}
