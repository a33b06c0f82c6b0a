/**
 * Renders the widget against the REAL proxy and the REAL Heim simulator, in process
 * (tests/support/backend.ts). The only thing added on the way is a recorder that notes what the
 * widget sent (method, URL, headers, time) before handing the request, unchanged, to the real
 * proxy, and that can lose a request or its answer on the way, as a flaky network would.
 */
import './node-realm';
import './dialog-shim';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createTestBackend, type TestBackend, type TestBackendOptions } from '../../support/backend';
import type { SeedAppointment } from '../../../src/simulator';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string | null;
  /** `Date.now()` when the widget sent it (fake time in tests that use it). */
  readonly at: number;
}

/** A failure between the browser and the proxy (the simulator's faults are between proxy and Heim). */
export interface NetworkFault {
  /** Which requests: the URL ends with this (e.g. `/cancel`). */
  readonly urlEndsWith: string;
  /** `true`: the proxy handles the request and only its answer is lost. `false`: it never arrives. */
  readonly reachesProxy: boolean;
  /** How many matching requests it applies to. Default 1. */
  readonly times?: number;
}

export interface WidgetHarness {
  readonly backend: TestBackend;
  /** Pass as the widget's `fetch`: the real proxy behind a recorder. */
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
  readonly queryClient: QueryClient;
  /** POSTs the widget sent to the proxy's cancel route. */
  cancelRequests(): RecordedRequest[];
  /** Cancels the proxy sent upstream to (simulated) Heim: the number that must never exceed one. */
  upstreamCancels(appointmentId?: string): number;
  /** Makes matching requests fail with a network error (`TypeError`, like a browser's fetch). */
  loseNetwork(fault: NetworkFault): void;
  /** Forgets the network faults not yet used up (the connection is back). */
  clearNetworkFaults(): void;
  /** Restarts the proxy: it forgets pending attempts and idempotency records; Heim stays as it is. */
  restartProxy(): Promise<void>;
  render(ui: ReactElement): RenderResult;
}

const harnesses: WidgetHarness[] = [];

export async function createWidgetHarness(options: TestBackendOptions = {}): Promise<WidgetHarness> {
  const backend = await createTestBackend(options);
  const requests: RecordedRequest[] = [];
  const proxyFetch: typeof fetch = backend.fetch;
  const faults: { fault: NetworkFault; remaining: number }[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    requests.push({
      method: init?.method ?? 'GET',
      url,
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : null,
      at: Date.now(),
    });
    const active = faults.find((entry) => entry.remaining > 0 && url.endsWith(entry.fault.urlEndsWith));
    if (active === undefined) return proxyFetch(input, init);
    active.remaining -= 1;
    if (active.fault.reachesProxy) await proxyFetch(input, init);
    throw new TypeError('Failed to fetch');
  };
  // A fresh client per test, quiet about errors, and without retries that would hide a failure.
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
  const harness: WidgetHarness = {
    backend,
    fetch: recordingFetch,
    requests,
    queryClient,
    cancelRequests: () => requests.filter((request) => request.method === 'POST' && request.url.endsWith('/cancel')),
    upstreamCancels: (appointmentId) =>
      backend.simulator.ledger.filter(
        (entry) =>
          entry.method === 'POST' &&
          /\/cancel$/.test(entry.path) &&
          (appointmentId === undefined || entry.path.includes(`/${appointmentId}/`)),
      ).length,
    loseNetwork: (fault) => {
      faults.push({ fault, remaining: fault.times ?? 1 });
    },
    clearNetworkFaults: () => {
      faults.splice(0);
    },
    restartProxy: async () => {
      backend.restartProxy();
    },
    // A wrapper rather than a wrapped element, so rerender() keeps the same client and tree.
    render: (ui) =>
      render(ui, { wrapper: ({ children }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider> }),
  };
  harnesses.push(harness);
  return harness;
}

/** Closes every backend and client made by the current test (call from afterEach). */
export async function closeWidgetHarnesses(): Promise<void> {
  // Unmount first (as the setup file's cleanup would, but only after this): a widget left mounted
  // while its backend closes could still tick its countdown or take in an answer, outside act().
  cleanup();
  for (const harness of harnesses.splice(0)) {
    harness.queryClient.clear();
    await harness.backend.close();
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A scheduled appointment for Alice, its ETA `etaFromNowMs` from now (null: no ETA yet). */
export function aliceAppointment(
  id: string,
  etaFromNowMs: number | null,
  overrides: Partial<SeedAppointment> = {},
  nowMs: number = Date.now(),
): SeedAppointment {
  return {
    id,
    status: etaFromNowMs === null ? 'scheduling' : 'scheduled',
    estimatedTimeOfArrival: etaFromNowMs === null ? null : new Date(nowMs + etaFromNowMs).toISOString(),
    patient: { id: 'p_demo_alice', name: 'Alice Morgan' },
    serviceName: 'Blood test at home',
    location: { line1: '12 Example Road', city: 'London', postcode: 'N1 1AA' },
    ...overrides,
  };
}

export const TIME = { MINUTE, HOUR, DAY: 24 * HOUR } as const;
