/**
 * Everything the simulator ASSUMES about how Heim delivers events (heim-api.md, "Events"), in one
 * place. Known: `appointment.cancelled` fires on cancel and again on every amendment by Heim
 * Operations. Assumed: the Standard Webhooks scheme (headers `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`, HMAC-SHA256 over `id.timestamp.body`, signed by the `standardwebhooks`
 * package), the payload shape, the retry policy and the ids below.
 */
import { isoAt } from './clock';
import type { HeimCancellation } from './heim-types';

/** Assumed: Standard Webhooks symmetric secrets, `whsec_` + base64 of the key bytes. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

/** Assumed: the event types the simulator sends (only the one the proxy acts on is simulated). */
export const HEIM_WEBHOOK_EVENT_TYPES = ['appointment.cancelled'] as const;
export type HeimWebhookEventType = (typeof HEIM_WEBHOOK_EVENT_TYPES)[number];

/**
 * Assumed payload: `{ type, timestamp, data: { appointmentId, cancellationId } }`. Deliberately
 * thin (no note, no patient): the receiver re-reads the appointment, as heim-api.md says it must.
 */
export interface HeimWebhookEvent {
  type: HeimWebhookEventType;
  /** When the event happened, by the simulator's clock (ISO-8601 UTC). */
  timestamp: string;
  data: { appointmentId: string; cancellationId: string };
}

export function appointmentCancelledEvent(cancellation: HeimCancellation, nowMs: number): HeimWebhookEvent {
  return {
    type: 'appointment.cancelled',
    timestamp: isoAt(nowMs),
    data: { appointmentId: cancellation.appointmentId, cancellationId: cancellation.id },
  };
}

/** Assumed id shape of a delivery (`webhook-id`), the same for every retry of one event. */
export const WEBHOOK_ID_PREFIX = 'msg_';

/**
 * Assumed retry policy: any answer other than 2xx, or no answer, is retried after each of these
 * delays (ms), then given up. Heim's real schedule is unknown (Standard Webhooks senders retry for
 * hours); the simulator's is short so tests and the demo settle quickly.
 */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [100, 500, 2500];

/** Assumed: one delivery attempt waits this long for an answer before it counts as failed. */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 5000;

/** Assumed: Heim posts events as JSON. */
export const WEBHOOK_CONTENT_TYPE = 'application/json';
