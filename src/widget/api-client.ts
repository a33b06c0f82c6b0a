/**
 * The widget's only door to the network: the proxy's contract (bff-api.md), nothing else.
 * Every response is parsed with the core zod schemas so a drift between proxy and widget surfaces
 * as an `invalid_response` error instead of a silently wrong screen.
 */
import type * as z from 'zod';
import {
  APPOINTMENT_ID_PATTERN,
  appointmentResponseSchema,
  cancelResponseSchema,
  cancellationStatusResponseSchema,
  errorEnvelopeSchema,
} from '../core/index';
import type {
  AppointmentResponse,
  CancellationStatusResponse,
  CancellationView,
  CancelRequestBody,
  CancelResponse,
  Charge,
  ErrorCode,
  ErrorIssue,
} from '../core/index';

/** The proxy's error codes plus the two the client itself raises. */
export type CancelApiErrorCode = ErrorCode | 'network_error' | 'invalid_response';

/** Value of the `X-Requested-With` header the proxy requires on every POST (CSRF defence). */
export const REQUESTED_WITH = 'heim-cancel-widget';

export interface CancelApiErrorDetails {
  readonly status?: number;
  readonly cancellation?: CancellationView | undefined;
  readonly charge?: Charge | undefined;
  readonly retryAfterSeconds?: number | undefined;
  readonly issues?: readonly ErrorIssue[] | undefined;
  readonly cause?: unknown;
}

/** Any failure of a proxy call, carrying the proxy's error code so the UI can pick its copy. */
export class CancelApiError extends Error {
  override readonly name = 'CancelApiError';
  // `declare`: the constructor assigns each field, so no class-field initialisers are emitted for them.
  /** The proxy's error code, or `network_error` (no answer) / `invalid_response` (unparseable answer). */
  declare readonly code: CancelApiErrorCode;
  /** HTTP status; 0 when no response arrived. */
  declare readonly status: number;
  /** The existing cancellation, with `already_cancelled`. */
  declare readonly cancellation: CancellationView | undefined;
  /** The charge as the proxy sees it now, with `charge_acknowledgement_required`. */
  declare readonly charge: Charge | undefined;
  /** From `Retry-After`, with `rate_limited`. */
  declare readonly retryAfterSeconds: number | undefined;
  declare readonly issues: readonly ErrorIssue[] | undefined;

  constructor(code: CancelApiErrorCode, message: string, details: CancelApiErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status ?? 0;
    this.cancellation = details.cancellation;
    this.charge = details.charge;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.issues = details.issues;
  }
}

export function isCancelApiError(error: unknown): error is CancelApiError {
  return error instanceof CancelApiError;
}

/**
 * Whether the same request may simply be sent again: nothing was decided (no answer, the proxy or
 * Heim failed). With the same Idempotency-Key this can never cancel twice.
 */
export function isRetryableError(error: unknown): boolean {
  if (!isCancelApiError(error)) return false;
  if (error.code === 'network_error' || error.code === 'upstream_error' || error.code === 'internal_error') {
    return true;
  }
  return error.status >= 500;
}

/** One timed GET, for estimating the proxy's clock. Times are `performance.now()` values. */
export interface RoundTripSample {
  readonly path: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The proxy's `serverNow` in epoch ms when the response carried one, else null. */
  readonly serverNowMs: number | null;
}

export interface CancelApiClientOptions {
  /** Where the proxy is mounted. Default `'/api'`. */
  readonly apiBaseUrl?: string;
  /** The fetch to use (tests, custom auth). Default `globalThis.fetch`, looked up at call time. */
  readonly fetch?: typeof fetch;
  /** Called after every successful GET with its round trip; the server clock listens here. */
  readonly onRoundTrip?: (sample: RoundTripSample) => void;
  /** Monotonic clock for timing round trips. Default `performance.now()`. */
  readonly monotonicNow?: () => number;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface CancelApiClient {
  /** The base URL in use, without a trailing slash. */
  readonly apiBaseUrl: string;
  /** `GET /appointments/{id}`: summary, charge, offered reasons, cancellation and `serverNow`. */
  getAppointment(appointmentId: string, options?: RequestOptions): Promise<AppointmentResponse>;
  /**
   * `POST /appointments/{id}/cancel`. Resolves with `cancelled` (200) or `pending_confirmation`
   * (202); rejects with a `CancelApiError` otherwise. Send the same `idempotencyKey` to retry.
   */
  cancel(
    appointmentId: string,
    body: CancelRequestBody,
    idempotencyKey: string,
    options?: RequestOptions,
  ): Promise<CancelResponse>;
  /** `GET /appointments/{id}/cancellation`: the reconciliation state after a 202. */
  getCancellation(appointmentId: string, options?: RequestOptions): Promise<CancellationStatusResponse>;
}

function appointmentPath(appointmentId: string): string {
  // Refuse locally what the proxy would refuse, and never let an id change the URL's shape.
  if (!APPOINTMENT_ID_PATTERN.test(appointmentId)) {
    throw new CancelApiError('invalid_appointment_id', `Appointment id ${JSON.stringify(appointmentId)} is not valid.`, {
      status: 400,
    });
  }
  return `/appointments/${encodeURIComponent(appointmentId)}`;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Problems already told to the developer. A wrong `apiBaseUrl` or a mis-mounted proxy fails every
 * request the same way (and the dialog polls), so each distinct problem is said once per page.
 */
const reportedProblems = new Set<string>();

/**
 * Tells the developer, in the console, that an answer did not come from the proxy: the patient sees
 * only "We couldn't load your appointment", and a portal's HTML 404 page looks like an outage.
 */
function reportNotTheProxy(method: string, url: string, apiBaseUrl: string, response: Response, what: string): void {
  const contentType = response.headers.get('Content-Type') ?? 'no content type';
  const key = [what, method, apiBaseUrl, response.status, contentType].join(' ');
  if (reportedProblems.has(key)) return;
  reportedProblems.add(key);
  console.error(`heim-cancel: ${method} ${url} answered ${response.status} (${contentType}): ${what}, not the proxy's. Check apiBaseUrl ("${apiBaseUrl}") and where the proxy is mounted.`);
}

function toErrorFromResponse(response: Response, json: unknown): CancelApiError {
  const envelope = errorEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    return new CancelApiError('invalid_response', `The proxy answered ${response.status} without a readable error.`, {
      status: response.status,
    });
  }
  const { code, message, cancellation, charge, issues } = envelope.data.error;
  // The constructor copies each detail as given, so an absent one is simply passed as undefined.
  return new CancelApiError(code as CancelApiErrorCode, message, {
    status: response.status,
    cancellation,
    charge,
    issues,
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
  });
}

/** Creates the typed client for the proxy. Pure: holds no state beyond its options. */
export function createCancelApiClient(options: CancelApiClientOptions = {}): CancelApiClient {
  const apiBaseUrl = (options.apiBaseUrl ?? '/api').replace(/\/+$/, '');
  // Looked up per call so a polyfill or test fetch installed later is honoured, and called as a
  // plain function so browsers do not throw "Illegal invocation".
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const monotonicNow = options.monotonicNow ?? (() => performance.now());

  /**
   * One request to `/appointments/{appointmentId}{suffix}`. Async, so a refused id (appointmentPath
   * throws) is a rejection like every other failure, never a synchronous throw.
   */
  async function send<S extends z.ZodType>(
    method: 'GET' | 'POST',
    appointmentId: string,
    suffix: string,
    schema: S,
    init: { body?: string; headers?: Record<string, string>; signal?: AbortSignal | undefined },
  ): Promise<z.infer<S>> {
    const path = appointmentPath(appointmentId) + suffix;
    const url = `${apiBaseUrl}${path}`;
    const startedAt = monotonicNow();
    let response: Response;
    try {
      // An absent body or signal is passed as undefined, which fetch reads as not given.
      response = await doFetch(url, {
        method,
        credentials: 'same-origin',
        ...(init as RequestInit),
        headers: { Accept: 'application/json', ...init.headers },
      });
    } catch (cause) {
      // An abort is the caller's decision (react-query cancelling), not a network failure.
      if (init.signal?.aborted) throw cause;
      throw new CancelApiError('network_error', 'The proxy could not be reached.', { cause });
    }
    const endedAt = monotonicNow();
    const json = await readJson(response);
    // The proxy answers everything with JSON in its contract's shapes (bff-api.md, "Every response").
    const notJson = json === undefined || !/^application\/json\b/i.test(response.headers.get('Content-Type') ?? '');
    const notTheProxy = () => reportNotTheProxy(method, url, apiBaseUrl, response, notJson ? 'not JSON' : 'JSON outside the contract');
    if (!response.ok) {
      const error = toErrorFromResponse(response, json);
      if (notJson || error.code === 'invalid_response') notTheProxy();
      throw error;
    }
    const parsed = schema.safeParse(json);
    if (notJson || !parsed.success) notTheProxy();
    if (!parsed.success) {
      throw new CancelApiError('invalid_response', `The proxy's answer to ${method} ${path} did not match the contract.`, {
        status: response.status,
        cause: parsed.error,
      });
    }
    if (method === 'GET' && options.onRoundTrip) {
      const serverNow = (parsed.data as { serverNow?: unknown }).serverNow;
      const serverNowMs = typeof serverNow === 'string' ? Date.parse(serverNow) : Number.NaN;
      options.onRoundTrip({ path, startedAt, endedAt, serverNowMs: Number.isNaN(serverNowMs) ? null : serverNowMs });
    }
    return parsed.data as z.infer<S>;
  }

  return {
    apiBaseUrl,
    getAppointment(appointmentId, requestOptions = {}) {
      return send('GET', appointmentId, '', appointmentResponseSchema, { signal: requestOptions.signal });
    },
    cancel(appointmentId, body, idempotencyKey, requestOptions = {}) {
      return send('POST', appointmentId, '/cancel', cancelResponseSchema, {
        body: JSON.stringify(body),
        headers: {
          'Content-Type': 'application/json',
          'X-Requested-With': REQUESTED_WITH,
          'Idempotency-Key': idempotencyKey,
        },
        signal: requestOptions.signal,
      });
    },
    getCancellation(appointmentId, requestOptions = {}) {
      return send('GET', appointmentId, '/cancellation', cancellationStatusResponseSchema, {
        signal: requestOptions.signal,
      });
    },
  };
}
