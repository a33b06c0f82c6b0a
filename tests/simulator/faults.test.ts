import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, cancel, json, request, simulatorAt, testClock } from './support';

/** Track whether a promise has settled, to observe latency under fake timers. */
function track<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  return { settled: () => done, promise };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('status faults', () => {
  it('answers the fault status with a JSON error instead of the normal response, and ledgers it', async () => {
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'appointment', status: 503 });
    const response = await call(sim, 'GET', '/v1/appointments/apt_alice_3d');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await json(response)).error.type).toBe('simulated_fault');
    expect(sim.ledger.map((e) => e.status)).toEqual([503]);
  });

  it('only hits its route; "any" hits every /v1 route including the list', async () => {
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'cancellation', status: 500 });
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status).toBe(200);
    expect((await call(sim, 'GET', '/v1/appointments/apt_bilal_cancelled/cancellation')).status).toBe(500);
    sim.clearFaults();
    sim.setFault({ route: 'any', status: 502 });
    expect((await call(sim, 'GET', '/v1/appointments')).status).toBe(502);
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status).toBe(502);
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(502);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  });

  it('applies `times` times, then the simulator behaves normally again', async () => {
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'appointment', status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status);
    expect(statuses).toEqual([500, 500, 200, 200]);
  });

  it('queues faults: the oldest matching one applies first', async () => {
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'appointment', status: 503, times: 1 });
    sim.setFault({ route: 'any', status: 429, times: 1 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status);
    expect(statuses).toEqual([503, 429, 200]);
  });

  it('sends a custom body and content type, including a 200 that is not JSON', async () => {
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'appointment', status: 200, body: '<html>proxy error</html>', contentType: 'text/html' });
    const response = await call(sim, 'GET', '/v1/appointments/apt_alice_3d');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html>proxy error</html>');
  });

  it('does not cancel on a faulted cancel without commit', async () => {
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'cancel', status: 500, times: 1 });
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(500);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d/cancellation')).status).toBe(404);
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(200);
  });

  it('with commit, cancels and then answers the fault (committed but the answer was bad)', async () => {
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'cancel', status: 502, commit: true, times: 1 });
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(502);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
    const read = await call(sim, 'GET', '/v1/appointments/apt_alice_3d/cancellation');
    expect(read.status).toBe(200);
    expect((await json(read)).reasonCode).toBe('patient_unwell');
    // The retry the proxy must not trust blindly: a duplicate error.
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(409);
  });

  it("with commit and a 2xx fault, a cancel Heim refuses gets Heim's refusal, not the fault's success", async () => {
    const sim = simulatorAt(testClock());
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(200);
    sim.setFault({ route: 'cancel', status: 200, body: '{"unexpected":true}', commit: true, times: 1 });
    const refused = await cancel(sim, 'apt_alice_3d');
    expect(refused.status).toBe(409);
    // The fault was used up on this request all the same: the next cancel meets Heim alone.
    expect(sim.ledger.filter((entry) => entry.method === 'POST').map((entry) => entry.status)).toEqual([200, 409]);
  });

  it('with commitAfterMs, answers the fault now and cancels later (a gateway gave up, Heim carried on)', async () => {
    vi.useFakeTimers();
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'cancel', status: 504, commitAfterMs: 2_000, times: 1 });
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(504);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(sim.getCancellation('apt_alice_3d')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
    expect(sim.getCancellation('apt_alice_3d')?.reasonCode).toBe('patient_unwell');
    expect(sim.ledger.filter((entry) => entry.method === 'POST').map((entry) => entry.status)).toEqual([504]);
  });

  it('completes a visit: no longer cancellable, and a cancelled one cannot be completed', async () => {
    const sim = simulatorAt(testClock());
    expect(sim.completeAppointment('apt_alice_3d').status).toBe('completed');
    expect((await cancel(sim, 'apt_alice_3d')).status).not.toBe(200);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('completed');
    expect((await cancel(sim, 'apt_alice_30h')).status).toBe(200);
    expect(() => sim.completeAppointment('apt_alice_30h')).toThrow(/cancelled/);
    expect(() => sim.completeAppointment('apt_nobody')).toThrow(/No appointment/);
  });

  it('does not apply to unauthenticated requests', async () => {
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'any', status: 503, times: 1 });
    expect((await call(sim, 'GET', '/v1/appointments', { key: null })).status).toBe(401);
    expect((await call(sim, 'GET', '/v1/appointments')).status).toBe(503);
  });

  it('refuses malformed faults', () => {
    const sim = simulatorAt(testClock());
    expect(() => sim.setFault({ route: 'cancel' })).toThrow();
    expect(() => sim.setFault({ route: 'nowhere' as never, status: 500 })).toThrow();
    expect(() => sim.setFault({ route: 'cancel', status: 99 })).toThrow();
    expect(() => sim.setFault({ route: 'cancel', status: 504, commit: true, commitAfterMs: 10 })).toThrow(/choose one/);
    expect(() => sim.setFault({ route: 'cancel', latencyMs: 10, commitAfterMs: 10 })).toThrow(/status or a transport/);
    expect(() => sim.setFault({ route: 'cancel', status: 500, times: 0 })).toThrow();
    expect(() => sim.setFault({ route: 'cancel', latencyMs: 10, body: 'x' })).toThrow();
  });

  it('is set and cleared through /_sim/faults', async () => {
    const sim = simulatorAt(testClock());
    expect((await call(sim, 'POST', '/_sim/faults', { body: { route: 'appointment', status: 504 } })).status).toBe(204);
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status).toBe(504);
    expect((await call(sim, 'DELETE', '/_sim/faults')).status).toBe(204);
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status).toBe(200);
    expect((await call(sim, 'POST', '/_sim/faults', { body: { route: 'appointment' } })).status).toBe(400);
    expect((await call(sim, 'POST', '/_sim/faults', { body: '{' })).status).toBe(400);
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status).toBe(200);
  });
});

describe('latency', () => {
  it('delays the normal response by the fault latency', async () => {
    vi.useFakeTimers();
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'appointment', latencyMs: 500, times: 1 });
    const slow = track(sim.fetch(request('GET', '/v1/appointments/apt_alice_3d')));
    await vi.advanceTimersByTimeAsync(499);
    expect(slow.settled()).toBe(false);
    expect(sim.ledger).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(slow.settled()).toBe(true);
    expect((await slow.promise).status).toBe(200);
    expect(sim.ledger.map((e) => e.status)).toEqual([200]);
    // times: 1, so the next one is immediate.
    const fast = track(sim.fetch(request('GET', '/v1/appointments/apt_alice_3d')));
    await vi.advanceTimersByTimeAsync(0);
    expect(fast.settled()).toBe(true);
  });

  it('without commit, a slow cancel takes effect only when the delay ends', async () => {
    vi.useFakeTimers();
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'cancel', latencyMs: 1000 });
    const slow = track(cancel(sim, 'apt_alice_3d'));
    await vi.advanceTimersByTimeAsync(500);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
    await vi.advanceTimersByTimeAsync(500);
    expect((await slow.promise).status).toBe(200);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
  });

  it('with commit, a slow cancel takes effect at once and answers late (a timeout after commit)', async () => {
    vi.useFakeTimers();
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'cancel', latencyMs: 1000, commit: true });
    const slow = track(cancel(sim, 'apt_alice_3d'));
    await vi.advanceTimersByTimeAsync(1);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
    expect(slow.settled()).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect((await slow.promise).status).toBe(200);
  });

  it('adds the simulator-wide latencyMs to every /v1 response, errors included, but not /_sim', async () => {
    vi.useFakeTimers();
    const sim = simulatorAt(testClock(), { latencyMs: 200 });
    const unauthorised = track(sim.fetch(request('GET', '/v1/appointments', { key: null })));
    const control = track(sim.fetch(request('GET', '/_sim/ledger')));
    await vi.advanceTimersByTimeAsync(199);
    expect(unauthorised.settled()).toBe(false);
    expect(control.settled()).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect((await unauthorised.promise).status).toBe(401);
  });

  it('keeps the ledger in arrival order when a slow request finishes after a fast one', async () => {
    vi.useFakeTimers();
    const sim = simulatorAt(testClock());
    sim.setFault({ route: 'appointment', latencyMs: 300, times: 1 });
    const slow = sim.fetch(request('GET', '/v1/appointments/apt_alice_3d'));
    await vi.advanceTimersByTimeAsync(0);
    await sim.fetch(request('GET', '/v1/appointments?patient.id=p_demo_alice'));
    expect(sim.ledger.map((e) => e.seq)).toEqual([2]);
    await vi.advanceTimersByTimeAsync(300);
    await slow;
    expect(sim.ledger.map((e) => [e.seq, e.path])).toEqual([
      [1, '/v1/appointments/apt_alice_3d'],
      [2, '/v1/appointments?patient.id=p_demo_alice'],
    ]);
  });
});
