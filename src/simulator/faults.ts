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
   * latency-only fault delays the cancel itself (it is applied when the delay ends).
   */
  commit?: boolean;
}

export const faultSchema = z
  .strictObject({
    route: z.enum(FAULT_ROUTES),
    latencyMs: z.int().min(0).max(600_000).optional(),
    status: z.int().min(200).max(599).optional(),
    body: z.string().optional(),
    contentType: z.string().min(1).optional(),
    times: z.int().min(1).optional(),
    commit: z.boolean().optional(),
  })
  .refine((fault) => fault.status !== undefined || fault.latencyMs !== undefined, {
    message: 'a fault needs a status, a latencyMs, or both',
  })
  .refine((fault) => fault.status !== undefined || (fault.body === undefined && fault.contentType === undefined), {
    message: 'body and contentType only make sense with a status',
  });

/** A fault as the queue holds it, with defaults resolved. */
export interface ActiveFault {
  readonly route: FaultRoute;
  readonly latencyMs: number;
  readonly answer: { status: number; body: string | null; contentType: string } | null;
  readonly commit: boolean;
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
          },
    commit: fault.commit ?? false,
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

/** The response a fault answers instead of the normal one, or null for a latency-only fault. */
export function faultResponse(fault: ActiveFault): Response | null {
  if (fault.answer === null) return null;
  return new Response(fault.answer.body, {
    status: fault.answer.status,
    headers: { 'content-type': fault.answer.contentType },
  });
}
