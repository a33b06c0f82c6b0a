import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBackend, TEST_HEIM_KEY, TEST_SESSION_SECRET, type TestBackend } from '../support/backend';
import { FIXED_NOW, json } from './helpers';
import { SignJWT } from 'jose';

const H = 3_600_000;
let backend: TestBackend;

beforeEach(async () => {
  backend = await createTestBackend({ now: () => FIXED_NOW });
});
afterEach(() => backend.close());

const get = (path: string, init?: RequestInit) => backend.fetch(`/api${path}`, init);

describe('GET /appointments/{id}', () => {
  it('answers the contract shape with only what the widget shows', async () => {
    const response = await get('/appointments/apt_alice_30h');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await response.text();
    const body = JSON.parse(text);
    expect(body).toEqual({
      appointment: {
        id: 'apt_alice_30h',
        status: 'scheduled',
        estimatedTimeOfArrival: new Date(FIXED_NOW + 30 * H).toISOString(),
        timeZone: 'Europe/London',
        summary: { title: 'Blood pressure check', addressLine: 'Flat 2, 14 Larkspur Close, Bristol' },
      },
      cancellation: null,
      charge: { state: 'free', windowHours: 24, chargeableFrom: new Date(FIXED_NOW + 6 * H).toISOString() },
      reasons: ['patient_unwell', 'patient_requested_reschedule', 'no_longer_required', 'patient_cancelled'],
      serverNow: new Date(FIXED_NOW).toISOString(),
    });
    // No clinical data, organisation metadata, patient name or references leave the proxy.
    for (const secret of ['clinical data', 'MRN-', 'ORD-', 'Alice Morgan', 'win_', 'p_demo_alice', TEST_HEIM_KEY]) {
      expect(text).not.toContain(secret);
    }
  });

  it.each([
    ['apt_alice_noeta', 'no_eta'],
    ['apt_alice_3d', 'free'],
    ['apt_alice_5h', 'chargeable'],
    ['apt_alice_20m', 'chargeable'],
    ['apt_alice_30m_ago', 'due'],
  ])('reports %s as %s', async (id, state) => {
    const body = await json(await get(`/appointments/${id}`));
    expect(body.charge.state).toBe(state);
  });

  it('offers practitioner_late only once the ETA has passed by 15 minutes', async () => {
    expect((await json(await get('/appointments/apt_alice_30m_ago'))).reasons).toContain('practitioner_late');
    expect((await json(await get('/appointments/apt_alice_20m'))).reasons).not.toContain('practitioner_late');
  });

  it('shows an existing (amended) cancellation and offers no reasons', async () => {
    const body = await json(await get('/appointments/apt_alice_cancelled'));
    expect(body.appointment.status).toBe('cancelled');
    expect(body.reasons).toEqual([]);
    expect(body.cancellation).toMatchObject({ id: 'can_alice_cancelled', reasonCode: 'practitioner_late', cancellingEntity: 'patient' });
    expect(Date.parse(body.cancellation.updatedAt)).toBeGreaterThan(Date.parse(body.cancellation.createdAt));
    expect(body.cancellation).not.toHaveProperty('note');
  });

  it("answers another patient's appointment exactly like a missing one", async () => {
    const foreign = await get('/appointments/apt_bilal_3d');
    const missing = await get('/appointments/apt_nobody');
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
  });

  it('refuses a malformed id before calling Heim', async () => {
    for (const id of ['a%2Fb', 'x'.repeat(65), 'a%00b', '%E2%80%AE', 'apt.1']) {
      const response = await get(`/appointments/${id}`);
      expect(response.status, id).toBe(400);
      expect((await json(response)).error.code).toBe('invalid_appointment_id');
    }
    expect(backend.simulator.ledger).toHaveLength(0);
  });

  it('asks for a session: none, expired, tampered, wrong secret, alg none', async () => {
    const expired = await backend.tokenFor('p_demo_alice', -60);
    const valid = await backend.tokenFor('p_demo_alice');
    const [head, payload] = valid.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'p_demo_bilal', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const wrongSecret = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('p_demo_alice')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(`${TEST_SESSION_SECRET}-other`));
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    backend.signOut();
    const attempts = [undefined, expired, `${head}.${forged}.${valid.split('.')[2]}`, wrongSecret, none];
    for (const token of attempts) {
      const response = await backend.handler(
        new Request('http://portal.test/api/appointments/apt_alice_3d', token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      );
      expect(response.status).toBe(401);
      expect((await json(response)).error.code).toBe('unauthenticated');
    }
    expect(backend.simulator.ledger).toHaveLength(0);
  });

  it('accepts the session from the portal_session cookie', async () => {
    const token = await backend.tokenFor('p_demo_alice');
    const response = await backend.handler(
      new Request('http://portal.test/api/appointments/apt_alice_3d', { headers: { cookie: `other=1; portal_session=${token}` } }),
    );
    expect(response.status).toBe(200);
  });
});

describe('GET /appointments/{id}/cancellation', () => {
  it('says not_cancelled, then cancelled with the cancellation', async () => {
    expect(await json(await get('/appointments/apt_alice_3d/cancellation'))).toEqual({ cancellation: null, status: 'not_cancelled' });
    const body = await json(await get('/appointments/apt_alice_cancelled/cancellation'));
    expect(body.status).toBe('cancelled');
    expect(body.cancellation.id).toBe('can_alice_cancelled');
  });

  it('reads amendments by Heim Operations', async () => {
    backend.simulator.amendCancellation('apt_alice_cancelled', { reasonCode: 'patient_unwell', causingEntity: 'patient' });
    const body = await json(await get('/appointments/apt_alice_cancelled/cancellation'));
    expect(body.cancellation).toMatchObject({ reasonCode: 'patient_unwell', causingEntity: 'patient' });
  });
});

describe('other paths', () => {
  it('answers /healthz without a session or an upstream call', async () => {
    backend.signOut();
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ ok: true });
    expect(backend.simulator.ledger).toHaveLength(0);
  });

  it.each([
    ['DELETE', '/appointments/apt_alice_3d', 'GET, HEAD'],
    ['PUT', '/appointments/apt_alice_3d/cancel', 'POST'],
    ['GET', '/appointments/apt_alice_3d/cancel', 'POST'],
    ['POST', '/appointments/apt_alice_3d/cancellation', 'GET, HEAD'],
  ])('%s %s is 405 with Allow', async (method, path, allow) => {
    const response = await backend.handler(new Request(`http://portal.test/api${path}`, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect((await json(response)).error.code).toBe('method_not_allowed');
  });
});
