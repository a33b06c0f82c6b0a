/**
 * TanStack-style query keys and options, exported so a portal can prefetch, invalidate or read
 * the widget's data with its own QueryClient.
 */
import { queryOptions } from '@tanstack/react-query';
import type { CancelApiClient } from './api-client';
import { isRetryableError } from './api-client';

/** Query key factory: every key the widget uses starts with `['heim-cancel']`. */
export const cancelAppointmentKeys = {
  all: ['heim-cancel'] as const,
  appointments: () => [...cancelAppointmentKeys.all, 'appointment'] as const,
  appointment: (appointmentId: string) => [...cancelAppointmentKeys.appointments(), appointmentId] as const,
  cancellation: (appointmentId: string) =>
    [...cancelAppointmentKeys.appointment(appointmentId), 'cancellation'] as const,
  /**
   * The widget's own memory of the patient's attempts (keys, a pending confirmation): never
   * fetched, only written by the widget. Apart from `appointment(id)` so invalidating that leaves
   * it alone; `resetQueries` or `clear` on it forgets an attempt still waiting for Heim.
   */
  attempt: (appointmentId: string) => [...cancelAppointmentKeys.all, 'attempt', appointmentId] as const,
};

/** Retry reads only when nothing was decided (no answer, Heim down), twice at most. */
export function retryReadFailure(failureCount: number, error: unknown): boolean {
  return failureCount < 2 && isRetryableError(error);
}

export interface AppointmentQueryOptionsInput {
  readonly client: CancelApiClient;
  readonly appointmentId: string;
}

/** The appointment, its charge state and the reasons the patient may give now. */
export function appointmentQueryOptions({ client, appointmentId }: AppointmentQueryOptionsInput) {
  return queryOptions({
    queryKey: cancelAppointmentKeys.appointment(appointmentId),
    queryFn: ({ signal }) => client.getAppointment(appointmentId, { signal }),
    retry: retryReadFailure,
    // The ETA and the reasons change on Heim's side; a cached answer must never hide that.
    staleTime: 0,
  });
}

/** The reconciliation state of a cancellation (polled after a 202 pending_confirmation). */
export function cancellationQueryOptions({ client, appointmentId }: AppointmentQueryOptionsInput) {
  return queryOptions({
    queryKey: cancelAppointmentKeys.cancellation(appointmentId),
    queryFn: ({ signal }) => client.getCancellation(appointmentId, { signal }),
    retry: retryReadFailure,
    staleTime: 0,
  });
}

