/**
 * Everything the proxy assumes about how Heim delivers events (heim-api.md, "Events": assumed), in
 * one place so it can be corrected without a hunt. Heim's real signing scheme is not public; we
 * assume the Standard Webhooks scheme (https://www.standardwebhooks.com/) and verify it with its
 * maintained implementation, the `standardwebhooks` package, rather than our own HMAC code.
 */
import * as z from 'zod';
import { isAppointmentId } from '../core/ids';

/**
 * Assumed: secrets are Standard Webhooks symmetric secrets, `whsec_` + base64 of the key bytes. The
 * prefix is optional, as `standardwebhooks` itself takes the secret with or without it: a sender
 * configured with the bare base64 signs with the same key.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The Standard Webhooks spec asks for keys of 24 to 64 random bytes; we refuse weaker ones. */
export const WEBHOOK_SECRET_MIN_BYTES = 24;

/**
 * The tolerance `standardwebhooks` enforces on `webhook-timestamp`, both ways (its constant, not
 * ours: stated here so the dedupe window can be derived from it). The library compares against
 * `Date.now()`, the process's wall clock; it offers no clock injection, so the proxy's `now`
 * option does not move it.
 */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

/** Assumed header names (Standard Webhooks, unbranded). */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** Longest `webhook-id` we keep in the dedupe store (Standard Webhooks ids are short, `msg_...`). */
export const WEBHOOK_ID_MAX_LENGTH = 256;

/** Known: `appointment.cancelled` fires on cancel and again on every amendment by Heim Operations. */
export const APPOINTMENT_CANCELLED_EVENT = 'appointment.cancelled';

/** The key length in bytes of a well-formed secret, or null. Never throws, never echoes the secret. */
export function webhookSecretBytes(secret: string): number | null {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const padding = encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
  return (encoded.length / 4) * 3 - padding;
}

export const webhookSecretSchema = z.string().refine((value) => {
  const bytes = webhookSecretBytes(value);
  return bytes !== null && bytes >= WEBHOOK_SECRET_MIN_BYTES;
}, `must be a Standard Webhooks secret: the base64 of at least ${WEBHOOK_SECRET_MIN_BYTES} random bytes, usually prefixed whsec_`);

/**
 * Assumed payload: `{ type, timestamp?, data: { appointmentId, ... } }`. Only `type` and, for the
 * events we act on, `data.appointmentId` are read; nothing else in the payload is trusted, since the
 * receiver re-reads Heim (events may arrive twice or out of order).
 */
export const webhookEnvelopeSchema = z.looseObject({ type: z.string().min(1).max(128) });

export const appointmentEventSchema = z.looseObject({
  type: z.string(),
  data: z.looseObject({
    appointmentId: z.string().refine(isAppointmentId, 'must be an appointment id'),
  }),
});
