/** The proxy and the simulator as real HTTP servers on loopback, as they run in production. */
import {
  createCancelHandler,
  createPatientSession,
  startProxyServer,
  type CancelHandlerOptions,
  type HeimOptions,
  type LogEntry,
} from '../../src/server';
import { startSimulator, type RunningSimulator } from '../../src/simulator';

export const HTTP_HEIM_KEY = 'test_loopback_canary_8c2d41f09a';
export const HTTP_SESSION_SECRET = 'loopback-session-secret-0123456789abcdef';

export interface LoopbackStack {
  heim: RunningSimulator;
  proxyOrigin: string;
  logs: LogEntry[];
  session(patientId?: string): Promise<string>;
  close(): Promise<void>;
}

export type StackOverrides = Partial<Omit<CancelHandlerOptions, 'heim'>> & { heim?: Partial<HeimOptions> };

export async function startLoopbackStack(overrides: StackOverrides = {}): Promise<LoopbackStack> {
  const { heim: heimOverrides, ...proxy } = overrides;
  const heim = await startSimulator({ apiKeys: [HTTP_HEIM_KEY] });
  const logs: LogEntry[] = [];
  const handler = createCancelHandler({
    heim: { baseUrl: heim.baseUrl, apiKey: HTTP_HEIM_KEY, timeoutMs: 2000, ...heimOverrides },
    sessionSecret: HTTP_SESSION_SECRET,
    logger: (entry) => logs.push(entry),
    ...proxy,
  });
  const server = await startProxyServer(handler, { host: '127.0.0.1', port: 0 }, { logger: (entry) => logs.push(entry) });
  return {
    heim,
    proxyOrigin: server.origin,
    logs,
    session: (patientId = 'p_demo_alice') => createPatientSession({ secret: HTTP_SESSION_SECRET, patientId }),
    async close() {
      await server.close();
      await heim.close();
    },
  };
}

export function cancelInit(token: string, origin: string, body: unknown, key: string): RequestInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-requested-with': 'heim-cancel-widget',
      origin,
      cookie: `portal_session=${token}`,
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  };
}
