/** Shared helpers for the simulator tests: a controllable clock and a terse request builder. */
import { SIMULATOR_DEFAULT_API_KEY, createSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index';

export const KEY = SIMULATOR_DEFAULT_API_KEY;

/** A fixed instant, so every timestamp in a test is predictable. */
export const T0 = Date.parse('2026-03-10T09:00:00.000Z');

export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = T0): TestClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
  };
}

export function simulatorAt(clock: TestClock, options: Omit<SimulatorOptions, 'now'> = {}): Simulator {
  return createSimulator({ ...options, now: clock.now });
}

export interface CallOptions {
  /** The Authorization header; default the simulator key; null sends none. */
  key?: string | null;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export function request(method: string, path: string, options: CallOptions = {}): Request {
  const headers = new Headers(options.headers);
  const key = options.key === undefined ? KEY : options.key;
  if (key !== null) headers.set('authorization', key);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return new Request(`http://sim.test${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
}

export function call(sim: Simulator, method: string, path: string, options: CallOptions = {}): Promise<Response> {
  return sim.fetch(request(method, path, options));
}

export const VALID_CANCEL = {
  note: 'Cancelled by the patient in the customer portal. Reason: I\'m unwell.',
  causingEntity: 'patient',
  cancellingEntity: 'patient',
  reasonCode: 'patient_unwell',
} as const;

export function cancel(sim: Simulator, appointmentId: string, body: unknown = VALID_CANCEL, options: CallOptions = {}) {
  return call(sim, 'POST', `/v1/appointments/${appointmentId}/cancel`, { ...options, body });
}

export async function json(response: Response): Promise<any> {
  return response.json();
}

/** ISO-8601 UTC with milliseconds, as Heim sends. */
export const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
