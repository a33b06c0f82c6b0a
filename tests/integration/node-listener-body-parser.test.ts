/**
 * `toNodeListener` mounted behind a body parser, in a real Express app and a plain `node:http`
 * server on loopback, against the Heim simulator. The proxy reads the raw body itself; a parser in
 * front has already read it to the end. Before, every cancel was then answered 400 "The request
 * body is empty", which sent the developer to look at the widget. Now it is a 500 that names the
 * misconfiguration and the fix, logged once as an error, with nothing sent to Heim.
 */
import express, { type Express } from 'express';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCancelHandler, createPatientSession, toNodeListener, type CancelHandler, type LogEntry } from '../../src/server';
import { startSimulator, type RunningSimulator } from '../../src/simulator';

const HEIM_KEY = 'test_body_parser_canary_4e1b7d';
const SESSION_SECRET = 'body-parser-session-secret-0123456789abcdef';
const WEBHOOK_SECRET = `whsec_${Buffer.from('body-parser-test-webhook-secret!').toString('base64')}`;

let heim: RunningSimulator;
let token: string;

beforeAll(async () => {
  heim = await startSimulator({ apiKeys: [HEIM_KEY] });
  token = await createPatientSession({ secret: SESSION_SECRET, patientId: 'p_demo_alice' });
});
afterEach(() => heim.simulator.reset());
afterAll(() => heim.close());

interface Portal {
  origin: string;
  logs: LogEntry[];
  close(): Promise<void>;
}

/** Listens first, so the handler can allow the portal's real origin, then builds the app. */
async function startPortal(build: (handler: CancelHandler) => RequestListener | Express): Promise<Portal> {
  let listener: RequestListener | Express | undefined;
  const server: Server = createServer((req, res) => listener!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const logs: LogEntry[] = [];
  listener = build(
    createCancelHandler({
      heim: { baseUrl: heim.baseUrl, apiKey: HEIM_KEY },
      sessionSecret: SESSION_SECRET,
      webhookSecret: WEBHOOK_SECRET,
      allowedOrigins: [origin],
      logger: (entry) => logs.push(entry),
    }),
  );
  return {
    origin,
    logs,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function cancel(origin: string, body: string, key: string): Promise<Response> {
  return fetch(`${origin}/api/appointments/apt_alice_3d/cancel`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      origin,
      'content-type': 'application/json',
      'x-requested-with': 'heim-cancel-widget',
      'idempotency-key': key,
    },
    body,
  });
}

const posts = () => heim.simulator.ledger.filter((entry) => entry.method === 'POST');

/** The answer and the log line of a proxy mounted behind a parser that read the body. */
async function expectBodyReadByParser(portal: Portal, response: Response, route: string): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(500);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(Object.keys(body.error)).toEqual(['code', 'message']);
  expect(body.error.code).toBe('internal_error');
  expect(body.error.message).toMatch(/read by a body parser \(such as express\.json\(\)\)/);
  expect(body.error.message).toMatch(/mount the proxy before any body parser, or exclude its path from the parser/);
  expect(body.error.message).not.toMatch(/empty/);

  const lines = portal.logs.filter((entry) => entry.level === 'error' || entry.event === 'proxy.refused');
  expect(lines).toEqual([
    {
      level: 'error',
      event: 'proxy.refused',
      code: 'internal_error',
      status: 500,
      method: 'POST',
      route,
      reason: expect.stringMatching(/mount toNodeListener\(handler\) before express\.json\(\) or any other body parser, or exclude the proxy's path/),
    },
  ]);
  const logged = JSON.stringify(portal.logs);
  for (const secret of [HEIM_KEY, SESSION_SECRET, WEBHOOK_SECRET, token]) expect(logged).not.toContain(secret);
  expect(posts()).toEqual([]);
}

/** The mistake itself: Express with express.json() in front of the proxy. */
function expressJsonFirst(handler: Parameters<typeof toNodeListener>[0]) {
  const app = express();
  app.use(express.json());
  app.all('/api/{*rest}', toNodeListener(handler));
  return app;
}

describe('toNodeListener behind a body parser', () => {
  it('answers a cancel 500 internal_error naming express.json() and the fix, not "the body is empty", when express.json() runs first', async () => {
    const portal = await startPortal(expressJsonFirst);
    try {
      // Reads carry no body, so they work; only what the parser touched fails.
      const read = await fetch(`${portal.origin}/api/appointments/apt_alice_3d`, { headers: { authorization: `Bearer ${token}` } });
      expect(read.status).toBe(200);

      const response = await cancel(portal.origin, JSON.stringify({ reasonCode: 'no_longer_required' }), 'k_parser_0001');
      await expectBodyReadByParser(portal, response, '/api/appointments/:appointmentId/cancel');
      expect(heim.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
    } finally {
      await portal.close();
    }
  });

  it('answers a webhook the same way (its signature is over the raw body, which is gone)', async () => {
    const portal = await startPortal(expressJsonFirst);
    try {
      const response = await fetch(`${portal.origin}/api/webhooks/heim`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_parser_0001',
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': 'v1,c2lnbmF0dXJl',
        },
        body: JSON.stringify({ type: 'appointment.cancelled', data: { id: 'apt_alice_3d' } }),
      });
      await expectBodyReadByParser(portal, response, '/api/webhooks/heim');
    } finally {
      await portal.close();
    }
  });

  it('answers the same on plain node:http when the server read the stream itself first', async () => {
    const portal = await startPortal((handler) => {
      const proxy = toNodeListener(handler);
      const listener: RequestListener = (req, res) => {
        // A hand-written "log every body" step that reads the stream to its end.
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => void proxy(req, res));
      };
      return listener;
    });
    try {
      const response = await cancel(portal.origin, JSON.stringify({ reasonCode: 'no_longer_required' }), 'k_parser_0002');
      await expectBodyReadByParser(portal, response, '/api/appointments/:appointmentId/cancel');
    } finally {
      await portal.close();
    }
  });

  it('still checks the raw bytes a parser kept as req.rawBody (express.json verify): duplicate keys refused, a good body cancels', async () => {
    const portal = await startPortal((handler) => {
      const app = express();
      app.use(
        express.json({
          verify: (req, _res, buffer) => {
            (req as typeof req & { rawBody?: Buffer }).rawBody = buffer;
          },
        }),
      );
      app.all('/api/{*rest}', toNodeListener(handler));
      return app;
    });
    try {
      // express.json keeps the last of two equal keys without a word; the proxy reads the raw text.
      const duplicate = await cancel(portal.origin, '{"reasonCode":"no_longer_required","reasonCode":"patient_unwell"}', 'k_parser_0003');
      expect(duplicate.status).toBe(400);
      expect((await duplicate.json()).error.message).toMatch(/names a key twice/);
      expect(posts()).toEqual([]);

      const good = await cancel(portal.origin, JSON.stringify({ reasonCode: 'no_longer_required' }), 'k_parser_0004');
      expect(good.status).toBe(200);
      expect(posts()).toHaveLength(1);
      expect(portal.logs.filter((entry) => entry.level === 'error')).toEqual([]);
    } finally {
      await portal.close();
    }
  });

  it('lets a parser that does not read JSON requests stay in front (express.urlencoded)', async () => {
    const portal = await startPortal((handler) => {
      const app = express();
      app.use(express.urlencoded({ extended: false }));
      app.all('/api/{*rest}', toNodeListener(handler));
      return app;
    });
    try {
      const response = await cancel(portal.origin, JSON.stringify({ reasonCode: 'no_longer_required' }), 'k_parser_0005');
      expect(response.status).toBe(200);
      expect(posts()).toHaveLength(1);
    } finally {
      await portal.close();
    }
  });
});
