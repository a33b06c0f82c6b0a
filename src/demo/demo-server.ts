/**
 * The demo portal: what an organisation's own portal would do around the widget, kept tiny.
 * It signs a demo patient in (a route that exists only here), lists that patient's appointments,
 * mounts the proxy at /api exactly as a portal would, and serves the page.
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import {
  clearedSessionCookie,
  createCancelHandler,
  createPatientSession,
  sessionCookie,
  sessionKey,
  verifyPatientSession,
} from '../server';
import type { Logger } from '../server';
import { DEMO_PATIENTS, type Simulator } from '../simulator';

export interface DemoServerOptions {
  simulator: Simulator;
  /** The simulator's base URL including /v1. */
  heimBaseUrl: string;
  heimApiKey: string;
  sessionSecret: string;
  /** Standard Webhooks secret shared with the simulator, so Heim's events reach the proxy. */
  webhookSecret: string;
  /** Folder of the built page (vite build output). */
  staticRoot: string;
  logger?: Logger;
  /** The proxy's clock in epoch ms (tests); default `Date.now`. */
  now?: () => number;
}

/** Same-origin everything; no inline script or style, no eval, no framing, no plugins. */
export const DEMO_PAGE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function createDemoApp(options: DemoServerOptions): (request: Request) => Promise<Response> {
  const proxy = createCancelHandler({
    heim: { baseUrl: options.heimBaseUrl, apiKey: options.heimApiKey },
    sessionSecret: options.sessionSecret,
    webhookSecret: options.webhookSecret,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const key = sessionKey(options.sessionSecret);
  const app = new Hono();

  app.all('/api/*', (c) => proxy(c.req.raw));

  // Demo only: a real portal signs patients in with its own identity provider.
  app.get('/demo/sign-in', async (c) => {
    const patient = DEMO_PATIENTS.find((p) => p.id === c.req.query('patient'));
    if (!patient) return c.json({ error: { code: 'not_found', message: 'No such demo patient.' } }, 404);
    const token = await createPatientSession({ secret: options.sessionSecret, patientId: patient.id, expiresInSeconds: 8 * 3600 });
    c.header('set-cookie', sessionCookie(token, 8 * 3600));
    c.header('cache-control', 'no-store');
    return c.redirect('/', 303);
  });

  app.get('/demo/sign-out', (c) => {
    c.header('set-cookie', clearedSessionCookie());
    return c.redirect('/', 303);
  });

  app.get('/demo/session', async (c) => {
    c.header('cache-control', 'no-store');
    const identity = await verifyPatientSession(c.req.raw, key);
    const patient = identity ? (DEMO_PATIENTS.find((p) => p.id === identity.patientId) ?? null) : null;
    const appointments = patient
      ? options.simulator.listAppointments({ patientId: patient.id }).map((a) => ({ id: a.id, title: a.serviceName, status: a.status, estimatedTimeOfArrival: a.estimatedTimeOfArrival }))
      : [];
    return c.json({ patient, patients: DEMO_PATIENTS, appointments });
  });

  // What Heim received: lets a demo visitor see the exact cancellation the proxy sent, for the
  // signed-in patient's own appointments only (the notes are theirs).
  app.get('/demo/heim-ledger', async (c) => {
    c.header('cache-control', 'no-store');
    const identity = await verifyPatientSession(c.req.raw, key);
    if (!identity) return c.json({ entries: [] });
    const own = new Set(options.simulator.listAppointments({ patientId: identity.patientId }).map((a) => `/v1/appointments/${a.id}/cancel`));
    const entries = options.simulator.ledger
      .filter((entry) => entry.method === 'POST' && own.has(entry.path))
      .map(({ seq, receivedAt, method, path, body, status }) => ({ seq, receivedAt, method, path, body, status }));
    return c.json({ entries });
  });

  app.post('/demo/reset', (c) => {
    options.simulator.reset();
    return c.body(null, 204);
  });

  // The page is served as a careful portal would serve it: a strict Content-Security-Policy with no
  // 'unsafe-inline' anywhere, which also proves the widget injects no styles or scripts at run time
  // (tests/e2e/demo-csp.test.ts). Registered after /api and /demo, whose handlers answer first.
  app.use('/*', secureHeaders({ contentSecurityPolicy: DEMO_PAGE_CSP, crossOriginEmbedderPolicy: false }));
  app.use('/*', serveStatic({ root: options.staticRoot }));
  app.get('*', serveStatic({ root: options.staticRoot, path: 'index.html' }));

  return async (request) => app.fetch(request);
}
