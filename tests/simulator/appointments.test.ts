import { describe, expect, it } from 'vitest';
import { ISO_MS_Z, T0, call, cancel, json, simulatorAt, testClock } from './support';

describe('GET /v1/appointments/{id}', () => {
  it('returns the appointment in Heim shape, with organisation and clinical data', async () => {
    const sim = simulatorAt(testClock());
    const response = await call(sim, 'GET', '/v1/appointments/apt_alice_3d');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = await json(response);
    expect(Object.keys(body).sort()).toEqual(
      [
        'createdAt',
        'data',
        'estimatedTimeOfArrival',
        'externalRef',
        'id',
        'location',
        'metadata',
        'patient',
        'serviceName',
        'status',
        'updatedAt',
        'windowId',
      ].sort(),
    );
    expect(body).toMatchObject({
      id: 'apt_alice_3d',
      status: 'scheduled',
      estimatedTimeOfArrival: new Date(T0 + 3 * 24 * 3_600_000).toISOString(),
      patient: { id: 'p_demo_alice', name: 'Alice Morgan' },
      serviceName: expect.any(String),
      location: { line1: expect.any(String), city: expect.any(String), postcode: expect.any(String) },
      metadata: { orgPatientRef: expect.stringMatching(/\S/) },
      data: { note: 'clinical data, must never reach the browser' },
    });
    expect(body.windowId).toMatch(/^win_/);
    expect(body.createdAt).toMatch(ISO_MS_Z);
    expect(body.updatedAt).toMatch(ISO_MS_Z);
  });

  it('returns a null ETA and no window for an appointment still being scheduled', async () => {
    const sim = simulatorAt(testClock());
    const body = await json(await call(sim, 'GET', '/v1/appointments/apt_alice_noeta'));
    expect(body).toMatchObject({ status: 'scheduling', estimatedTimeOfArrival: null, windowId: null });
  });

  it('does not embed the cancellation, even for a cancelled appointment', async () => {
    const sim = simulatorAt(testClock());
    const body = await json(await call(sim, 'GET', '/v1/appointments/apt_alice_cancelled'));
    expect(body.status).toBe('cancelled');
    expect(body).not.toHaveProperty('cancellation');
  });

  it('answers 404 with a JSON error for an unknown id', async () => {
    const sim = simulatorAt(testClock());
    const response = await call(sim, 'GET', '/v1/appointments/apt_nobody');
    expect(response.status).toBe(404);
    expect((await json(response)).error).toEqual({ type: 'not_found', message: expect.stringContaining('apt_nobody') });
  });

  it('decodes percent-encoded ids', async () => {
    const sim = simulatorAt(testClock());
    expect((await call(sim, 'GET', '/v1/appointments/apt%5Falice%5F3d')).status).toBe(200);
  });

  it('answers 405 for a wrong method on a known path and 404 for an unknown path', async () => {
    const sim = simulatorAt(testClock());
    const wrong = await call(sim, 'DELETE', '/v1/appointments/apt_alice_3d');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d/cancel')).status).toBe(405);
    expect((await call(sim, 'GET', '/v1/appointments/apt_alice_3d/notes')).status).toBe(404);
    expect((await call(sim, 'GET', '/v1/patients')).status).toBe(404);
  });

  it('hands out deep copies: changing one does not change the simulator', () => {
    const sim = simulatorAt(testClock());
    const copy = sim.getAppointment('apt_alice_3d');
    if (copy === undefined) throw new Error('seeded appointment missing');
    copy.status = 'cancelled';
    copy.patient.name = 'Mallory';
    copy.data['note'] = 'tampered';
    const fresh = sim.getAppointment('apt_alice_3d');
    expect(fresh?.status).toBe('scheduled');
    expect(fresh?.patient.name).toBe('Alice Morgan');
    expect(fresh?.data['note']).toBe('clinical data, must never reach the browser');
  });
});

describe('GET /v1/appointments?patient.id=', () => {
  it('lists only that patient\'s appointments, in a { data } envelope', async () => {
    const sim = simulatorAt(testClock());
    const response = await call(sim, 'GET', '/v1/appointments?patient.id=p_demo_bilal');
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(Object.keys(body)).toEqual(['data']);
    expect(body.data.map((a: { id: string }) => a.id).sort()).toEqual(['apt_bilal_3d', 'apt_bilal_cancelled', 'apt_bilal_noeta']);
    for (const appointment of body.data) expect(appointment.patient.id).toBe('p_demo_bilal');
  });

  it('also answers at /v1/appointments/ (trailing slash, as Heim documents it)', async () => {
    const sim = simulatorAt(testClock());
    const body = await json(await call(sim, 'GET', '/v1/appointments/?patient.id=p_demo_chloe'));
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((a: { patient: { id: string } }) => a.patient.id === 'p_demo_chloe')).toBe(true);
  });

  it('returns an empty list for an unknown patient and everything without a filter', async () => {
    const sim = simulatorAt(testClock());
    expect(await json(await call(sim, 'GET', '/v1/appointments?patient.id=p_nobody'))).toEqual({ data: [] });
    const all = await json(await call(sim, 'GET', '/v1/appointments'));
    expect(all.data).toHaveLength(sim.listAppointments().length);
    expect(new Set(all.data.map((a: { patient: { id: string } }) => a.patient.id)).size).toBe(3);
  });

  it('reflects a cancellation in the listed status', async () => {
    const sim = simulatorAt(testClock());
    await cancel(sim, 'apt_alice_5h');
    const body = await json(await call(sim, 'GET', '/v1/appointments?patient.id=p_demo_alice'));
    expect(body.data.find((a: { id: string }) => a.id === 'apt_alice_5h').status).toBe('cancelled');
    expect(sim.listAppointments({ patientId: 'p_demo_alice' }).find((a) => a.id === 'apt_alice_5h')?.status).toBe('cancelled');
  });
});
