import { describe, expect, it } from 'vitest';
import { chargeStateAt } from '../../src/core/charge';
import { DEMO_PATIENTS, createSimulator, demoSeed, type HeimAppointment, type SeedAppointment } from '../../src/simulator/index';
import { T0, call, cancel, json, simulatorAt, testClock } from './support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function etaOffset(appointment: HeimAppointment, nowMs: number): number | null {
  return appointment.estimatedTimeOfArrival === null ? null : Date.parse(appointment.estimatedTimeOfArrival) - nowMs;
}

describe('the demo seed', () => {
  it('has at least three patients, each with appointments', () => {
    const sim = simulatorAt(testClock());
    expect(DEMO_PATIENTS.length).toBeGreaterThanOrEqual(3);
    expect(new Set(DEMO_PATIENTS.map((p) => p.id)).size).toBe(DEMO_PATIENTS.length);
    for (const patient of DEMO_PATIENTS) {
      expect(patient.id).toMatch(/^p_/);
      const appointments = sim.listAppointments({ patientId: patient.id });
      expect(appointments.length).toBeGreaterThan(0);
      for (const a of appointments) expect(a.patient).toEqual(patient);
    }
  });

  it('covers every state relative to the injected now, and Alice alone covers every cancellable one', () => {
    const sim = simulatorAt(testClock());
    const all = sim.listAppointments();
    const cancellable = (a: HeimAppointment) => a.status === 'scheduled' || a.status === 'scheduling';
    const offsets = all.filter(cancellable).map((a) => etaOffset(a, T0));
    expect(offsets).toContain(null);
    for (const expected of [3 * 24 * HOUR, 30 * HOUR, 5 * HOUR, 20 * MINUTE, -30 * MINUTE]) expect(offsets).toContain(expected);
    expect(all.some((a) => a.status === 'completed')).toBe(true);
    expect(all.some((a) => a.status === 'cancelled')).toBe(true);
    expect(all.find((a) => a.estimatedTimeOfArrival === null)?.status).toBe('scheduling');

    const alice = sim.listAppointments({ patientId: 'p_demo_alice' });
    const aliceStates = new Set(alice.filter(cancellable).map((a) => chargeStateAt(a.estimatedTimeOfArrival === null ? null : Date.parse(a.estimatedTimeOfArrival), 24, T0)));
    expect([...aliceStates].sort()).toEqual(['chargeable', 'due', 'free', 'no_eta']);
    expect(alice.map((a) => a.status)).toEqual(expect.arrayContaining(['scheduling', 'scheduled', 'cancelled', 'completed']));
    expect(sim.getAppointment('apt_alice_3d')).toBeDefined();
    expect(sim.getAppointment('apt_alice_30h')).toBeDefined();
  });

  it('has cancellations for cancelled appointments, one of them amended by Operations', () => {
    const sim = simulatorAt(testClock());
    const cancelled = sim.listAppointments().filter((a) => a.status === 'cancelled');
    expect(cancelled.length).toBeGreaterThanOrEqual(2);
    const cancellations = cancelled.map((a) => sim.getCancellation(a.id));
    for (const c of cancellations) expect(c?.id).toMatch(/^can_/);
    const amended = cancellations.filter((c) => c !== undefined && Date.parse(c.updatedAt) > Date.parse(c.createdAt));
    const untouched = cancellations.filter((c) => c !== undefined && c.updatedAt === c.createdAt);
    expect(amended.length).toBeGreaterThanOrEqual(1);
    expect(untouched.length).toBeGreaterThanOrEqual(1);
    for (const a of sim.listAppointments().filter((x) => x.status !== 'cancelled')) expect(sim.getCancellation(a.id)).toBeUndefined();
  });

  it('gives every appointment the fields the proxy must strip, and realistic details', () => {
    for (const seed of demoSeed(T0)) {
      expect(seed.metadata?.['orgPatientRef']).toEqual(expect.any(String));
      expect(seed.data?.['note']).toBe('clinical data, must never reach the browser');
      expect(seed.externalRef).toEqual(expect.any(String));
      expect(seed.serviceName.length).toBeGreaterThan(3);
      expect(seed.location.postcode).toMatch(/^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/);
      if (seed.estimatedTimeOfArrival === null) expect(seed.windowId).toBeNull();
      else expect(seed.windowId).toMatch(/^win_/);
    }
  });

  it('is a pure function of now', () => {
    expect(demoSeed(T0)).toEqual(demoSeed(T0));
    const later = demoSeed(T0 + HOUR);
    expect(Date.parse(later.find((s) => s.id === 'apt_alice_5h')?.estimatedTimeOfArrival ?? '')).toBe(T0 + 6 * HOUR);
  });
});

describe('reset()', () => {
  it('re-seeds relative to the current now, and clears the ledger, faults and cancellations', async () => {
    const clock = testClock();
    const sim = simulatorAt(clock);
    await cancel(sim, 'apt_alice_3d');
    sim.setFault({ route: 'any', status: 500 });
    clock.advance(2 * HOUR);
    sim.reset();
    expect(sim.ledger).toEqual([]);
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
    expect(sim.getCancellation('apt_alice_3d')).toBeUndefined();
    expect(sim.getAppointment('apt_alice_5h')?.estimatedTimeOfArrival).toBe(new Date(clock.now() + 5 * HOUR).toISOString());
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d')).status).toBe(200);
  });

  it('drops appointments added after creation, and POST /_sim/reset does the same', async () => {
    const sim = simulatorAt(testClock());
    sim.addAppointment(customSeed('apt_extra'));
    expect((await call(sim, 'POST', '/_sim/reset')).status).toBe(204);
    expect(sim.getAppointment('apt_extra')).toBeUndefined();
    expect(sim.getAppointment('apt_alice_3d')).toBeDefined();
  });
});

function customSeed(id: string, extra: Partial<SeedAppointment> = {}): SeedAppointment {
  return {
    id,
    status: 'scheduled',
    estimatedTimeOfArrival: '2026-03-11T10:00:00+00:00',
    patient: { id: 'p_custom', name: 'Dee Custom' },
    serviceName: 'Ear syringing',
    location: { line1: '5 Orchard Row', city: 'York', postcode: 'YO1 7ZZ' },
    ...extra,
  };
}

describe('other seeds and addAppointment', () => {
  it("starts empty with seed 'none' and with exactly the given appointments otherwise", () => {
    expect(createSimulator({ seed: 'none' }).listAppointments()).toEqual([]);
    const sim = createSimulator({ seed: [customSeed('apt_one'), customSeed('apt_two')], now: () => T0 });
    expect(sim.listAppointments().map((a) => a.id)).toEqual(['apt_one', 'apt_two']);
    const one = sim.getAppointment('apt_one');
    expect(one).toMatchObject({
      estimatedTimeOfArrival: '2026-03-11T10:00:00.000Z',
      externalRef: null,
      windowId: null,
      metadata: {},
      data: {},
      createdAt: new Date(T0).toISOString(),
      updatedAt: new Date(T0).toISOString(),
    });
  });

  it('refuses malformed seeds and duplicate ids', () => {
    const sim = createSimulator({ seed: 'none' });
    sim.addAppointment(customSeed('apt_a'));
    expect(() => sim.addAppointment(customSeed('apt_a'))).toThrow(/already exists/);
    expect(() => sim.addAppointment(customSeed('apt_b', { status: 'cancelled' }))).toThrow(/cancellation/);
    expect(() => sim.addAppointment(customSeed('apt_c', { patient: { id: 'nobody', name: 'X' } }))).toThrow(/p_/);
    expect(() => sim.addAppointment(customSeed('apt_d', { estimatedTimeOfArrival: 'tomorrow' }))).toThrow();
    expect(() => sim.addAppointment(customSeed('apt/e'))).toThrow();
    expect(sim.listAppointments().map((a) => a.id)).toEqual(['apt_a']);
  });

  it('adds appointments over /_sim/appointments and shows one with its cancellation', async () => {
    const sim = createSimulator({ seed: 'none', now: () => T0 });
    const added = await call(sim, 'POST', '/_sim/appointments', { body: customSeed('apt_via_http') });
    expect(added.status).toBe(201);
    expect((await json(added)).id).toBe('apt_via_http');
    expect((await call(sim, 'POST', '/_sim/appointments', { body: customSeed('apt_via_http') })).status).toBe(409);
    expect((await call(sim, 'POST', '/_sim/appointments', { body: { id: 'apt_bad' } })).status).toBe(400);
    await cancel(sim, 'apt_via_http');
    const shown = await json(await call(sim, 'GET', '/_sim/appointments/apt_via_http'));
    expect(shown.appointment.status).toBe('cancelled');
    expect(shown.cancellation.appointmentId).toBe('apt_via_http');
    const listed = await json(await call(sim, 'GET', '/_sim/appointments?patient.id=p_custom', { key: null }));
    expect(listed.data.map((a: { id: string }) => a.id)).toEqual(['apt_via_http']);
    expect((await call(sim, 'GET', '/_sim/appointments/apt_missing')).status).toBe(404);
    // Control calls never reach the ledger; only the one /v1 cancel does.
    expect(sim.ledger.map((e) => e.path)).toEqual(['/v1/appointments/apt_via_http/cancel']);
  });
});
