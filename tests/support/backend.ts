/**
 * The real proxy wired to the real Heim simulator, in process: widget and proxy tests talk to
 * exactly the code that runs in production, with Heim (the edge we do not own) simulated.
 */
import { createCancelHandler, type CancelHandlerOptions } from '../../src/server';
import { createPatientSession } from '../../src/server/session';
import { createSimulator, type SeedAppointment, type Simulator } from '../../src/simulator';
import type { LogEntry } from '../../src/server/logger';

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef';
export const TEST_HEIM_KEY = 'test_canary_key_5f1c9a2b7e4d';
export const TEST_PORTAL_ORIGIN = 'http://portal.test';
export const TEST_HEIM_BASE_URL = 'https://heim.test/v1';

export interface TestBackendOptions {
  now?: () => number;
  windowHours?: number;
  seed?: 'demo' | 'none' | readonly SeedAppointment[];
  duplicateCancelStatus?: 400 | 409 | 422;
  proxy?: Partial<Omit<CancelHandlerOptions, 'heim' | 'now' | 'logger'>>;
  /** Heim client options other than the in-process fetch (e.g. a short `timeoutMs`). */
  heim?: { timeoutMs?: number };
  /** A log sink of the test's own (the proxy must survive one that throws). */
  logger?: (entry: LogEntry) => void;
  patientId?: string;
}

export interface TestBackend {
  /** A fetch that routes relative `/api/...` URLs to the in-process proxy as the signed-in patient. */
  fetch: typeof fetch;
  /** The proxy handler itself, for tests that build their own requests. */
  handler: (request: Request) => Promise<Response>;
  /** Replaces the proxy with a fresh one (as after a restart) in front of the same simulator. */
  restartProxy(): void;
  signInAs(patientId: string): Promise<void>;
  signOut(): void;
  /** A valid session token for a patient (for tests that set headers themselves). */
  tokenFor(patientId: string, expiresInSeconds?: number): Promise<string>;
  simulator: Simulator;
  /** Everything the proxy logged during the test. */
  logs: LogEntry[];
  close(): Promise<void>;
}

/** Strips the AbortSignal: jsdom's AbortSignal is not one Node's Request accepts. */
function withoutSignal(init: RequestInit | undefined): RequestInit | undefined {
  if (!init) return init;
  const { signal: _signal, ...rest } = init;
  return rest;
}

/**
 * Honours a signal of either realm by racing it, as a real fetch would: the proxy's upstream
 * timeout then behaves in process exactly as over a socket (the simulator carries on regardless,
 * like a server whose client went away).
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

export async function createTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  const now = options.now ?? (() => Date.now());
  const simulator = createSimulator({
    apiKeys: [TEST_HEIM_KEY],
    now,
    seed: options.seed ?? 'demo',
    ...(options.duplicateCancelStatus ? { duplicateCancelStatus: options.duplicateCancelStatus } : {}),
  });
  const logs: LogEntry[] = [];
  const createProxy = () => createCancelHandler({
    heim: {
      baseUrl: TEST_HEIM_BASE_URL,
      apiKey: TEST_HEIM_KEY,
      fetch: async (input, init) => abortable(simulator.fetch(new Request(input, withoutSignal(init))), init?.signal),
      ...options.heim,
    },
    sessionSecret: TEST_SESSION_SECRET,
    allowedOrigins: [TEST_PORTAL_ORIGIN],
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
    createPatientSession({ secret: TEST_SESSION_SECRET, patientId, expiresInSeconds });
  let token: string | null = await tokenFor(options.patientId ?? 'p_demo_alice');

  const routedFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), TEST_PORTAL_ORIGIN);
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    if (token) headers.set('authorization', `Bearer ${token}`);
    else headers.delete('authorization');
    if (init?.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    return handler(new Request(url, { ...withoutSignal(init), headers }));
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
