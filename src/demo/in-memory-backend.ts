/**
 * The real proxy in front of the real Heim simulator, in one JavaScript realm, with no sockets:
 * what the widget's unit tests (jsdom) and Storybook (MSW in the browser) talk to. Both therefore
 * exercise the code that runs in production; only Heim, the edge we do not own, is simulated.
 *
 * Imports only modules that run in a browser (no node:http, no process.env).
 */
import { createCancelHandler } from '../server/app';
import type { LogEntry } from '../server/logger';
import type { CancelHandlerOptions } from '../server/options';
import { createPatientSession } from '../server/session';
import { transportError, transportFaultOf } from '../simulator/faults';
import type { SeedAppointment } from '../simulator/heim-types';
import { createSimulator, type Simulator } from '../simulator/simulator';

export const IN_MEMORY_HEIM_BASE_URL = 'https://heim.test/v1';

export interface InMemoryBackendOptions {
  /** The Heim key the simulator accepts and the proxy sends. */
  heimApiKey: string;
  /** Signs patient sessions (at least 32 bytes). */
  sessionSecret: string;
  /** Resolves relative URLs such as `/api/...`; also the default allowed origin. */
  portalOrigin: string;
  /** Clock of the simulator and the proxy, in epoch ms. Default Date.now. */
  now?: () => number;
  windowHours?: number;
  seed?: 'demo' | 'none' | readonly SeedAppointment[];
  duplicateCancelStatus?: 400 | 409 | 422;
  /** The simulator's `embedCancellation`: the appointment GET carries its cancellation. */
  embedCancellation?: boolean;
  proxy?: Partial<Omit<CancelHandlerOptions, 'heim' | 'now' | 'logger'>>;
  heim?: { timeoutMs?: number };
  /** Signed in as this patient at start; default `p_demo_alice`. */
  patientId?: string;
  /** A log sink of the caller's own (the proxy must survive one that throws). */
  logger?: (entry: LogEntry) => void;
}

export interface InMemoryBackend {
  /** A fetch that routes `/api/...` URLs to the proxy as the signed-in patient. */
  fetch: typeof fetch;
  /** The proxy handler itself, for callers that build their own requests. */
  handler: (request: Request) => Promise<Response>;
  /** Replaces the proxy with a fresh one (as after a restart) in front of the same simulator. */
  restartProxy(): void;
  signInAs(patientId: string): Promise<void>;
  /** Later requests carry no session (the patient's session expired). */
  signOut(): void;
  tokenFor(patientId: string, expiresInSeconds?: number): Promise<string>;
  simulator: Simulator;
  /** Everything the proxy logged. */
  logs: LogEntry[];
  close(): Promise<void>;
}

/** Drops the AbortSignal: a signal of another realm (jsdom's) is one Node's Request refuses. */
function withoutSignal(init: RequestInit | undefined): RequestInit | undefined {
  if (!init) return init;
  const { signal: _signal, ...rest } = init;
  return rest;
}

/**
 * Honours a signal of either realm by racing it, as a real fetch would: the proxy's upstream
 * timeout then behaves as over a socket (the simulator carries on regardless, like a server whose
 * client went away).
 */
function abortable<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

export async function createInMemoryBackend(options: InMemoryBackendOptions): Promise<InMemoryBackend> {
  const now = options.now ?? (() => Date.now());
  const simulator = createSimulator({
    apiKeys: [options.heimApiKey],
    now,
    seed: options.seed ?? 'demo',
    ...(options.duplicateCancelStatus ? { duplicateCancelStatus: options.duplicateCancelStatus } : {}),
    ...(options.embedCancellation === undefined ? {} : { embedCancellation: options.embedCancellation }),
  });
  const logs: LogEntry[] = [];
  const createProxy = () =>
    createCancelHandler({
      heim: {
        baseUrl: IN_MEMORY_HEIM_BASE_URL,
        apiKey: options.heimApiKey,
        fetch: async (input, init) => {
          const response = await abortable(simulator.fetch(new Request(input, withoutSignal(init))), init?.signal);
          // A simulated reset or refusal reaches the proxy as Node's fetch would report it.
          const transport = transportFaultOf(response);
          if (transport !== undefined) throw transportError(transport);
          return response;
        },
        ...options.heim,
      },
      sessionSecret: options.sessionSecret,
      allowedOrigins: [options.portalOrigin],
      ...(options.windowHours === undefined ? {} : { chargeWindowHours: options.windowHours }),
      ...options.proxy,
      now,
      logger: (entry) => {
        logs.push(entry);
        options.logger?.(entry);
      },
    });
  let handler = createProxy();

  const tokenFor = (patientId: string, expiresInSeconds = 3600) =>
    createPatientSession({ secret: options.sessionSecret, patientId, expiresInSeconds });
  let token: string | null = await tokenFor(options.patientId ?? 'p_demo_alice');

  // Stands in for the portal's session cookie: every request is sent as the signed-in patient.
  const routedFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), options.portalOrigin);
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    if (token) headers.set('authorization', `Bearer ${token}`);
    else headers.delete('authorization');
    if (init?.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    let body = init?.body;
    if (body === undefined && input instanceof Request && input.body !== null) body = await input.text();
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    return handler(new Request(url, { ...withoutSignal(init), method, headers, ...(body === undefined ? {} : { body }) }));
  };

  return {
    fetch: routedFetch,
    handler: (request) => handler(request),
    restartProxy() {
      // A new process: empty idempotency records and pending attempts, the same Heim behind it.
      handler = createProxy();
    },
    async signInAs(patientId) {
      token = await tokenFor(patientId);
    },
    signOut() {
      token = null;
    },
    tokenFor,
    simulator,
    logs,
    async close() {
      token = null;
    },
  };
}
