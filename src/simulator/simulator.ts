/**
 * `createSimulator`: a stateful stand-in for Heim's API behind one Web-standard `fetch` handler.
 * This file composes the parts (options, store, ledger, faults, routes) and owns the order in
 * which a `/v1` request is treated: ledger, authentication, routing, fault, answer, latency.
 */
import { delay, isoAt } from './clock';
import { handleControl } from './control-routes';
import { FaultQueue, faultResponse, type Fault } from './faults';
import { UNAUTHENTICATED_STATUS } from './heim-assumptions';
import type { HeimAppointment, HeimCancellation, SeedAppointment } from './heim-types';
import { Ledger, headersToRecord, type LedgerEntry } from './ledger';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options';
import { errorResponse } from './responses';
import { demoSeed } from './seed';
import { AppointmentStore } from './store';
import { answerUnmatched, answerV1, matchV1, type V1Match, type V1RequestContext } from './v1-routes';
import { appointmentCancelledEvent, type HeimWebhookEvent } from './webhook-assumptions';
import { WebhookSender, type SendWebhookOptions, type WebhookDelivery, type WebhookTarget } from './webhook-sender';
import type { CancellingEntity, CausingEntity, ReasonCode } from '../core/reasons';

export interface Simulator {
  /** Web-standard handler serving `/v1/*` (Heim's API) and `/_sim/*` (control, no auth). */
  fetch(request: Request): Promise<Response>;
  /** Every `/v1` request answered, in arrival order (not `/_sim` control calls). A snapshot. */
  readonly ledger: readonly LedgerEntry[];
  clearLedger(): void;
  /** A deep copy, or undefined when unknown. */
  getAppointment(id: string): HeimAppointment | undefined;
  listAppointments(filter?: { patientId?: string }): HeimAppointment[];
  /** Validates the seed (throws on a malformed one or a duplicate id) and returns the stored copy. */
  addAppointment(seed: SeedAppointment): HeimAppointment;
  /** The current cancellation (as amended), or undefined when the appointment has none. */
  getCancellation(appointmentId: string): HeimCancellation | undefined;
  /**
   * Amend a cancellation as Heim Operations would after review: moves `updatedAt` forward (even on
   * an empty patch). Throws `SimulatorStateError` if the appointment is unknown or not cancelled.
   */
  amendCancellation(
    appointmentId: string,
    patch: { reasonCode?: ReasonCode; causingEntity?: CausingEntity; cancellingEntity?: CancellingEntity; note?: string },
  ): HeimCancellation;
  /** Heim moves (or unsets) the ETA, as it does when routes are re-planned. */
  moveEta(appointmentId: string, estimatedTimeOfArrival: string | null): HeimAppointment;
  /** The visit took place: Heim marks it completed. Throws for a cancelled or unknown appointment. */
  completeAppointment(appointmentId: string): HeimAppointment;
  /** Queue a fault (see `faults.ts`); throws on a malformed one. */
  setFault(fault: Fault): void;
  clearFaults(): void;
  /**
   * Where signed `appointment.cancelled` events go (on each cancel and each amendment); null stops
   * delivering (events are still recorded, as `not_sent`). Throws on a malformed URL or secret.
   */
  setWebhookTarget(target: WebhookTarget | null): void;
  /** Every event and how its delivery went, in the order the events happened. Snapshots. */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /**
   * Deliver one event now to the current target, e.g. a recorded one again (same `id`: a replay),
   * out of order, or with an old `timestamp`. One attempt unless told. Resolves with its record.
   */
  sendWebhook(event: HeimWebhookEvent, options?: SendWebhookOptions): Promise<WebhookDelivery>;
  /** Resolves once every delivery under way, retries included, has finished. */
  flushWebhooks(): Promise<void>;
  /** Re-seed relative to `now()`, clear the ledger, the faults and the recorded deliveries. */
  reset(): void;
}

function seedFor(options: ResolvedOptions): readonly SeedAppointment[] {
  if (options.seed === 'demo') return demoSeed(options.now());
  if (options.seed === 'none') return [];
  return options.seed;
}

export function createSimulator(options?: SimulatorOptions): Simulator {
  const resolved = resolveOptions(options);
  const store = new AppointmentStore(resolved.now);
  const ledger = new Ledger();
  const faults = new FaultQueue();
  const webhooks = new WebhookSender({
    target: resolved.webhook,
    ...(resolved.webhookRetryDelaysMs === undefined ? {} : { retryDelaysMs: resolved.webhookRetryDelaysMs }),
  });

  const loadSeed = (): void => {
    store.clear();
    for (const seed of seedFor(resolved)) store.add(seed);
  };

  /**
   * A route's answer, plus the `appointment.cancelled` event when this request is what cancelled
   * the appointment (whatever a fault then answers: Heim did cancel).
   */
  function answerAndNotify(ctx: V1RequestContext, match: Extract<V1Match, { kind: 'route' }>): Response {
    const { route, appointmentId } = match;
    const wasCancelled = route === 'cancel' && store.getCancellation(appointmentId) !== undefined;
    const response = answerV1(ctx, route, appointmentId);
    const cancellation = route === 'cancel' && !wasCancelled ? store.getCancellation(appointmentId) : undefined;
    if (cancellation !== undefined) webhooks.emit(appointmentCancelledEvent(cancellation, resolved.now()));
    return response;
  }

  /** The answer to an authenticated request on a known route, with any fault applied. */
  async function answerRoute(ctx: V1RequestContext, match: Extract<V1Match, { kind: 'route' }>): Promise<Response> {
    const fault = faults.take(match.route);
    if (fault === undefined) return answerAndNotify(ctx, match);
    if (fault.commit && match.route === 'cancel') {
      // "Committed but the answer was bad": the state changes now, whatever is answered later.
      const committed = answerAndNotify(ctx, match);
      await delay(fault.latencyMs);
      const faulted = faultResponse(fault);
      // A 2xx fault stands for a success whose body went wrong. When Heim refused the cancel (the
      // visit was already cancelled, or completed), nothing committed, and no gateway turns a
      // refusal into a success: Heim's own answer goes out. 3xx-5xx and transport faults still
      // hide it, as a broken gateway would.
      if (faulted !== null && faulted.status >= 200 && faulted.status < 300 && !committed.ok) return committed;
      return faulted ?? committed;
    }
    if (fault.commitAfterMs !== null && match.route === 'cancel') {
      // "A gateway gave up, Heim carried on": answered now, the state changes later.
      const { commitAfterMs } = fault;
      void delay(fault.latencyMs + commitAfterMs).then(() => answerAndNotify(ctx, match));
      await delay(fault.latencyMs);
      // faultSchema requires a status or a transport failure with commitAfterMs, so there is an answer.
      return faultResponse(fault)!;
    }
    await delay(fault.latencyMs);
    return faultResponse(fault) ?? answerAndNotify(ctx, match);
  }

  async function answerV1Request(request: Request, url: URL, body: string): Promise<Response> {
    const key = request.headers.get('authorization');
    if (key === null || !resolved.apiKeys.has(key)) {
      return errorResponse(
        UNAUTHENTICATED_STATUS,
        'authentication_error',
        'Missing or unknown API key: send the key itself in the Authorization header (no "Bearer" prefix).',
      );
    }
    const match = matchV1(request.method, url.pathname);
    if (match.kind !== 'route') return answerUnmatched(match);
    const ctx: V1RequestContext = {
      store,
      duplicateCancelStatus: resolved.duplicateCancelStatus,
      embedCancellation: resolved.embedCancellation,
      url,
      headers: request.headers,
      body,
    };
    return answerRoute(ctx, match);
  }

  async function handleV1(request: Request, url: URL): Promise<Response> {
    const seq = ledger.nextSeq();
    const receivedAt = isoAt(resolved.now());
    const headers = headersToRecord(request.headers);
    const body = await request.text().catch(() => '');
    let response: Response;
    try {
      response = await answerV1Request(request, url, body);
    } catch (error) {
      response = errorResponse(500, 'internal_error', `The Heim simulator failed: ${String(error)}`);
    }
    await delay(resolved.latencyMs);
    ledger.record({ seq, receivedAt, method: request.method, path: url.pathname + url.search, headers, body, status: response.status });
    return response;
  }

  const simulator: Simulator = {
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) return handleV1(request, url);
      if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
        try {
          return await handleControl(simulator, request, url);
        } catch (error) {
          return errorResponse(500, 'internal_error', `The Heim simulator failed: ${String(error)}`);
        }
      }
      return errorResponse(404, 'not_found', 'The Heim simulator serves /v1/* (Heim API) and /_sim/* (control).');
    },
    get ledger() {
      return ledger.entries();
    },
    clearLedger: () => ledger.clear(),
    getAppointment: (id) => store.get(id),
    listAppointments: (filter) => store.list(filter),
    addAppointment: (seed) => store.add(seed),
    getCancellation: (appointmentId) => store.getCancellation(appointmentId),
    amendCancellation(appointmentId, patch) {
      const amended = store.amend(appointmentId, patch);
      // Known: every amendment by Heim Operations fires appointment.cancelled again.
      webhooks.emit(appointmentCancelledEvent(amended, resolved.now()));
      return amended;
    },
    moveEta: (appointmentId, eta) => store.moveEta(appointmentId, eta),
    completeAppointment: (appointmentId) => store.complete(appointmentId),
    setFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    setWebhookTarget: (target) => webhooks.setTarget(target),
    get webhookDeliveries() {
      return webhooks.deliveries;
    },
    sendWebhook: (event, sendOptions) => webhooks.send(event, sendOptions),
    flushWebhooks: () => webhooks.flush(),
    reset() {
      loadSeed();
      ledger.clear();
      faults.clear();
      webhooks.clear();
    },
  };

  loadSeed();
  return simulator;
}
