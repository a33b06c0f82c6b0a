import { useQuery } from '@tanstack/react-query';
import type { CancellationStatusResponse } from '../core/index';
import { useCancelAppointmentContext } from './cancel-appointment-context';
import { cancellationQueryOptions } from './query-options';

export interface UseCancellationStatusOptions {
  /** Whether to poll. Default `true`. */
  readonly enabled?: boolean;
  /** Wait before the second poll, in ms; each later wait doubles. Default `2_000`. */
  readonly pollIntervalMs?: number;
  /** Longest wait between polls, in ms. Default `30_000`. */
  readonly maxPollIntervalMs?: number;
  /**
   * Epoch ms at which the proxy answered the cancel being confirmed with 202. An answer received
   * before it belongs to an earlier attempt, or was read while the cancel was out: it neither
   * stops the polling nor should be trusted. Default `0`.
   */
  readonly since?: number;
}

/** The wait before the next poll after `polls` answers: 2 s, 4 s, 8 s… capped. */
export function pollDelay(polls: number, firstMs: number, maxMs: number): number {
  return Math.min(firstMs * 2 ** Math.max(0, polls - 1), maxMs);
}

/**
 * The answer, if it was received at or after `since`; undefined while only older ones exist. When
 * the device clock is now before `since`, it was set back since, and the wall-clock times cannot
 * order the answers: an answer there is then taken as fresh, because useCancelAppointment resets
 * this query when the proxy answers 202 (and sets `since` then), so nothing from before is left.
 */
export function freshStatus(
  data: CancellationStatusResponse | undefined,
  dataUpdatedAt: number,
  since: number,
  nowMs: number = Date.now(),
): CancellationStatusResponse | undefined {
  return data !== undefined && (dataUpdatedAt >= since || nowMs < since) ? data : undefined;
}

/**
 * Polls `GET .../cancellation` after the proxy answered 202 pending_confirmation, backing off
 * (2 s, 4 s, 8 s… up to 30 s: Heim may take long, and a patient may leave the page open for
 * hours), and stops by itself once a fresh answer is final (`cancelled` or `not_cancelled`).
 * Returns react-query's result unchanged: compare `dataUpdatedAt` with `since` (or use the
 * widget's own dialog) before acting on `data`. Must be used within `<CancelAppointmentProvider>`.
 */
export function useCancellationStatus(
  appointmentId: string,
  { enabled = true, pollIntervalMs = 2_000, maxPollIntervalMs = 30_000, since = 0 }: UseCancellationStatusOptions = {},
) {
  const { client, queryClient } = useCancelAppointmentContext('useCancellationStatus');
  return useQuery(
    {
      ...cancellationQueryOptions({ client, appointmentId }),
      enabled,
      refetchInterval: (query) => {
        const { data, dataUpdatedAt, dataUpdateCount, errorUpdateCount } = query.state;
        const status = freshStatus(data, dataUpdatedAt, since)?.status;
        if (status === 'cancelled' || status === 'not_cancelled') return false;
        return pollDelay(dataUpdateCount + errorUpdateCount, pollIntervalMs, maxPollIntervalMs);
      },
      // Keep asking even in a background tab: the patient is waiting for this answer.
      refetchIntervalInBackground: true,
    },
    queryClient,
  );
}
