/**
 * What operations can read when something goes wrong: a key Heim refuses, an outage, a refusal of
 * the patient's request. Each is a structured line with the facts (codes, statuses, route), never
 * the key, a note or a token. The real simulator stands in for Heim, in process.
 */
import { describe, expect, it, vi } from 'vitest';
import { consoleJsonLogger, createCancelHandler, type LogEntry } from '../../src/server';
import { createPatientSession } from '../../src/server/session';
import { createSimulator } from '../../src/simulator';
import { TEST_HEIM_BASE_URL, TEST_PORTAL_ORIGIN, TEST_SESSION_SECRET } from '../support/backend';
import { cancelRequest } from './helpers';

const HEIM_KEY = 'test_the_key_heim_knows_4b8e';

interface ProxySetup {
  /** null: the option left out (the default, the request URL's own origin). */
  readonly allowedOrigins?: string[] | null;
}

async function proxyWithKey(apiKey: string, { allowedOrigins = [TEST_PORTAL_ORIGIN] }: ProxySetup = {}) {
  const simulator = createSimulator({ apiKeys: [HEIM_KEY], seed: 'demo' });
  const logs: LogEntry[] = [];
  const handler = createCancelHandler({
    heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey, fetch: (input, init) => simulator.fetch(new Request(input, init)) },
    sessionSecret: TEST_SESSION_SECRET,
    ...(allowedOrigins === null ? {} : { allowedOrigins }),
    logger: (entry) => logs.push(entry),
  });
  const token = await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_alice' });
  const send = (request: Request) => {
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${token}`);
    return handler(new Request(request, { headers }));
  };
  return { simulator, logs, send, token };
}

describe('operations log', () => {
  it('says, as an error, that Heim refused the key, when every patient only sees upstream_error', async () => {
    const rotatedKey = 'test_a_rotated_key_9c1d2e';
    const { logs, send, simulator } = await proxyWithKey(rotatedKey);
    const read = await send(new Request('http://portal.test/api/appointments/apt_alice_3d'));
    expect(read.status).toBe(502);
    const cancel = await send(cancelRequest('apt_alice_3d'));
    expect(cancel.status).toBe(502);
    expect(simulator.ledger.map((entry) => entry.status)).toEqual([401, 401]);

    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        event: 'heim.call_failed',
        call: 'getAppointment',
        appointmentId: 'apt_alice_3d',
        outcome: 'rejected',
        upstreamStatus: 401,
        hint: expect.stringMatching(/HEIM_API_KEY/),
      }),
    );
    expect(logs).toContainEqual({
      level: 'info',
      event: 'proxy.refused',
      code: 'upstream_error',
      status: 502,
      method: 'GET',
      route: '/api/appointments/:appointmentId',
    });
    expect(logs.filter((entry) => entry.event === 'proxy.refused').map((entry) => entry.method)).toEqual(['GET', 'POST']);
    expect(JSON.stringify(logs)).not.toContain(rotatedKey);
  });

  it('logs an outage at Heim as a warning with its status, and the cancel that it stopped', async () => {
    const { logs, send, simulator } = await proxyWithKey(HEIM_KEY);
    simulator.setFault({ route: 'appointment', status: 500, times: 1 });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(502);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'heim.call_failed', call: 'getAppointment', outcome: 'failed', upstreamStatus: 500 }),
    );
    expect(logs.find((entry) => entry.event === 'heim.call_failed')).not.toHaveProperty('hint');
  });

  it('logs each refused cancel with its code, and a cross-site one with the check it failed, without a note, a token or the header', async () => {
    const { logs, send, token } = await proxyWithKey(HEIM_KEY);
    const note = 'my private words';
    // Inside the charge window, without the acknowledgement.
    expect((await send(cancelRequest('apt_alice_5h', { body: { reasonCode: 'patient_unwell', note } }))).status).toBe(409);
    expect((await send(cancelRequest('apt_alice_3d', { headers: { origin: 'https://evil.example' } }))).status).toBe(403);

    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'info',
        event: 'cancel.answered',
        appointmentId: 'apt_alice_5h',
        patientId: 'p_demo_alice',
        status: 409,
        code: 'charge_acknowledgement_required',
        replayed: false,
      }),
    );
    expect(logs).toContainEqual(
      expect.objectContaining({
        event: 'proxy.refused',
        code: 'csrf_rejected',
        status: 403,
        method: 'POST',
        route: '/api/appointments/:appointmentId/cancel',
        reason: expect.stringContaining(`allowed: ${TEST_PORTAL_ORIGIN}`),
      }),
    );
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain(note);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('evil.example');
  });

  it('names the default origin for a proxy without allowedOrigins, without echoing the Host header it came from', async () => {
    const { logs, send } = await proxyWithKey(HEIM_KEY, { allowedOrigins: null });
    // The request URL's origin is built from the Host header, which the sender chose: behind a TLS
    // terminator it is the internal address; from an attacker, any text at all.
    const request = cancelRequest('apt_alice_3d', { headers: { origin: 'https://portal.example' } });
    expect((await send(new Request('http://attacker-chosen-host.example:3000/api/appointments/apt_alice_3d/cancel', request))).status).toBe(403);
    expect(logs).toContainEqual(
      expect.objectContaining({
        code: 'csrf_rejected',
        reason: expect.stringMatching(/allowed: the request's own origin \(the default: allowedOrigins unset\).*ALLOWED_ORIGINS/),
      }),
    );
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain('attacker-chosen-host');
    expect(logged).not.toContain('portal.example');
  });

  // A throwing authenticate is logged by stage, name and code, never its message either (authenticate-set-up.test.ts).
  it("logs a fault inside the proxy by its name and route, never its message (it may hold upstream text)", async () => {
    const portalSecret = 'postgres://portal:hunter2-portal-db-password@db.internal/sessions';
    const simulator = createSimulator({ apiKeys: [HEIM_KEY], seed: 'demo' });
    const logs: LogEntry[] = [];
    const handler = createCancelHandler({
      heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: HEIM_KEY, fetch: (input, init) => simulator.fetch(new Request(input, init)) },
      authenticate: () => ({ patientId: 'p_demo_alice' }),
      logger: (entry) => logs.push(entry),
      now: () => {
        throw new Error(`clock down: ${portalSecret}`);
      },
    });
    expect((await handler(new Request('http://portal.test/api/appointments/apt_alice_3d'))).status).toBe(500);
    expect(logs).toContainEqual({ level: 'error', event: 'proxy.unhandled_error', errorName: 'Error', route: '/api/appointments/:appointmentId' });
    expect(JSON.stringify(logs)).not.toContain('hunter2');
  });
});

describe('the default JSON-lines logger', () => {
  it('numbers its lines across stdout and stderr, so split streams can be put back in order', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      consoleJsonLogger({ level: 'warn', event: 'heim.call_failed' });
      consoleJsonLogger({ level: 'info', event: 'cancel.answered' });
      const cause = JSON.parse(String(err.mock.calls[0]![0]));
      const answer = JSON.parse(String(out.mock.calls[0]![0]));
      expect(cause).toMatchObject({ level: 'warn', event: 'heim.call_failed', seq: expect.any(Number) });
      expect(answer.seq).toBe(cause.seq + 1);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
