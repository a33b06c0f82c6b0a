/**
 * The three mounting examples, each run as a portal developer would run it, against the Heim
 * simulator on loopback: the portal's own session reaches the proxy through `authenticate`, a
 * patient cancels, and the simulator's ledger shows exactly one POST sent as the patient.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { serve } from '@hono/node-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_DEFAULT_API_KEY, startSimulator, type RunningSimulator } from 'heim-cancel/simulator';
import { createPortal as createExpressPortal } from '../../examples/express/server';
import { createPortal as createHonoPortal } from '../../examples/hono/server';
import { signIn } from '../../examples/shared/portal-sessions';

let heim: RunningSimulator;

beforeAll(async () => {
  heim = await startSimulator({ port: 0 });
});
afterEach(() => heim.simulator.reset());
afterAll(() => heim.close());

interface Portal {
  readonly origin: string;
  close(): Promise<void>;
}

function listening(server: Server): Promise<Portal> {
  return new Promise((resolve) => {
    const ready = () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    };
    if (server.listening) ready();
    else server.once('listening', ready);
  });
}

/** What every mounting style must do, driven over real HTTP from outside. */
async function patientCancelsThroughPortal(origin: string): Promise<void> {
  // Signing in goes through the portal's own route, not ours.
  const signedIn = await fetch(`${origin}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ patientId: 'p_demo_alice' }),
  });
  expect(signedIn.status).toBe(204);
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;

  const signedOut = await fetch(`${origin}/api/appointments/apt_alice_3d`);
  expect(signedOut.status).toBe(401);
  expect((await signedOut.json()).error.code).toBe('unauthenticated');

  const read = await fetch(`${origin}/api/appointments/apt_alice_3d`, { headers: { cookie } });
  expect(read.status).toBe(200);
  const view = await read.json();
  expect(view.appointment.id).toBe('apt_alice_3d');
  expect(view.charge.state).toBe('free');

  const notMine = await fetch(`${origin}/api/appointments/apt_bilal_3d`, { headers: { cookie } });
  expect(notMine.status).toBe(404);

  const cancel = (key: string) =>
    fetch(`${origin}/api/appointments/apt_alice_3d/cancel`, {
      method: 'POST',
      headers: { cookie, origin, 'content-type': 'application/json', 'idempotency-key': key, 'x-requested-with': 'heim-cancel-widget' },
      body: JSON.stringify({ reasonCode: 'no_longer_required' }),
    });
  const foreign = await fetch(`${origin}/api/appointments/apt_alice_3d/cancel`, {
    method: 'POST',
    headers: {
      cookie,
      origin: 'https://evil.example',
      'content-type': 'application/json',
      'idempotency-key': 'k_foreign_0001',
      'x-requested-with': 'heim-cancel-widget',
    },
    body: JSON.stringify({ reasonCode: 'no_longer_required' }),
  });
  expect(foreign.status).toBe(403);
  expect((await foreign.json()).error.code).toBe('csrf_rejected');

  const [first, second] = await Promise.all([cancel('k_example_0001'), cancel('k_example_0002')]);
  expect([first.status, second.status].sort()).toEqual([200, 409]);

  const posts = heim.simulator.ledger.filter((entry) => entry.method === 'POST');
  expect(posts).toHaveLength(1);
  expect(posts[0]!.path).toBe('/v1/appointments/apt_alice_3d/cancel');
  expect(posts[0]!.headers.authorization).toBe(SIMULATOR_DEFAULT_API_KEY);
  expect(JSON.parse(posts[0]!.body)).toMatchObject({ cancellingEntity: 'patient', reasonCode: 'no_longer_required' });
  expect(heim.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
}

describe('examples/express', () => {
  it('mounts the proxy in an Express portal that keeps its own sessions and body parser', async () => {
    let origin = '';
    // The origin is known only once listening; the portal reads it through this closure.
    const server = createServer((req, res) => app(req, res));
    const portal = await listening(server.listen(0, '127.0.0.1'));
    origin = portal.origin;
    const app = createExpressPortal({ heim: { baseUrl: heim.baseUrl, apiKey: SIMULATOR_DEFAULT_API_KEY }, allowedOrigins: [origin] });
    try {
      await patientCancelsThroughPortal(origin);
      // The portal's own JSON route still works behind its body parser.
      const bad = await fetch(`${origin}/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(bad.status).toBe(400);
      // And the proxy still refuses an oversized body itself (nothing in front buffered it).
      const cookie = signIn('p_demo_alice').setCookie.split(';')[0]!;
      const huge = await fetch(`${origin}/api/appointments/apt_alice_5h/cancel`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json', 'idempotency-key': 'k_example_huge', 'x-requested-with': 'heim-cancel-widget' },
        body: JSON.stringify({ reasonCode: 'no_longer_required', note: 'x'.repeat(20_000) }),
      });
      expect(huge.status).toBe(413);
      expect((await huge.json()).error.code).toBe('payload_too_large');
    } finally {
      await portal.close();
    }
  });
});

describe('examples/hono', () => {
  it('mounts the proxy as a route of a Hono portal', async () => {
    let app: ReturnType<typeof createHonoPortal> | undefined;
    const server = serve({ fetch: (request) => app!.fetch(request), hostname: '127.0.0.1', port: 0, overrideGlobalObjects: false });
    const portal = await listening(server as Server);
    app = createHonoPortal({ heim: { baseUrl: heim.baseUrl, apiKey: SIMULATOR_DEFAULT_API_KEY }, allowedOrigins: [portal.origin] });
    try {
      await patientCancelsThroughPortal(portal.origin);
    } finally {
      await portal.close();
    }
  });
});

describe('examples/nextjs', () => {
  const PORTAL = 'https://portal.example';
  let route: typeof import('../../examples/nextjs/app/api/[...heim]/route');

  beforeAll(async () => {
    process.env.HEIM_API_URL = heim.baseUrl;
    process.env.HEIM_API_KEY = SIMULATOR_DEFAULT_API_KEY;
    process.env.PORTAL_ORIGIN = PORTAL;
    route = await import('../../examples/nextjs/app/api/[...heim]/route');
  });
  afterAll(() => {
    delete process.env.HEIM_API_URL;
    delete process.env.HEIM_API_KEY;
    delete process.env.PORTAL_ORIGIN;
  });

  it('serves the contract from a route handler that takes a Request, as Next.js calls it', async () => {
    expect(route.runtime).toBe('nodejs');
    const cookie = signIn('p_demo_alice').setCookie.split(';')[0]!;
    const read = await route.GET(new Request(`${PORTAL}/api/appointments/apt_alice_30h`, { headers: { cookie } }));
    expect(read.status).toBe(200);
    expect((await read.json()).charge.state).toBe('free');

    const post = (body: unknown) =>
      route.POST(
        new Request(`${PORTAL}/api/appointments/apt_alice_5h/cancel`, {
          method: 'POST',
          headers: { cookie, origin: PORTAL, 'content-type': 'application/json', 'idempotency-key': 'k_next_0001', 'x-requested-with': 'heim-cancel-widget' },
          body: JSON.stringify(body),
        }),
      );
    // Inside the window the patient must acknowledge the charge first; nothing goes to Heim.
    const unacknowledged = await post({ reasonCode: 'patient_unwell' });
    expect(unacknowledged.status).toBe(409);
    expect((await unacknowledged.json()).error.code).toBe('charge_acknowledgement_required');
    expect(heim.simulator.ledger.filter((entry) => entry.method === 'POST')).toHaveLength(0);

    const acknowledged = await route.POST(
      new Request(`${PORTAL}/api/appointments/apt_alice_5h/cancel`, {
        method: 'POST',
        headers: { cookie, origin: PORTAL, 'content-type': 'application/json', 'idempotency-key': 'k_next_0002', 'x-requested-with': 'heim-cancel-widget' },
        body: JSON.stringify({ reasonCode: 'patient_unwell', acknowledgeCharge: true }),
      }),
    );
    expect(acknowledged.status).toBe(200);
    const posts = heim.simulator.ledger.filter((entry) => entry.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!.body).cancellingEntity).toBe('patient');
  });
});
