/**
 * `POST {basePath}/webhooks/heim` (bff-api.md): Heim's events, server to server. No patient
 * session and no CSRF check apply; the Standard Webhooks signature over the raw body is the only
 * credential. Nothing in a payload is trusted beyond "something happened to this appointment":
 * the proxy re-reads Heim, so a duplicate, a replay or an amendment arriving before the original
 * all end in Heim's current truth.
 *
 * Order of checks: content type (415) → declared size (413) → signature headers present (401) →
 * `webhook-id` length (400) → body (413/400) → signature and timestamp (401) → payload (400) →
 * duplicate id (204, nothing done) → re-read Heim (204, or 502 so the sender retries).
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { Logger } from './logger';
import { assertDeclaredLengthWithin, readBodyText } from './read-body';
import { ProxyError, errorResponse, jsonResponse } from './responses';
import {
  APPOINTMENT_CANCELLED_EVENT,
  WEBHOOK_HEADERS,
  WEBHOOK_ID_MAX_LENGTH,
  WEBHOOK_TOLERANCE_MS,
  appointmentEventSchema,
  webhookEnvelopeSchema,
} from './webhook-assumptions';
import { WebhookIdStore } from './webhook-id-store';

/** What re-reading Heim for one appointment found (reconciler.ts `refresh`). */
export type AppointmentRefresh = 'settled' | 'cancelled' | 'not_cancelled' | 'unavailable';

export interface HeimWebhookDeps {
  /** `whsec_...`, already validated (options.ts). */
  secret: string;
  /** Re-reads the appointment at Heim and settles what the proxy holds for it. */
  refresh: (appointmentId: string) => Promise<AppointmentRefresh>;
  log: Logger;
  /** Clock of the dedupe store (the signature's tolerance uses the wall clock: see webhook-assumptions.ts). */
  now: () => number;
  /** How long a handled `webhook-id` is remembered. Default twice the tolerance (10 minutes). */
  dedupeTtlMs?: number;
  /** How many ids are remembered at most; the oldest is forgotten first. Default 10 000. */
  dedupeMaxEntries?: number;
}

export const DEFAULT_WEBHOOK_DEDUPE_TTL_MS = 2 * WEBHOOK_TOLERANCE_MS;
export const DEFAULT_WEBHOOK_DEDUPE_MAX_ENTRIES = 10_000;

type Rejection = 'missing_headers' | 'timestamp' | 'signature';

const REJECTION_MESSAGES: Record<Rejection, string> = {
  missing_headers:
    'Missing webhook-id, webhook-timestamp or webhook-signature: Heim webhooks must be signed per Standard Webhooks.',
  timestamp:
    'The webhook-timestamp is not within 5 minutes of the proxy clock: check the sender clock (old events are not replayed).',
  signature: 'The webhook signature does not match: check HEIM_WEBHOOK_SECRET and send the raw body unchanged.',
};

const noContent = () => jsonResponse(204, null);

function invalidPayload(message: string): ProxyError {
  return new ProxyError('invalid_request', { message });
}

function parseJsonPayload(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalidPayload('The webhook body is not valid JSON.');
  }
}

export function createHeimWebhookHandler(deps: HeimWebhookDeps): (request: Request) => Promise<Response> {
  const { log } = deps;
  const verifier = new Webhook(deps.secret);
  const seen = new WebhookIdStore({
    ttlMs: deps.dedupeTtlMs ?? DEFAULT_WEBHOOK_DEDUPE_TTL_MS,
    maxEntries: deps.dedupeMaxEntries ?? DEFAULT_WEBHOOK_DEDUPE_MAX_ENTRIES,
    now: deps.now,
  });

  function reject(reason: Rejection): ProxyError {
    // Only the reason: never a header value, the body or the secret.
    log({ level: 'warn', event: 'webhook.rejected', reason });
    return new ProxyError('unauthenticated', { message: REJECTION_MESSAGES[reason] });
  }

  function signatureHeaders(request: Request): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const name of Object.values(WEBHOOK_HEADERS)) {
      const value = request.headers.get(name)?.trim();
      if (!value) throw reject('missing_headers');
      headers[name] = value;
    }
    if (headers[WEBHOOK_HEADERS.id]!.length > WEBHOOK_ID_MAX_LENGTH) {
      throw invalidPayload(`The webhook-id is longer than ${WEBHOOK_ID_MAX_LENGTH} characters.`);
    }
    return headers;
  }

  function verify(raw: string, headers: Record<string, string>): void {
    // The timestamp must be whole seconds; the library would also accept "1700000000abc".
    if (!/^\d{1,15}$/.test(headers[WEBHOOK_HEADERS.timestamp]!)) throw reject('timestamp');
    try {
      verifier.verify(raw, headers, { jsonParse: false });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      // The library says "Message timestamp too old/new" for a timestamp outside its tolerance.
      throw reject(/timestamp/i.test(error.message) ? 'timestamp' : 'signature');
    }
  }

  async function handleEvent(webhookId: string, payload: unknown): Promise<Response> {
    const envelope = webhookEnvelopeSchema.safeParse(payload);
    if (!envelope.success) throw invalidPayload('The webhook body must be a JSON object with a "type".');
    const type = envelope.data.type;
    let appointmentId: string | null = null;
    if (type === APPOINTMENT_CANCELLED_EVENT) {
      const event = appointmentEventSchema.safeParse(payload);
      if (!event.success) throw invalidPayload('An appointment.cancelled event needs data.appointmentId, an appointment id.');
      appointmentId = event.data.data.appointmentId;
    }

    const claim = seen.claim(webhookId);
    if (claim.kind === 'duplicate') {
      const handled = await claim.handled;
      log({ level: 'info', event: 'webhook.duplicate', webhookId, webhookType: type });
      return handled ? noContent() : retryLater();
    }
    if (appointmentId === null) {
      claim.settle(true);
      log({ level: 'info', event: 'webhook.ignored', webhookId, webhookType: type });
      return noContent();
    }

    let result: AppointmentRefresh;
    try {
      result = await deps.refresh(appointmentId);
    } catch (error) {
      claim.settle(false);
      throw error;
    }
    claim.settle(result !== 'unavailable');
    log({
      level: result === 'unavailable' ? 'warn' : 'info',
      event: 'webhook.appointment_cancelled',
      webhookId,
      appointmentId,
      result,
    });
    return result === 'unavailable' ? retryLater() : noContent();
  }

  return async (request) => {
    // No Content-Type check: the signature over the raw body is the credential, and a sender that
    // posts a string without naming its type (fetch then says text/plain) is still Heim if it signed.
    assertDeclaredLengthWithin(request);
    const headers = signatureHeaders(request);
    const raw = await readBodyText(request);
    verify(raw, headers);
    return handleEvent(headers[WEBHOOK_HEADERS.id]!, parseJsonPayload(raw));
  };
}

/** Heim could not be read: not handled, so the sender's retry (same `webhook-id`) is processed. */
function retryLater(): Response {
  return errorResponse('upstream_error', {
    message: 'Heim could not be read to refresh this appointment; the event was not applied: deliver it again.',
  });
}
