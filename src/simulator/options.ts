/**
 * The simulator's options, their defaults, and the checks that make a misconfigured simulator
 * fail at construction rather than answer 401 to every request.
 */
import {
  APPOINTMENT_EMBEDS_CANCELLATION,
  DEFAULT_DUPLICATE_CANCEL_STATUS,
  DUPLICATE_CANCEL_STATUSES,
  type DuplicateCancelStatus,
} from './heim-assumptions';
import type { SeedAppointment } from './heim-types';
import type { WebhookTarget } from './webhook-sender';

/** The key the simulator accepts unless told otherwise. Test mode, like every key used in tests. */
export const SIMULATOR_DEFAULT_API_KEY = 'test_simulator_key_0000000000';

/** Heim keys start with `test_` (test mode) or `live_` (live mode) (heim-api.md, known). */
const API_KEY_PREFIXES = ['test_', 'live_'] as const;

export interface SimulatorOptions {
  /**
   * Accepted `Authorization` header values: the raw key, no "Bearer".
   * Default `[SIMULATOR_DEFAULT_API_KEY]`. Keys not starting with `test_` or `live_` are refused.
   */
  apiKeys?: readonly string[];
  /** Clock in epoch ms; default `Date.now`. The demo seed is laid out relative to it. */
  now?: () => number;
  /** `'demo'` (default) loads `demoSeed(now())`; `'none'` starts empty; or your own appointments. */
  seed?: 'demo' | 'none' | readonly SeedAppointment[];
  /** Status of a second cancel POST (Heim's is undocumented); default 409. */
  duplicateCancelStatus?: DuplicateCancelStatus;
  /**
   * Whether `GET /v1/appointments/{id}` embeds the appointment's `cancellation` (null when none).
   * heim-api.md says Heim "may"; default `APPOINTMENT_EMBEDS_CANCELLATION` (false).
   */
  embedCancellation?: boolean;
  /** Delay added to every `/v1` response, in ms; default 0. */
  latencyMs?: number;
  /**
   * Where to send signed `appointment.cancelled` events (on each cancel and each amendment).
   * Default none: events are only recorded. Can be set later with `setWebhookTarget`.
   */
  webhook?: WebhookTarget;
  /** Delays between delivery attempts of an event, in ms; default `[100, 500, 2500]` (4 attempts). */
  webhookRetryDelaysMs?: readonly number[];
}

export interface ResolvedOptions {
  apiKeys: ReadonlySet<string>;
  now: () => number;
  seed: 'demo' | 'none' | readonly SeedAppointment[];
  duplicateCancelStatus: DuplicateCancelStatus;
  embedCancellation: boolean;
  latencyMs: number;
  webhook: WebhookTarget | null;
  webhookRetryDelaysMs: readonly number[] | undefined;
}

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const apiKeys = options.apiKeys ?? [SIMULATOR_DEFAULT_API_KEY];
  if (apiKeys.length === 0) {
    throw new Error('Heim simulator: apiKeys is empty, so every request would be refused; pass at least one key.');
  }
  for (const key of apiKeys) {
    if (!API_KEY_PREFIXES.some((prefix) => key.startsWith(prefix) && key.length > prefix.length)) {
      // Never echo the key itself: it may be a real one pasted by mistake.
      throw new Error('Heim simulator: every API key must start with "test_" or "live_" followed by the key.');
    }
  }
  const duplicateCancelStatus = options.duplicateCancelStatus ?? DEFAULT_DUPLICATE_CANCEL_STATUS;
  if (!(DUPLICATE_CANCEL_STATUSES as readonly number[]).includes(duplicateCancelStatus)) {
    throw new Error(`Heim simulator: duplicateCancelStatus must be one of ${DUPLICATE_CANCEL_STATUSES.join(', ')}.`);
  }
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new Error('Heim simulator: latencyMs must be a finite number of milliseconds, 0 or more.');
  }
  return {
    apiKeys: new Set(apiKeys),
    // A wrapper, not `Date.now` itself, so fake timers installed later still move the clock.
    now: options.now ?? (() => Date.now()),
    seed: options.seed ?? 'demo',
    duplicateCancelStatus,
    embedCancellation: options.embedCancellation ?? APPOINTMENT_EMBEDS_CANCELLATION,
    latencyMs,
    // Checked by the webhook sender when the simulator is built.
    webhook: options.webhook ?? null,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs,
  };
}
