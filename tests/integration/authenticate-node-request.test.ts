/**
 * `authenticate` reaches the portal's own session on Node's request: over a real Express 5 app
 * with a session middleware in front (express-session is not installed here, so a tiny middleware
 * sets `req.session` as it would), through the bin's server (`startProxyServer`), and not at all
 * under a host that passes only a Web Request. Before, `authenticate(request)` saw the Web Request
 * alone and `req.session` was out of reach. Also: Express's `app.use('/api', …)` mis-mount is
 * logged with its fix, the 404 unchanged.
 */
import express from 'express';
import { createServer, IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCancelHandler, startProxyServer, toNodeListener, type AuthenticateContext, type LogEntry } from '../../src/server';
import { startSimulator, type RunningSimulator } from '../../src/simulator';

const HEIM_KEY = 'test_node_request_auth_key_51ac';

/** What express-session (or Passport) leaves on Express's request, typed as a portal would. */
type SessionRequest = express.Request & { session?: { patientId?: string } };

let heim: RunningSimulator;
beforeAll(async () => {
  heim = await startSimulator({ apiKeys: [HEIM_KEY] });
});
afterAll(() => heim.close());

async function listen(listener: Parameters<typeof createServer>[1]): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

describe('authenticate under Express 5', () => {
  it("reads the patient from req.session, set by the portal's session middleware", async () => {
    const logs: LogEntry[] = [];
    // The type argument is all an Express portal adds: nodeRequest is then Express's req.
    const handler = createCancelHandler<SessionRequest>({
      heim: { baseUrl: heim.baseUrl, apiKey: HEIM_KEY },
      authenticate: (_request, { nodeRequest }) => {
        const patientId = nodeRequest?.session?.patientId;
        return patientId === undefined ? null : { patientId };
      },
      logger: (entry) => logs.push(entry),
    });
    const app = express();
    // Stands in for express-session: a signed-in cookie becomes req.session.
    app.use((req: SessionRequest, _res, next) => {
      if (req.headers.cookie === 'sid=alice') req.session = { patientId: 'p_demo_alice' };
      next();
    });
    app.all('/api/{*rest}', toNodeListener(handler));
    const portal = await listen(app);
    try {
      const signedIn = await fetch(`${portal.origin}/api/appointments/apt_alice_3d`, { headers: { cookie: 'sid=alice' } });
      expect(signedIn.status).toBe(200);
      expect((await signedIn.json()).appointment.id).toBe('apt_alice_3d');
      const signedOut = await fetch(`${portal.origin}/api/appointments/apt_alice_3d`);
      expect(signedOut.status).toBe(401);
    } finally {
      await portal.close();
    }
  });

  it("mounted with app.use('/api', …) (the prefix stripped): the contract's 404, and a warn line with the fix", async () => {
    const logs: LogEntry[] = [];
    const handler = createCancelHandler({
      heim: { baseUrl: heim.baseUrl, apiKey: HEIM_KEY },
      authenticate: () => ({ patientId: 'p_demo_alice' }),
      logger: (entry) => logs.push(entry),
    });
    const app = express();
    app.use('/api', toNodeListener(handler));
    const portal = await listen(app);
    const heimCallsBefore = heim.simulator.ledger.length;
    try {
      const response = await fetch(`${portal.origin}/api/appointments/apt_alice_3d`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
      expect(logs).toEqual([
        expect.objectContaining({ level: 'warn', event: 'proxy.unmounted_path', route: '/appointments/:appointmentId', hint: expect.stringContaining("app.all('/api/{*rest}'") }),
      ]);
      expect(heim.simulator.ledger.length).toBe(heimCallsBefore);
    } finally {
      await portal.close();
    }
  });
});

describe('what authenticate receives under each host', () => {
  // What was on nodeRequest while authenticate ran (its socket is gone once the answer is sent).
  const seen: { isNodeRequest: boolean; probe: unknown; remoteAddress: unknown }[] = [];
  const handler = () =>
    createCancelHandler({
      heim: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: HEIM_KEY },
      authenticate: (_request, { nodeRequest }: AuthenticateContext) => {
        seen.push({
          isNodeRequest: nodeRequest instanceof IncomingMessage,
          probe: nodeRequest?.headers['x-portal-probe'],
          remoteAddress: nodeRequest?.socket.remoteAddress,
        });
        return null;
      },
      logger: () => undefined,
    });

  it("the bin's server (startProxyServer): Node's request", async () => {
    seen.length = 0;
    const server = await startProxyServer(handler(), { host: '127.0.0.1', port: 0 }, { logger: () => undefined });
    try {
      expect((await fetch(`${server.origin}/api/appointments/apt_alice_3d`, { headers: { 'x-portal-probe': 'bin' } })).status).toBe(401);
    } finally {
      await server.close();
    }
    expect(seen).toEqual([{ isNodeRequest: true, probe: 'bin', remoteAddress: expect.stringMatching(/127\.0\.0\.1/) }]);
  });

  it('a host that calls the handler with a Web Request alone: undefined', async () => {
    seen.length = 0;
    expect((await handler()(new Request('http://portal.test/api/appointments/apt_alice_3d'))).status).toBe(401);
    expect(seen).toEqual([{ isNodeRequest: false, probe: undefined, remoteAddress: undefined }]);
  });
});
