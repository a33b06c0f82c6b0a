/**
 * The only code that talks to Heim. It holds the key, never follows redirects (a redirect must not
 * carry the key elsewhere), times out every request, and reports outcomes precisely enough for the
 * cancel flow to tell "Heim said no" from "we do not know what happened".
 */
import type { CausingEntity, ReasonCode } from '../core/reasons';
import {
  GATEWAY_STATUSES,
  heimAppointmentSchema,
  heimAuthorizationHeader,
  heimCancellationSchema,
  heimPaths,
  type HeimAppointment,
  type HeimCancellation,
} from './heim-assumptions';
import type { ZodType } from 'zod';
import type { Logger } from './logger';

export type HeimOutcome<T> =
  | { kind: 'ok'; value: T; status: number }
  | { kind: 'not_found'; status: 404 }
  /** Heim answered 4xx (other than 404): it refused. */
  | { kind: 'rejected'; status: number }
  /** Heim answered 3xx, 429 or a 5xx of its own (not 502/503/504): something went wrong, maybe after acting. */
  | { kind: 'failed'; status: number }
  /** A gateway in front of Heim answered 502/503/504: Heim may still be carrying the request out. */
  | { kind: 'gateway'; status: number }
  /** A 2xx to a read that we could not read. (A 2xx to the cancel is always `ok`: Heim accepted it.) */
  | { kind: 'malformed'; status: number }
  /** The request never reached Heim (refused connection, unknown host). */
  | { kind: 'unreachable' }
  /** Sent, but the answer was lost (timeout, reset). */
  | { kind: 'lost' };

export interface HeimCancelBody {
  note: string;
  causingEntity: CausingEntity;
  cancellingEntity: 'patient';
  reasonCode: ReasonCode;
}

export interface HeimClient {
  getAppointment(id: string): Promise<HeimOutcome<HeimAppointment>>;
  getCancellation(id: string): Promise<HeimOutcome<HeimCancellation>>;
  /**
   * `ok` for every 2xx: Heim accepted the cancel, whatever its body says. The value is the
   * cancellation when the body is one we can read, else null (the guide documents no answer shape).
   */
  cancel(id: string, body: HeimCancelBody): Promise<HeimOutcome<HeimCancellation | null>>;
}

export interface HeimClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Statuses by which Heim refuses the organisation's key itself: every patient is affected. */
const KEY_REFUSED_STATUSES = new Set([401, 403]);

/**
 * Logs every Heim call that did not go as expected (a missing cancellation is expected), so a
 * revoked key or an outage at Heim is in the operations log even where the patient's answer is a
 * plain `upstream_error`. Operational facts only: never a body or a header.
 */
function logOutcome(log: Logger, call: string, appointmentId: string, outcome: HeimOutcome<unknown>, durationMs: number): void {
  if (outcome.kind === 'ok' || outcome.kind === 'not_found') return;
  const status = 'status' in outcome ? outcome.status : null;
  const keyRefused = status !== null && KEY_REFUSED_STATUSES.has(status);
  log({
    level: keyRefused ? 'error' : 'warn',
    event: 'heim.call_failed',
    call,
    appointmentId,
    outcome: outcome.kind,
    upstreamStatus: status,
    durationMs,
    ...(keyRefused ? { hint: 'Heim refused the API key: check HEIM_API_KEY (revoked, rotated, or for another environment).' } : {}),
  });
}

export function createHeimClient(options: HeimClientOptions, log: Logger = () => undefined): HeimClient {
  /** `unreadable` is what a 2xx whose body `schema` cannot read stands for, or `malformed`. */
  async function call<T, U = never>(
    method: 'GET' | 'POST',
    path: string,
    schema: ZodType<T>,
    extra: { body?: HeimCancelBody; unreadable?: U } = {},
  ): Promise<HeimOutcome<T | U>> {
    const { body } = extra;
    const unreadable = (status: number): HeimOutcome<T | U> =>
      'unreadable' in extra ? { kind: 'ok', value: extra.unreadable as U, status } : { kind: 'malformed', status };
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: heimAuthorizationHeader(options.apiKey),
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        // Key order is the guide's: note, causingEntity, cancellingEntity, reasonCode.
        ...(body ? { body: JSON.stringify(body) } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const code = errorCode(error);
      return code !== undefined && NOT_SENT_CODES.has(code) ? { kind: 'unreachable' } : { kind: 'lost' };
    }

    let text: string;
    try {
      text = await response.text();
    } catch {
      // Headers arrived but the body did not: a 2xx still says Heim did it; an error, we cannot know.
      return response.ok ? unreadable(response.status) : { kind: 'lost' };
    }
    if (response.status === 404) return { kind: 'not_found', status: 404 };
    if (response.status >= 400 && response.status < 500 && response.status !== 429) {
      return { kind: 'rejected', status: response.status };
    }
    if (GATEWAY_STATUSES.has(response.status)) return { kind: 'gateway', status: response.status };
    if (!response.ok) return { kind: 'failed', status: response.status };
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? { kind: 'ok', value: parsed.data, status: response.status } : unreadable(response.status);
    } catch {
      return unreadable(response.status);
    }
  }

  async function logged<T>(name: string, id: string, run: () => Promise<HeimOutcome<T>>): Promise<HeimOutcome<T>> {
    const started = performance.now();
    const outcome = await run();
    logOutcome(log, name, id, outcome, Math.round(performance.now() - started));
    return outcome;
  }

  return {
    getAppointment: (id) => logged('getAppointment', id, () => call('GET', heimPaths.appointment(id), heimAppointmentSchema)),
    getCancellation: (id) => logged('getCancellation', id, () => call('GET', heimPaths.cancellation(id), heimCancellationSchema)),
    cancel: (id, body) => logged('cancel', id, () => call('POST', heimPaths.cancel(id), heimCancellationSchema, { body, unreadable: null })),
  };
}
