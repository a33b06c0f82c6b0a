/** Request builders for proxy tests: a well-formed request unless a test says otherwise. */
import { createCancelHandler } from '../../src/server/app';
import type { LogEntry } from '../../src/server/logger';
import type { Simulator } from '../../src/simulator/simulator';
import {
  createTestBackend,
  TEST_HEIM_BASE_URL,
  TEST_HEIM_KEY,
  TEST_PORTAL_ORIGIN,
  type TestBackend,
  type TestBackendOptions,
} from '../support/backend';

export const FIXED_NOW = Date.parse('2026-11-24T09:00:00.000Z');

let counter = 0;
export function freshKey(): string {
  counter += 1;
  return `key_${counter.toString().padStart(4, '0')}_${Math.random().toString(36).slice(2, 10)}`;
}

export interface CancelInit {
  body?: unknown;
  rawBody?: string;
  key?: string | null;
  headers?: Record<string, string | null>;
}

export function cancelRequest(appointmentId: string, init: CancelInit = {}): Request {
  const headers = new Headers({
    'content-type': 'application/json',
    'x-requested-with': 'heim-cancel-widget',
    origin: TEST_PORTAL_ORIGIN,
  });
  if (init.key !== null) headers.set('idempotency-key', init.key ?? freshKey());
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  const body = init.rawBody ?? JSON.stringify(init.body ?? { reasonCode: 'patient_unwell' });
  return new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/${appointmentId}/cancel`, { method: 'POST', headers, body });
}

export async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

/** A proxy and simulator with Alice signed in: `send` adds her session to any request. */
export async function startAsAlice(
  options: TestBackendOptions = {},
): Promise<{ backend: TestBackend; send: (request: Request) => Promise<Response> }> {
  const backend = await createTestBackend(options);
  const token = await backend.tokenFor('p_demo_alice');
  const send = (request: Request) => {
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${token}`);
    return backend.handler(new Request(request, { headers }));
  };
  return { backend, send };
}

/** A GET of one of the proxy's appointment routes (`''` or `/cancellation`), as JSON. */
export function readAppointment(send: (request: Request) => Promise<Response>, id: string, path = ''): Promise<any> {
  return send(new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/${id}${path}`)).then(json);
}

export interface ProxyInFrontOptions {
  /** The proxy's clock (the simulator keeps its own: they may disagree, as Heim's and ours can). */
  readonly now?: () => number;
  readonly logger?: (entry: LogEntry) => void;
  /**
   * Called as each Heim call leaves the proxy; a promise it returns holds Heim's answer to that
   * call until it settles (a slow network for one read, while other things happen).
   */
  readonly onHeimCall?: () => Promise<void> | undefined;
}

/**
 * The proxy handler in front of `simulator` in process, Alice signed in by `authenticate` (no
 * session to verify, so nothing runs on a clock of its own). For tests whose simulator needs
 * another clock than the proxy's, or whose network must hold one answer.
 */
export function proxyInFrontOf(simulator: Simulator, { now, logger, onHeimCall }: ProxyInFrontOptions = {}) {
  return createCancelHandler({
    heim: {
      baseUrl: TEST_HEIM_BASE_URL,
      apiKey: TEST_HEIM_KEY,
      fetch: async (input, init) => {
        // The simulator runs in this realm; the signal is not needed to reach it.
        const { signal: _signal, ...rest } = init ?? {};
        const held = onHeimCall?.();
        const response = await simulator.fetch(new Request(input, rest));
        if (held) await held;
        return response;
      },
    },
    authenticate: () => ({ patientId: 'p_demo_alice' }),
    allowedOrigins: [TEST_PORTAL_ORIGIN],
    ...(now ? { now } : {}),
    logger: logger ?? (() => undefined),
  });
}
