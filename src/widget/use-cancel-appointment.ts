import { useRef } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { CancelRequestBody, CancelResponse } from '../core/index';
import { CancelApiError, isCancelApiError } from './api-client';
import { keyFor, recordError, recordResponse, recordSent, updateAttempt, useCancelAttempt } from './cancel-attempt';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { cancelAppointmentKeys } from './query-options';

/**
 * Sends the cancellation. Returns react-query's mutation result unchanged; `mutate(body)` takes
 * the request body of bff-api.md.
 *
 * Safety, so the patient can press the button as often as they like:
 * - one Idempotency-Key per set of answers, remembered per appointment in the query cache: a
 *   retry (after a network or upstream failure, from a reopened dialog, from another widget) sends
 *   the SAME key, and the proxy then cancels at most once; a new key is made only when the answers
 *   change (for example after ticking the charge acknowledgement);
 * - a second `mutate` while the same attempt is in flight joins it instead of sending again;
 * - never retried by react-query (`retry: false`, whatever the portal's QueryClient defaults):
 *   resending a 409 or 429 on a timer would only confuse the patient and the rate limit.
 *
 * What each answer means for the appointment (pending, unresolved, confirmed) is recorded in the
 * cache under `cancelAppointmentKeys.attempt(id)` for the dialog to show.
 *
 * Must be used within `<CancelAppointmentProvider>`.
 */
export function useCancelAppointment(appointmentId: string) {
  const { client, queryClient } = useCancelAppointmentContext('useCancelAppointment');
  const inFlight = useRef(new Map<string, Promise<CancelResponse>>());
  // Observing the record keeps it (and its keys) in the cache while this hook is mounted.
  useCancelAttempt(appointmentId, queryClient);

  return useMutation<CancelResponse, CancelApiError, CancelRequestBody>(
    {
      mutationKey: [...cancelAppointmentKeys.appointment(appointmentId), 'cancel'],
      retry: false,
      mutationFn: (body) => {
        const key = keyFor(queryClient, appointmentId, body);
        const running = inFlight.current.get(key);
        if (running) return running;
        const sent = { key, body };
        updateAttempt(queryClient, appointmentId, (attempt) => recordSent(attempt, sent));
        const request = client
          .cancel(appointmentId, body, key)
          .catch((error: unknown) => {
            throw isCancelApiError(error)
              ? error
              : new CancelApiError('network_error', 'The cancellation could not be sent.', { cause: error });
          })
          .then(
            (response) => {
              if (response.status === 'cancelled') {
                // What the proxy's status read now says, for any observer of it (a portal's badge),
                // and no read begun while the cancel was out may land over it.
                void queryClient.cancelQueries({ queryKey: cancelAppointmentKeys.cancellation(appointmentId), exact: true });
                queryClient.setQueryData(cancelAppointmentKeys.cancellation(appointmentId), {
                  cancellation: response.cancellation,
                  status: 'cancelled',
                });
              } else {
                // Only poll answers from now on can speak for this attempt: one from an earlier
                // attempt, or one read while this cancel was still out (a portal's own
                // useCancellationStatus re-reads whenever it likes), must not settle it.
                void queryClient.resetQueries({ queryKey: cancelAppointmentKeys.cancellation(appointmentId), exact: true });
              }
              updateAttempt(queryClient, appointmentId, (attempt) =>
                recordResponse(attempt, appointmentId, sent, Date.now(), response),
              );
              return response;
            },
            (error: unknown) => {
              updateAttempt(queryClient, appointmentId, (attempt) => recordError(attempt, sent, error));
              throw error;
            },
          )
          .finally(() => inFlight.current.delete(key));
        inFlight.current.set(key, request);
        return request;
      },
      onSettled: () => {
        // Whatever happened, the appointment as shown elsewhere in the portal may be out of date.
        // Exact: the cancellation poll has its own schedule.
        void queryClient.invalidateQueries({ queryKey: cancelAppointmentKeys.appointment(appointmentId), exact: true });
      },
    },
    queryClient,
  );
}
