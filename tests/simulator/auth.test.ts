import { describe, expect, it } from 'vitest';
import { SIMULATOR_DEFAULT_API_KEY, createSimulator } from '../../src/simulator/index';
import { call, json, simulatorAt, testClock } from './support';

describe('authentication of /v1', () => {
  it('answers 401 with a JSON error when the Authorization header is missing, and ledgers it', async () => {
    const sim = simulatorAt(testClock());
    const response = await call(sim, 'GET', '/v1/appointments/apt_alice_3d', { key: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await json(response);
    expect(body.error.type).toBe('authentication_error');
    expect(body.error.message).toMatch(/Authorization/);
    expect(sim.ledger).toHaveLength(1);
    expect(sim.ledger[0]).toMatchObject({ method: 'GET', path: '/v1/appointments/apt_alice_3d', status: 401 });
  });

  it('refuses a wrong key and the right key with a "Bearer " prefix', async () => {
    const sim = simulatorAt(testClock());
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d', { key: 'test_wrong_key' })).status).toBe(401);
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d', { key: `Bearer ${SIMULATOR_DEFAULT_API_KEY}` })).status).toBe(401);
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status).toBe(200);
    expect(sim.ledger.map((entry) => entry.status)).toEqual([401, 401, 200]);
  });

  it('does not cancel anything for an unauthenticated cancel', async () => {
    const sim = simulatorAt(testClock());
    const response = await call(sim, 'POST', '/v1/appointments/apt_alice_3d/cancel', {
      key: null,
      body: { note: 'x', causingEntity: 'patient', cancellingEntity: 'patient', reasonCode: 'patient_unwell' },
    });
    expect(response.status).toBe(401);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  });

  it('does not leak the key it expected in the error', async () => {
    const sim = simulatorAt(testClock());
    const text = await (await call(sim, 'GET', '/v1/appointments', { key: 'test_other' })).text();
    expect(text).not.toContain(SIMULATOR_DEFAULT_API_KEY);
  });

  it('accepts exactly the configured keys (test_ and live_)', async () => {
    const sim = createSimulator({ apiKeys: ['test_alpha', 'live_beta'] });
    expect((await call(sim, 'GET', '/v1/appointments', { key: 'test_alpha' })).status).toBe(200);
    expect((await call(sim, 'GET', '/v1/appointments', { key: 'live_beta' })).status).toBe(200);
    expect((await call(sim, 'GET', '/v1/appointments', { key: SIMULATOR_DEFAULT_API_KEY })).status).toBe(401);
  });

  it('refuses at construction keys without a test_/live_ prefix, and an empty key list', () => {
    expect(() => createSimulator({ apiKeys: ['sk_123'] })).toThrow(/test_.*live_/);
    expect(() => createSimulator({ apiKeys: ['test_'] })).toThrow(/test_.*live_/);
    expect(() => createSimulator({ apiKeys: [] })).toThrow(/empty/);
  });

  it('serves /_sim control routes without a key and keeps them out of the ledger', async () => {
    const sim = simulatorAt(testClock());
    const response = await call(sim, 'GET', '/_sim/ledger', { key: null });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ entries: [] });
    expect(sim.ledger).toHaveLength(0);
  });

  it('answers 404 outside /v1 and /_sim without ledgering', async () => {
    const sim = simulatorAt(testClock());
    const response = await call(sim, 'GET', '/v2/appointments');
    expect(response.status).toBe(404);
    expect(sim.ledger).toHaveLength(0);
  });
});
