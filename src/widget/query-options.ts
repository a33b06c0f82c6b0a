/**
 * TanStack-style query keys and options, exported so a portal can prefetch, invalidate or read
 * the widget's data with its own QueryClient.
 */
import type { DataTag, DefaultError, QueryFunction, QueryKey, UseQueryOptions } from '@tanstack/react-query';
import type { AppointmentResponse, CancellationStatusResponse } from '../core';
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

/**
 * What the option factories below return, written out rather than left to inference. Inferred,
 * the published declarations named helper types of the react-query this package is built with
 * (`OmitKeyof`, `QueryKeyWithDataTag` from `@tanstack/query-core`), which react-query 5.25, the
 * floor of our peer range, does not have: a portal on it could not compile our types. Everything
 * named here is exported by `@tanstack/react-query` itself from 5.25.0 on, and the key keeps its
 * data tag, so `queryClient.getQueryData(options.queryKey)` is still typed.
 */
export type HeimQueryOptions<TData, TKey extends QueryKey> = Omit<UseQueryOptions<TData, DefaultError, TData, TKey>, 'queryFn'> & {
  // A plain query function, never `skipToken` (which UseQueryOptions allows): useSuspenseQuery and
  // usePrefetchQuery refuse options that might skip, and `queryOptions()` gave this type before.
  queryFn?: QueryFunction<TData, TKey>;
  queryKey: DataTag<TKey, TData>;
};

/**
 * Tags a key with the type of its data: a type only, the key itself is returned unchanged. This
 * is all react-query's `queryOptions` does; it is not called because newer versions also tag the
 * key with the error type, a third tag that the two-argument `DataTag` above (the only form 5.25
 * knows) does not accept.
 */
function keyOf<TData, TKey extends QueryKey>(key: TKey): DataTag<TKey, TData> {
  return key as DataTag<TKey, TData>;
}

export type AppointmentQueryKey = ReturnType<typeof cancelAppointmentKeys.appointment>;
export type CancellationQueryKey = ReturnType<typeof cancelAppointmentKeys.cancellation>;

export interface AppointmentQueryOptionsInput {
  readonly client: CancelApiClient;
  readonly appointmentId: string;
}

/** The appointment, its charge state and the reasons the patient may give now. */
export function appointmentQueryOptions({
  client,
  appointmentId,
}: AppointmentQueryOptionsInput): HeimQueryOptions<AppointmentResponse, AppointmentQueryKey> {
  return {
    queryKey: keyOf<AppointmentResponse, AppointmentQueryKey>(cancelAppointmentKeys.appointment(appointmentId)),
    queryFn: ({ signal }) => client.getAppointment(appointmentId, { signal }),
    retry: retryReadFailure,
    // The ETA and the reasons change on Heim's side; a cached answer must never hide that.
    staleTime: 0,
  };
}

/** The reconciliation state of a cancellation (polled after a 202 pending_confirmation). */
export function cancellationQueryOptions({
  client,
  appointmentId,
}: AppointmentQueryOptionsInput): HeimQueryOptions<CancellationStatusResponse, CancellationQueryKey> {
  return {
    queryKey: keyOf<CancellationStatusResponse, CancellationQueryKey>(cancelAppointmentKeys.cancellation(appointmentId)),
    queryFn: ({ signal }) => client.getCancellation(appointmentId, { signal }),
    retry: retryReadFailure,
    staleTime: 0,
  };
}

