/**
 * The simulator's outgoing webhooks: each event is signed with the `standardwebhooks` package and
 * POSTed to the configured target, fire-and-forget (never delaying the API answer that caused it),
 * retried with backoff, and recorded so tests can assert on what was delivered and how.
 */
import { Webhook } from 'standardwebhooks';
import { delay } from './clock';
import {
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  WEBHOOK_ATTEMPT_TIMEOUT_MS,
  WEBHOOK_CONTENT_TYPE,
  WEBHOOK_ID_PREFIX,
  WEBHOOK_SECRET_PATTERN,
  type HeimWebhookEvent,
} from './webhook-assumptions';

export interface WebhookTarget {
  /** Where events are POSTed, e.g. `http://127.0.0.1:3000/api/webhooks/heim`. */
  url: string;
  /** The Standard Webhooks secret shared with the receiver: `whsec_` + base64. */
  secret: string;
  /** The fetch that delivers (tests route it to an in-process proxy). Default global fetch. */
  fetch?: typeof fetch;
}

export type WebhookDeliveryStatus =
  /** Attempts are still under way (or waiting to be retried). */
  | 'pending'
  /** The receiver answered 2xx. */
  | 'delivered'
  /** Every attempt failed (non-2xx or no answer). */
  | 'failed'
  /** No target was set when the event happened; `sendWebhook` can still deliver it later. */
  | 'not_sent';

export interface WebhookDelivery {
  /** The `webhook-id`, the same for every attempt. */
  id: string;
  event: HeimWebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The HTTP status of each attempt, or null when none came back (refused, reset, timeout). */
  responses: (number | null)[];
}

export interface SendWebhookOptions {
  /** The `webhook-id`; default a fresh one. Reuse a delivery's id to replay it. */
  id?: string;
  /** The `webhook-timestamp` signed (say, 6 minutes ago). Default: the wall clock at each attempt. */
  timestamp?: Date;
  /** Attempts before giving up, with the usual backoff between them. Default 1. */
  attempts?: number;
}

/** Throws a clear error (never echoing the secret) when the target cannot be used. */
export function assertWebhookTarget(target: WebhookTarget): void {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new Error('Heim simulator: webhook.url must be an absolute http: or https: URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('Heim simulator: webhook.url must be an absolute http: or https: URL.');
  }
  if (!WEBHOOK_SECRET_PATTERN.test(target.secret)) {
    throw new Error('Heim simulator: webhook.secret must be a Standard Webhooks secret, whsec_ followed by base64.');
  }
}

/**
 * The Standard Webhooks headers for one attempt. Exported so tests can build deliveries the
 * simulator would never send (tampered bodies, wrong secrets) with the same signing code.
 */
export function signWebhook(input: { secret: string; id: string; timestamp: Date; body: string }): Record<string, string> {
  return {
    'content-type': WEBHOOK_CONTENT_TYPE,
    'webhook-id': input.id,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(input.secret).sign(input.id, input.timestamp, input.body),
  };
}

export function newWebhookId(): string {
  return `${WEBHOOK_ID_PREFIX}${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
}

export class WebhookSender {
  #target: WebhookTarget | null = null;
  #deliveries: WebhookDelivery[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #retryDelaysMs: readonly number[];

  constructor(options: { target?: WebhookTarget | null; retryDelaysMs?: readonly number[] } = {}) {
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
    if (this.#retryDelaysMs.some((ms) => !Number.isFinite(ms) || ms < 0)) {
      throw new Error('Heim simulator: webhookRetryDelaysMs must list finite delays of 0 ms or more.');
    }
    this.setTarget(options.target ?? null);
  }

  setTarget(target: WebhookTarget | null): void {
    if (target !== null) assertWebhookTarget(target);
    this.#target = target === null ? null : { ...target };
  }

  /** Snapshots, in the order the events happened. */
  get deliveries(): WebhookDelivery[] {
    return this.#deliveries.map((delivery) => structuredClone(delivery));
  }

  clear(): void {
    this.#deliveries = [];
  }

  /** An event happened: deliver it in the background, with retries. */
  emit(event: HeimWebhookEvent): void {
    const delivery = this.#record(event, newWebhookId(), this.#target === null ? 'not_sent' : 'pending');
    if (this.#target === null) return;
    this.#track(this.#deliver(this.#target, delivery, this.#retryDelaysMs.length + 1, undefined));
  }

  /** Deliver an event now, as told (a replay, an old event, out of order); resolves when done. */
  async send(event: HeimWebhookEvent, options: SendWebhookOptions = {}): Promise<WebhookDelivery> {
    if (this.#target === null) throw new Error('Heim simulator: no webhook target; call setWebhookTarget() first.');
    const attempts = options.attempts ?? 1;
    if (!Number.isInteger(attempts) || attempts < 1) throw new Error('Heim simulator: attempts must be a whole number, 1 or more.');
    const delivery = this.#record(structuredClone(event), options.id ?? newWebhookId(), 'pending');
    const done = this.#deliver(this.#target, delivery, attempts, options.timestamp);
    this.#track(done);
    await done;
    return structuredClone(delivery);
  }

  /** Resolves once every delivery under way (retries included) has finished. */
  async flush(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #record(event: HeimWebhookEvent, id: string, status: WebhookDeliveryStatus): WebhookDelivery {
    const delivery: WebhookDelivery = { id, event, status, attempts: 0, responses: [] };
    this.#deliveries.push(delivery);
    return delivery;
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  async #deliver(target: WebhookTarget, delivery: WebhookDelivery, maxAttempts: number, timestamp: Date | undefined): Promise<void> {
    const body = JSON.stringify(delivery.event);
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1) await delay(this.#retryDelaysMs[Math.min(attempt - 2, this.#retryDelaysMs.length - 1)] ?? 0);
      delivery.attempts = attempt;
      const status = await this.#attempt(target, delivery.id, body, timestamp ?? new Date());
      delivery.responses.push(status);
      if (status !== null && status >= 200 && status < 300) {
        delivery.status = 'delivered';
        return;
      }
    }
    delivery.status = 'failed';
  }

  /** One signed POST; the status, or null when no answer came. Never throws. */
  async #attempt(target: WebhookTarget, id: string, body: string, timestamp: Date): Promise<number | null> {
    try {
      const fetchImpl = target.fetch ?? globalThis.fetch.bind(globalThis);
      const response = await fetchImpl(target.url, {
        method: 'POST',
        headers: signWebhook({ secret: target.secret, id, timestamp, body }),
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_ATTEMPT_TIMEOUT_MS),
      });
      // Read the answer to the end so a kept-alive socket is free for the next delivery.
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return null;
    }
  }
}
