/**
 * Fault injection: make the simulated Heim slow, failing, or "committed but the answer was bad",
 * so the proxy's timeouts, retries and reconciliation can be tested on purpose.
 *
 * Faults form a queue: each authenticated request to a known `/v1` route takes the OLDEST fault
 * whose route matches and that still has uses left (one fault per request). So
 * `[{ route: 'cancel', status: 503, times: 1 }, { route: 'cancel', latencyMs: 50 }]` fails the
 * first cancel and slows every later one. New kinds of fault are added here: extend `Fault`, its
 * schema, and `ActiveFault`.
 */
import * as z from 'zod';
import { HEIM_JSON_CONTENT_TYPE, heimErrorBody } from './heim-assumptions';

/** The simulator's `/v1` routes a fault can target. `any` matches every `/v1` route, lists included. */
export const FAULT_ROUTES = ['appointment', 'cancel', 'cancellation', 'any'] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

/** The `/v1` routes as the router names them (`list` is only reachable through `any`). */
export type V1RouteName = Exclude<FaultRoute, 'any'> | 'list';

export interface Fault {
  route: FaultRoute;
  /** Delay before answering, in ms (added to the simulator-wide `latencyMs`). */
  latencyMs?: number;
  /** Answer this status (200-599) with `body` instead of the normal response. */
  status?: number;
  /** Body sent with `status`; default a JSON error `{ error: { type: 'simulated_fault', ... } }`. */
  body?: string;
  /** Content type sent with `status`; default `application/json; charset=utf-8`, even for a custom body. */
  contentType?: string;
  /** How many matching requests it applies to; default unlimited (until `clearFaults()`). */
  times?: number;
  /**
   * For `cancel` only: carry out the cancellation first, then answer with the fault, i.e. Heim
   * committed but the answer was lost or bad. Without it a faulted cancel changes nothing, and a
   * latency-only fault delays the cancel itself (it is applied when the delay ends). When Heim
   * refuses the cancel (already cancelled, completed), nothing commits and a 2xx fault gives way
   * to Heim's own refusal; 3xx-5xx and transport faults still hide it. A 2xx fault without
   * `commit` answers success for a cancel that changed nothing: a Heim that lies, on purpose.
   */
  commit?: boolean;
  /**
   * For `cancel` only: answer with the fault now and carry the cancellation out this many ms later,
   * as Heim does when a gateway in front of it gave up (502/503/504, a reset) while Heim was still
   * working on the request. Not with `commit` (that one is carried out before answering).
   */
  commitAfterMs?: number;
  /** Extra response headers sent with `status`, e.g. `{ 'retry-after': '30' }` on a 503 or 429. */
  headers?: Record<string, string>;
  /**
   * A failure below HTTP instead of an answer: `reset`, the connection drops before any answer;
   * `refused`, the connection is refused (nothing reached Heim, so it never commits, even with
   * `commit`). Over a socket the simulator destroys it; in process, `transportFaultOf()` tells the
   * caller which network error to raise. The ledger records such a request with status 599.
   * Over a socket a connection already accepted cannot be refused, so there a client sees `refused`
   * as a reset (a proxy takes it as a lost answer, not as "Heim is down"): to see a real refusal
   * over HTTP, close the simulator; `refused` is exact only in process.
   */
  transport?: 'reset' | 'refused';
}

/** The status the ledger records for a request answered by a transport fault. */
export const TRANSPORT_FAULT_STATUS = 599;

export const faultSchema = z
  .strictObject({
    route: z.enum(FAULT_ROUTES),
    latencyMs: z.int().min(0).max(600_000).optional(),
    status: z.int().min(200).max(599).optional(),
    body: z.string().optional(),
    contentType: z.string().min(1).optional(),
    times: z.int().min(1).optional(),
    commit: z.boolean().optional(),
    commitAfterMs: z.int().min(0).max(600_000).optional(),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string()).optional(),
    transport: z.enum(['reset', 'refused']).optional(),
  })
  .refine((fault) => fault.status !== undefined || fault.latencyMs !== undefined || fault.transport !== undefined, {
    message: 'a fault needs a status, a latencyMs, a transport failure, or several',
  })
  .refine((fault) => !(fault.status !== undefined && fault.transport !== undefined), {
    message: 'a transport failure has no status: the connection drops instead',
  })
  .refine((fault) => !(fault.commit === true && fault.commitAfterMs !== undefined), {
    message: 'commit carries the cancellation out before answering, commitAfterMs after: choose one',
  })
  .refine((fault) => fault.commitAfterMs === undefined || fault.status !== undefined || fault.transport !== undefined, {
    message: 'commitAfterMs needs what is answered meanwhile: a status or a transport failure',
  })
  .refine(
    (fault) => fault.status !== undefined || (fault.body === undefined && fault.contentType === undefined && fault.headers === undefined),
    { message: 'body, contentType and headers only make sense with a status' },
  );

/** A fault as the queue holds it, with defaults resolved. */
export interface ActiveFault {
  readonly route: FaultRoute;
  readonly latencyMs: number;
  readonly answer: { status: number; body: string | null; contentType: string; headers: Record<string, string> } | null;
  readonly transport: 'reset' | 'refused' | null;
  readonly commit: boolean;
  /** Carry the cancellation out this long after answering; null: not later. */
  readonly commitAfterMs: number | null;
  /** Uses left; `Infinity` when unlimited. */
  remaining: number;
}

function defaultFaultBody(status: number): string {
  return JSON.stringify(heimErrorBody('simulated_fault', `The Heim simulator was told to answer ${status} (fault injection).`));
}

/** Statuses whose response must not carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

function activate(input: Fault): ActiveFault {
  const fault = faultSchema.parse(input);
  const status = fault.status;
  return {
    route: fault.route,
    latencyMs: fault.latencyMs ?? 0,
    answer:
      status === undefined
        ? null
        : {
            status,
            body: NULL_BODY_STATUSES.has(status) ? null : (fault.body ?? defaultFaultBody(status)),
            contentType: fault.contentType ?? HEIM_JSON_CONTENT_TYPE,
            headers: fault.headers ?? {},
          },
    transport: fault.transport ?? null,
    // A refused connection never reached Heim, so nothing can have been committed.
    commit: (fault.commit ?? false) && fault.transport !== 'refused',
    commitAfterMs: fault.transport === 'refused' ? null : (fault.commitAfterMs ?? null),
    remaining: fault.times ?? Number.POSITIVE_INFINITY,
  };
}

export class FaultQueue {
  #faults: ActiveFault[] = [];

  /** Validates (throws a ZodError on a malformed fault) and appends. */
  add(fault: Fault): void {
    this.#faults.push(activate(fault));
  }

  /** Take one use of the oldest fault matching `route`; exhausted faults leave the queue. */
  take(route: V1RouteName): ActiveFault | undefined {
    const index = this.#faults.findIndex((fault) => fault.route === 'any' || fault.route === route);
    const fault = this.#faults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(index, 1);
    return fault;
  }

  clear(): void {
    this.#faults = [];
  }
}

const transportFaults = new WeakMap<Response, 'reset' | 'refused'>();

/** Which network failure a response stands for, if it stands for one (see `Fault.transport`). */
export function transportFaultOf(response: Response): 'reset' | 'refused' | undefined {
  return transportFaults.get(response);
}

/** The response a fault answers instead of the normal one, or null for a latency-only fault. */
export function faultResponse(fault: ActiveFault): Response | null {
  if (fault.transport !== null) {
    const marker = new Response(null, { status: TRANSPORT_FAULT_STATUS });
    transportFaults.set(marker, fault.transport);
    return marker;
  }
  if (fault.answer === null) return null;
  return new Response(fault.answer.body, {
    status: fault.answer.status,
    headers: { ...fault.answer.headers, 'content-type': fault.answer.contentType },
  });
}

/** The error Node's fetch (undici) raises for such a failure, so in-process callers see the real thing. */
export function transportError(kind: 'reset' | 'refused'): TypeError {
  const code = kind === 'reset' ? 'ECONNRESET' : 'ECONNREFUSED';
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`simulated ${code}`), { code }) });
}
