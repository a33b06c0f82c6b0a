/**
 * The world of proxy-interleavings.test.ts: the real proxy handler in front of the real Heim
 * simulator, in process, with fast-check's scheduler standing in for the network between them.
 * Every Heim call is two scheduled steps (it reaches Heim; its answer reaches the proxy), or a
 * timeout the proxy sees while the request may still reach Heim before or after. Nothing of Heim's
 * behaviour is mocked: faults are the simulator's own, injected through its fault queue.
 *
 * Beside the system, the world keeps the record the invariants are judged on: every Heim call (who
 * sent it, when, whether it reached Heim, whether it is what Heim recorded as the cancellation),
 * every patient request and its answer, the ETAs each appointment had, and every log line.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type fc from 'fast-check';
import { vi } from 'vitest';
import { createCancelHandler } from '../../src/server/app';
import { LOST_ANSWER_GRACE_MS } from '../../src/server/heim-assumptions';
import type { LogEntry } from '../../src/server/logger';
import { transportError, transportFaultOf, type Fault } from '../../src/simulator/faults';
import { createSimulator, type Simulator } from '../../src/simulator/simulator';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, TEST_PORTAL_ORIGIN } from '../support/backend';

export const UPSTREAM_TIMEOUT_MS = 5_000;
export const WINDOW_HOURS = 24;
export const WEBHOOK_SECRET = `whsec_${Buffer.from('interleavings-webhook-secret-32b').toString('base64')}`;

export type PatientName = 'alice' | 'bob';
export type AppointmentName = 'A' | 'B';
export const PATIENT_IDS: Record<PatientName, string> = { alice: 'p_model_alice', bob: 'p_model_bob' };
/** Alice owns A, Bob owns B: Bob reaching for A is the "other patient" case. */
export const APPOINTMENT_IDS: Record<AppointmentName, string> = { A: 'apt_model_a', B: 'apt_model_b' };
export const OWNER: Record<AppointmentName, PatientName> = { A: 'alice', B: 'bob' };

/** How a Heim call's answer fares on the way back: given, or lost to the proxy's timeout. */
export type NetworkFate = 'answer' | 'timeout';

export type CancelBody = { reasonCode: string; note: string; acknowledgeCharge?: boolean };

export interface PatientRequest {
  id: number;
  kind: 'cancel' | 'status' | 'read';
  patient: PatientName;
  appointment: AppointmentName;
  key?: string;
  body?: CancelBody;
  /** Index of the body in the test's pool: same key and same index is the same request. */
  bodyIndex?: number;
  startedAt: number;
  startSeq: number;
  /** Heim held a cancellation of the appointment when the request began. */
  cancelledAtStart: boolean;
  /** At some instant while it ran, Heim held no cancellation and no cancel of ours could still land. */
  sawQuiet: boolean;
  endSeq?: number;
  endedAt?: number;
  /** Heim held a cancellation of the appointment when the answer came back. */
  cancelledAtEnd?: boolean;
  /** Proxy POSTs for the appointment sent before the answer came back. */
  postsBeforeEnd?: number;
  /** A POST this request sent could still land when its answer came back. */
  ownPostOpenAtEnd?: boolean;
  status?: number;
  answer?: unknown;
}

export interface HeimCall {
  id: number;
  method: string;
  route: 'appointment' | 'cancellation' | 'cancel' | 'other';
  appointmentId: string;
  /** The patient request whose handling sent it; null for webhooks and background reconciling. */
  origin: PatientRequest | null;
  sentAt: number;
  reachedHeim: boolean;
  /** Heim finished handling it (its state no longer changes because of it, deferred commits aside). */
  handled: boolean;
  /** Never reached Heim: the network held it past LOST_ANSWER_GRACE_MS, the proxy's assumption. */
  dropped: boolean;
  arrivedAt?: number;
  /** A simulator fault with commitAfterMs applied: Heim carries the cancel out at this instant. */
  deferredCommitAt?: number;
  /** This call is what Heim recorded as the appointment's cancellation. */
  committed: boolean;
}

export interface HeimCancellationRecord {
  id: string;
  createdAt: number;
  /** When the world first saw it, in the order of events. */
  seq: number;
  byOperations: boolean;
  /** The proxy POST that Heim recorded, when it was ours. */
  call: HeimCall | null;
}

interface QueuedFault {
  route: Fault['route'];
  status: number | null;
  commitAfterMs: number | null;
  remaining: number;
}

export interface World {
  simulator: Simulator;
  now: () => number;
  calls: HeimCall[];
  requests: PatientRequest[];
  logs: LogEntry[];
  /** Raw bodies of every answer (patients' and webhooks'), for the key canary. */
  answerTexts: string[];
  /** Each appointment's ETAs and when Heim set them (the first is the seed's). */
  etaHistory: Record<string, { at: number; seq: number; eta: number | null }[]>;
  cancellations: Record<string, HeimCancellationRecord | undefined>;
  violations: string[];
  /** The simulator answered 2xx to a cancel it did not carry out: no real Heim does; the run is discarded. */
  heimLied: boolean;
  setFault(fault: Fault): void;
  clearFaults(): void;
  /** Network fates still to hand out, one per Heim call in the order calls are made. */
  fates: NetworkFate[];
  send(request: Omit<PatientRequest, 'id' | 'startedAt' | 'startSeq' | 'cancelledAtStart' | 'sawQuiet'>): Promise<PatientRequest>;
  /** Moves the clock (and the timers it fires: background reconciling, deferred commits, webhook retries). */
  advanceTo(at: number): void;
  operations(run: (simulator: Simulator) => Promise<void> | void): Promise<void>;
  /** Heim Operations cancel at Heim's API, as the organisation (it meets the same faults). */
  operationsCancel(appointmentId: string): Promise<void>;
  replayWebhook(which: 'first' | 'last', sameId: boolean): Promise<void>;
  observe(): void;
  mayStillLand(appointmentId: string): boolean;
  mayStillLandCall(call: HeimCall): boolean;
  /** The order of events (requests beginning and ending, Operations' changes), clock aside. */
  nextSeq(): number;
}

const routeOf = (path: string): { route: HeimCall['route']; appointmentId: string } => {
  const match = /^\/v1\/appointments\/([^/]+)(\/cancel|\/cancellation)?$/.exec(path);
  if (!match) return { route: 'other', appointmentId: '' };
  const route = match[2] === '/cancel' ? 'cancel' : match[2] === '/cancellation' ? 'cancellation' : 'appointment';
  return { route, appointmentId: decodeURIComponent(match[1]!) };
};

/**
 * Which patient request a Heim call is made for. One for every world: Node propagates each live
 * AsyncLocalStorage on every promise, so one per run would slow each run more than the last.
 */
const origin = new AsyncLocalStorage<PatientRequest | null>();

/** What fetch rejects with when AbortSignal.timeout fires: the proxy's own timeout. */
const timeoutError = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

export function createWorld(
  scheduler: fc.Scheduler,
  setup: { etas: Record<AppointmentName, number | null>; duplicateCancelStatus: 400 | 409 | 422; embedCancellation: boolean },
): World {
  const now = () => Date.now();
  const start = now();
  const calls: HeimCall[] = [];
  const requests: PatientRequest[] = [];
  const logs: LogEntry[] = [];
  const answerTexts: string[] = [];
  const violations: string[] = [];
  const cancellations: Record<string, HeimCancellationRecord | undefined> = {};
  const etaHistory: Record<string, { at: number; seq: number; eta: number | null }[]> = {};
  // The simulator's fault queue as the world sees it (same rule: the oldest fault for the route),
  // so a call knows whether Heim will carry its cancel out later (commitAfterMs).
  let faultBook: QueuedFault[] = [];
  let seq = 0;
  // Every arrival at Heim, and every change made by Heim Operations, runs one at a time: the
  // simulator takes its fault and answers atomically, as a real server's request handling would.
  let heimSerial: Promise<unknown> = Promise.resolve();
  const atHeim = <T>(work: () => Promise<T>): Promise<T> => {
    const run = heimSerial.then(work);
    heimSerial = run.catch(() => undefined);
    return run;
  };

  const simulator = createSimulator({
    apiKeys: [TEST_HEIM_KEY],
    now,
    seed: 'none',
    duplicateCancelStatus: setup.duplicateCancelStatus,
    embedCancellation: setup.embedCancellation,
  });
  for (const name of ['A', 'B'] as const) {
    const eta = setup.etas[name];
    simulator.addAppointment({
      id: APPOINTMENT_IDS[name],
      status: eta === null ? 'scheduling' : 'scheduled',
      estimatedTimeOfArrival: eta === null ? null : new Date(eta).toISOString(),
      patient: { id: PATIENT_IDS[OWNER[name]], name: name === 'A' ? 'Alice Model' : 'Bob Model' },
      serviceName: 'Home visit',
      location: { line1: '1 Model Road', city: 'London', postcode: 'N1 1AA' },
      createdAt: new Date(start - 86_400_000).toISOString(),
    });
    etaHistory[APPOINTMENT_IDS[name]] = [{ at: start, seq: 0, eta }];
  }

  function takeFault(route: HeimCall['route']): QueuedFault | undefined {
    const index = faultBook.findIndex((fault) => fault.route === 'any' || fault.route === route);
    const fault = faultBook[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faultBook.splice(index, 1);
    return fault;
  }

  function mayStillLand(appointmentId: string): boolean {
    // A visit Heim reads completed can no longer be cancelled (heim-assumptions.ts, COMPLETED_STATUS).
    if (simulator.getAppointment(appointmentId)?.status === 'completed') return false;
    return calls.some(
      (call) =>
        call.route === 'cancel' &&
        call.appointmentId === appointmentId &&
        !call.dropped &&
        (!call.handled || (call.deferredCommitAt !== undefined && now() < call.deferredCommitAt && !call.committed)),
    );
  }

  /** Notes what Heim now holds, and which running requests just saw a quiet moment. */
  function observe(): void {
    for (const appointmentId of Object.values(APPOINTMENT_IDS)) {
      const held = simulator.getCancellation(appointmentId);
      if (held && !cancellations[appointmentId]) {
        const byOperations = held.cancellingEntity !== 'patient';
        // Ours: the one proxy POST that Heim was carrying out (G1 below keeps it to one).
        const call = byOperations
          ? null
          : (calls.find((c) => c.route === 'cancel' && c.appointmentId === appointmentId && c.reachedHeim && !c.committed && c.deferredCommitAt !== undefined && c.deferredCommitAt <= now()) ?? null);
        if (call) call.committed = true;
        cancellations[appointmentId] = { id: held.id, createdAt: Date.parse(held.createdAt), seq: ++seq, byOperations, call };
      }
      const quiet = !held && !mayStillLand(appointmentId);
      if (!quiet) continue;
      for (const request of requests) {
        if (request.endSeq === undefined && APPOINTMENT_IDS[request.appointment] === appointmentId) request.sawQuiet = true;
      }
    }
  }

  async function arrive(call: HeimCall, request: Request): Promise<Response | null> {
    return atHeim(async () => {
      if (now() - call.sentAt > LOST_ANSWER_GRACE_MS) {
        // The proxy assumes no request is carried out a day after it was sent (heim-assumptions.ts).
        call.dropped = true;
        observe();
        return null;
      }
      call.reachedHeim = true;
      call.arrivedAt = now();
      const fault = takeFault(call.route);
      if (fault?.commitAfterMs != null && call.route === 'cancel') call.deferredCommitAt = now() + fault.commitAfterMs;
      const before = simulator.getCancellation(call.appointmentId);
      const response = await simulator.fetch(request);
      if (!before && simulator.getCancellation(call.appointmentId) && call.route === 'cancel') {
        call.committed = true;
        const held = simulator.getCancellation(call.appointmentId)!;
        cancellations[call.appointmentId] = { id: held.id, createdAt: Date.parse(held.createdAt), seq: ++seq, byOperations: false, call };
      }
      // A 2xx to a cancel Heim did not carry out (a fault's 2xx without commit) is a Heim that says
      // "done" to what it did not do, which the proxy rightly believes. (With commit, a refused
      // cancel gets Heim's own refusal: the simulator never turns one into a success.)
      if (call.route === 'cancel' && response.ok && !call.committed) world.heimLied = true;
      call.handled = true;
      observe();
      return response;
    });
  }

  const world: World = {
    simulator,
    now,
    calls,
    requests,
    logs,
    answerTexts,
    etaHistory,
    cancellations,
    violations,
    heimLied: false,
    fates: [],
    setFault(fault) {
      simulator.setFault(fault);
      faultBook.push({ route: fault.route, status: fault.status ?? null, commitAfterMs: fault.commitAfterMs ?? null, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      simulator.clearFaults();
      faultBook = [];
    },
    async send(init) {
      const request: PatientRequest = {
        ...init,
        id: requests.length + 1,
        startedAt: now(),
        startSeq: ++seq,
        cancelledAtStart: simulator.getCancellation(APPOINTMENT_IDS[init.appointment]) !== undefined,
        sawQuiet: false,
      };
      requests.push(request);
      observe();
      const path = `${TEST_PORTAL_ORIGIN}/api/appointments/${APPOINTMENT_IDS[init.appointment]}`;
      const headers = new Headers({ 'x-model-patient': PATIENT_IDS[init.patient] });
      let http: Request;
      if (init.kind === 'cancel') {
        headers.set('content-type', 'application/json');
        headers.set('x-requested-with', 'interleavings');
        headers.set('origin', TEST_PORTAL_ORIGIN);
        headers.set('idempotency-key', init.key!);
        http = new Request(`${path}/cancel`, { method: 'POST', headers, body: JSON.stringify(init.body) });
      } else {
        http = new Request(init.kind === 'status' ? `${path}/cancellation` : path, { headers });
      }
      const response = await origin.run(request, () => handler(http));
      const text = await response.text();
      answerTexts.push(text);
      request.status = response.status;
      request.answer = text === '' ? null : (JSON.parse(text) as unknown);
      const appointmentId = APPOINTMENT_IDS[init.appointment];
      request.endSeq = ++seq;
      request.endedAt = now();
      request.cancelledAtEnd = simulator.getCancellation(appointmentId) !== undefined;
      request.postsBeforeEnd = calls.filter((call) => call.route === 'cancel' && call.appointmentId === appointmentId).length;
      request.ownPostOpenAtEnd = calls.some((call) => call.route === 'cancel' && call.origin === request && mayStillLandCall(call));
      return request;
    },
    advanceTo(at) {
      // Timers fired here start work of their own (a background reconcile, a deferred commit): it
      // belongs to no patient request, whoever's step moved the clock.
      if (at > now()) origin.run(null, () => vi.advanceTimersByTime(at - now()));
      observe();
    },
    async operations(run) {
      await origin.run(null, () => atHeim(async () => run(simulator)));
      observe();
    },
    async operationsCancel(appointmentId) {
      await origin.run(null, () =>
        atHeim(async () => {
          takeFault('cancel');
          await simulator.fetch(
            new Request(`${TEST_HEIM_BASE_URL}/appointments/${appointmentId}/cancel`, {
              method: 'POST',
              headers: { authorization: TEST_HEIM_KEY, 'content-type': 'application/json' },
              body: JSON.stringify({ note: 'Cancelled by Heim Operations', causingEntity: 'organisation', cancellingEntity: 'organisation', reasonCode: 'organisation_cancelled' }),
            }),
          );
        }),
      );
      observe();
    },
    async replayWebhook(which, sameId) {
      const deliveries = simulator.webhookDeliveries;
      const delivery = which === 'first' ? deliveries[0] : deliveries.at(-1);
      if (!delivery) return;
      await origin.run(null, () => simulator.sendWebhook(delivery.event, sameId ? { id: delivery.id } : {}));
    },
    observe,
    mayStillLand,
    mayStillLandCall: (call) => mayStillLandCall(call),
    nextSeq: () => ++seq,
  };

  /** The network between the proxy and Heim, each step released by the scheduler. */
  const heimFetch: typeof fetch = async (input, init) => {
    const { signal: _ignored, ...rest } = init ?? {};
    // The proxy's own timeout is modelled below, on the injected clock: a real AbortSignal would
    // fire on the wall clock, at a moment the scheduler does not choose.
    const request = new Request(input, rest);
    const url = new URL(request.url);
    const call: HeimCall = {
      id: calls.length + 1,
      method: request.method,
      ...routeOf(url.pathname),
      origin: origin.getStore() ?? null,
      sentAt: now(),
      reachedHeim: false,
      handled: false,
      dropped: false,
      committed: false,
    };
    if (call.route === 'cancel') checkSecondPost(call);
    calls.push(call);
    observe();
    const fate = world.fates.shift() ?? 'answer';
    const label = `#${call.id} ${call.method} ${call.route} ${call.appointmentId}`;
    const arrival = scheduler.schedule(Promise.resolve(), `heim receives ${label}`).then(() => arrive(call, request));
    if (fate === 'timeout') {
      arrival.catch(() => undefined);
      await scheduler.schedule(Promise.resolve(), `proxy times out ${label}`);
      world.advanceTo(call.sentAt + UPSTREAM_TIMEOUT_MS);
      throw timeoutError();
    }
    const response = await arrival;
    await scheduler.schedule(Promise.resolve(), `answer reaches proxy ${label}`);
    // An answer later than the proxy's timeout never reaches it: it gave up at sentAt + timeout.
    if (response === null || now() > call.sentAt + UPSTREAM_TIMEOUT_MS) throw timeoutError();
    const transport = transportFaultOf(response);
    if (transport !== undefined) throw transportError(transport);
    return response;
  };

  /**
   * G1 (bff-api.md: "at most one upstream cancel per appointment"): a POST only when no earlier
   * POST of ours can still land (each reached Heim and was carried out or refused, or the network
   * held it a day, which heim-assumptions.ts takes as never), and none was what Heim recorded.
   */
  function checkSecondPost(call: HeimCall): void {
    for (const earlier of calls) {
      if (earlier.route !== 'cancel' || earlier.appointmentId !== call.appointmentId) continue;
      const overADay = call.sentAt - earlier.sentAt > LOST_ANSWER_GRACE_MS;
      if (earlier.committed) violations.push(`G1: POST #${call.id} after POST #${earlier.id} was recorded by Heim`);
      else if (!overADay && mayStillLandCall(earlier)) violations.push(`G1: POST #${call.id} while POST #${earlier.id} may still land`);
    }
  }
  const mayStillLandCall = (call: HeimCall) =>
    !call.dropped && (!call.handled || (call.deferredCommitAt !== undefined && now() < call.deferredCommitAt));

  const handler = createCancelHandler({
    heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY, timeoutMs: UPSTREAM_TIMEOUT_MS, fetch: heimFetch },
    // The portal's own sessions, read from a header: HS256 verification runs on libuv's thread pool,
    // whose completion order the scheduler cannot control, and sessions are not under test here.
    authenticate: (request) => {
      const patientId = request.headers.get('x-model-patient');
      return patientId ? { patientId } : null;
    },
    allowedOrigins: [TEST_PORTAL_ORIGIN],
    webhookSecret: WEBHOOK_SECRET,
    chargeWindowHours: WINDOW_HOURS,
    rateLimit: { max: 10_000, windowMs: 60_000 },
    readRateLimit: { max: 10_000, windowMs: 60_000 },
    now,
    logger: (entry) => logs.push(entry),
  });

  simulator.setWebhookTarget({
    url: `${TEST_PORTAL_ORIGIN}/api/webhooks/heim`,
    secret: WEBHOOK_SECRET,
    // Heim's events reach the proxy when the scheduler says, as one more concurrent request.
    fetch: async (input, init) => {
      const { signal: _ignored, ...rest } = init ?? {};
      const request = new Request(input, rest);
      await scheduler.schedule(Promise.resolve(), 'webhook reaches proxy');
      const response = await origin.run(null, () => handler(request));
      const text = await response.text();
      answerTexts.push(text);
      if (response.status !== 204 && response.status !== 401 && response.status !== 502) {
        violations.push(`webhook answered ${response.status}: ${text}`);
      }
      return new Response(text === '' ? null : text, { status: response.status });
    },
  });

  return world;
}
