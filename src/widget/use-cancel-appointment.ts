import { useRef } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { CancelRequestBody, CancelResponse } from '../core/index';
import { CancelApiError, isCancelApiError } from './api-client';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { createIdempotencyKey } from './idempotency-key';
import { cancelAppointmentKeys } from './query-options';

/** The answers that define one cancel attempt; a different answer is a different request. */
function fingerprint(body: CancelRequestBody): string {
  return JSON.stringify([body.reasonCode, body.note ?? '', body.acknowledgeCharge === true]);
}

/**
 * Sends the cancellation. Returns react-query's mutation result unchanged; `mutate(body)` takes
 * the request body of bff-api.md.
 *
 * Safety, so the patient can press the button as often as they like:
 * - one Idempotency-Key per set of answers: a retry after a network or upstream failure sends
 *   the SAME key (the proxy then cancels at most once); a new key is made only when the answers
 *   change (for example after ticking the charge acknowledgement);
 * - a second `mutate` while the same attempt is in flight joins it instead of sending again.
 *
 * Must be used within `<CancelAppointmentProvider>`.
 */
export function useCancelAppointment(appointmentId: string) {
  const { client, queryClient } = useCancelAppointmentContext('useCancelAppointment');
  const attempt = useRef<{ fingerprint: string; key: string } | null>(null);
  const inFlight = useRef(new Map<string, Promise<CancelResponse>>());

  return useMutation<CancelResponse, CancelApiError, CancelRequestBody>(
    {
      mutationKey: [...cancelAppointmentKeys.appointment(appointmentId), 'cancel'],
      mutationFn: (body) => {
        const print = fingerprint(body);
        if (attempt.current?.fingerprint !== print) {
          attempt.current = { fingerprint: print, key: createIdempotencyKey() };
        }
        const { key } = attempt.current;
        const running = inFlight.current.get(key);
        if (running) return running;
        const request = client
          .cancel(appointmentId, body, key)
          .catch((error: unknown) => {
            throw isCancelApiError(error)
              ? error
              : new CancelApiError('network_error', 'The cancellation could not be sent.', { cause: error });
          })
          .finally(() => inFlight.current.delete(key));
        inFlight.current.set(key, request);
        return request;
      },
      onSettled: () => {
        // Whatever happened, the appointment as shown elsewhere in the portal may be out of date.
        void queryClient.invalidateQueries({ queryKey: cancelAppointmentKeys.appointment(appointmentId) });
      },
    },
    queryClient,
  );
}
