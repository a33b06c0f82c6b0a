import { describe, expect, it } from 'vitest';
import { KEY, VALID_CANCEL, call, cancel, json, simulatorAt, testClock } from './support';

describe('the ledger', () => {
  it('records method, path with query, every header lower-cased, the raw body and the status', async () => {
    const clock = testClock();
    const sim = simulatorAt(clock);
    const raw = '{ "note":"spaced  out",\n "causingEntity":"patient","cancellingEntity":"patient","reasonCode":"patient_unwell", "x": 1 }';
    clock.advance(1234);
    await call(sim, 'POST', '/v1/appointments/apt_alice_3d/cancel', {
      body: raw,
      headers: { 'Content-Type': 'application/json', 'X-Request-ID': 'req-123', 'Idempotency-Key': 'abc12345' },
    });
    expect(sim.ledger).toEqual([
      {
        seq: 1,
        receivedAt: new Date(clock.now()).toISOString(),
        method: 'POST',
        path: '/v1/appointments/apt_alice_3d/cancel',
        headers: { authorization: KEY, 'content-type': 'application/json', 'x-request-id': 'req-123', 'idempotency-key': 'abc12345' },
        body: raw,
        status: 200,
      },
    ]);
  });

  it('records rejected, unknown and malformed requests with the status answered, in order', async () => {
    const sim = simulatorAt(testClock());
    await call(sim, 'GET', '/v1/appointments?patient.id=p_demo_alice');
    await call(sim, 'GET', '/v1/appointments/apt_nope');
    await cancel(sim, 'apt_alice_3d', '{oops');
    await call(sim, 'PUT', '/v1/appointments/apt_alice_3d/cancel');
    await call(sim, 'GET', '/v1/whatever', { key: null });
    await cancel(sim, 'apt_alice_3d');
    await cancel(sim, 'apt_alice_3d');
    expect(sim.ledger.map(({ seq, method, path, status, body }) => ({ seq, method, path, status, body }))).toEqual([
      { seq: 1, method: 'GET', path: '/v1/appointments?patient.id=p_demo_alice', status: 200, body: '' },
      { seq: 2, method: 'GET', path: '/v1/appointments/apt_nope', status: 404, body: '' },
      { seq: 3, method: 'POST', path: '/v1/appointments/apt_alice_3d/cancel', status: 400, body: '{oops' },
      { seq: 4, method: 'PUT', path: '/v1/appointments/apt_alice_3d/cancel', status: 405, body: '' },
      { seq: 5, method: 'GET', path: '/v1/whatever', status: 401, body: '' },
      { seq: 6, method: 'POST', path: '/v1/appointments/apt_alice_3d/cancel', status: 200, body: JSON.stringify(VALID_CANCEL) },
      { seq: 7, method: 'POST', path: '/v1/appointments/apt_alice_3d/cancel', status: 409, body: JSON.stringify(VALID_CANCEL) },
    ]);
    expect(sim.ledger[4]?.headers).not.toHaveProperty('authorization');
  });

  it('hands out snapshots that cannot be changed', async () => {
    const sim = simulatorAt(testClock());
    await call(sim, 'GET', '/v1/appointments');
    const snapshot = sim.ledger;
    await call(sim, 'GET', '/v1/appointments');
    expect(snapshot).toHaveLength(1);
    expect(sim.ledger).toHaveLength(2);
    expect(() => {
      (snapshot as unknown as { status: number }[])[0]!.status = 500;
    }).toThrow(TypeError);
    expect(sim.ledger[0]?.status).toBe(200);
  });

  it('clears on clearLedger() and DELETE /_sim/ledger; sequence numbers are never reused', async () => {
    const sim = simulatorAt(testClock());
    await call(sim, 'GET', '/v1/appointments');
    sim.clearLedger();
    expect(sim.ledger).toEqual([]);
    await call(sim, 'GET', '/v1/appointments');
    expect(sim.ledger.map((e) => e.seq)).toEqual([2]);
    const cleared = await call(sim, 'DELETE', '/_sim/ledger');
    expect(cleared.status).toBe(204);
    expect(sim.ledger).toEqual([]);
  });

  it('is served by GET /_sim/ledger as { entries }', async () => {
    const sim = simulatorAt(testClock());
    await cancel(sim, 'apt_alice_3d');
    const body = await json(await call(sim, 'GET', '/_sim/ledger'));
    expect(body.entries).toHaveLength(1);
    expect(body.entries[0]).toMatchObject({ method: 'POST', status: 200, body: JSON.stringify(VALID_CANCEL) });
    expect(body.entries[0].headers.authorization).toBe(KEY);
  });
});
