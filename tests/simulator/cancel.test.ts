import { describe, expect, it } from 'vitest';
import { ISO_MS_Z, VALID_CANCEL, call, cancel, json, simulatorAt, testClock } from './support';

describe('POST /v1/appointments/{id}/cancel', () => {
  it('cancels once: 200 with the cancellation, status becomes cancelled, updatedAt moves', async () => {
    const clock = testClock();
    const sim = simulatorAt(clock);
    const before = sim.getAppointment('apt_alice_3d');
    clock.advance(60_000);
    const response = await cancel(sim, 'apt_alice_3d');
    expect(response.status).toBe(200);
    const cancellation = await json(response);
    expect(cancellation).toEqual({
      id: expect.stringMatching(/^can_/),
      appointmentId: 'apt_alice_3d',
      note: VALID_CANCEL.note,
      causingEntity: 'patient',
      cancellingEntity: 'patient',
      reasonCode: 'patient_unwell',
      createdAt: new Date(clock.now()).toISOString(),
      updatedAt: new Date(clock.now()).toISOString(),
    });
    const after = sim.getAppointment('apt_alice_3d');
    expect(after?.status).toBe('cancelled');
    expect(after?.updatedAt).toBe(new Date(clock.now()).toISOString());
    expect(after?.updatedAt).not.toBe(before?.updatedAt);
    // Nothing else about the appointment changes.
    expect({ ...after, status: before?.status, updatedAt: before?.updatedAt }).toEqual(before);
  });

  it('moves updatedAt forward even when the clock has not moved', async () => {
    const sim = simulatorAt(testClock());
    const seeded = sim.addAppointment({
      id: 'apt_frozen',
      status: 'scheduled',
      estimatedTimeOfArrival: '2026-03-12T10:00:00.000Z',
      patient: { id: 'p_frozen', name: 'Frozen Clock' },
      serviceName: 'Blood test at home',
      location: { line1: '1 Test Street', city: 'Leeds', postcode: 'LS1 1AA' },
    });
    await cancel(sim, 'apt_frozen');
    expect(Date.parse(sim.getAppointment('apt_frozen')?.updatedAt ?? '')).toBeGreaterThan(Date.parse(seeded.updatedAt));
  });

  it('cancels an appointment that has no ETA yet (status scheduling)', async () => {
    const sim = simulatorAt(testClock());
    expect((await cancel(sim, 'apt_alice_noeta')).status).toBe(200);
    expect(sim.getAppointment('apt_alice_noeta')?.status).toBe('cancelled');
  });

  it('refuses a second cancel with 409 by default and keeps the first cancellation', async () => {
    const sim = simulatorAt(testClock());
    const first = await json(await cancel(sim, 'apt_alice_30h'));
    const second = await cancel(sim, 'apt_alice_30h', { ...VALID_CANCEL, reasonCode: 'no_longer_required', note: 'again' });
    expect(second.status).toBe(409);
    expect((await json(second)).error.type).toBe('already_cancelled');
    expect(sim.getCancellation('apt_alice_30h')).toEqual(first);
  });

  it.each([400, 409, 422] as const)('answers a duplicate cancel with the configured %i', async (status) => {
    const sim = simulatorAt(testClock(), { duplicateCancelStatus: status });
    expect((await cancel(sim, 'apt_alice_20m')).status).toBe(200);
    expect((await cancel(sim, 'apt_alice_20m')).status).toBe(status);
    // A seeded cancelled appointment is refused the same way.
    expect((await cancel(sim, 'apt_bilal_cancelled')).status).toBe(status);
  });

  it('refuses an invalid duplicateCancelStatus at construction', () => {
    expect(() => simulatorAt(testClock(), { duplicateCancelStatus: 418 as never })).toThrow(/duplicateCancelStatus/);
  });

  it('refuses a completed appointment with 409 not_cancellable and changes nothing', async () => {
    const sim = simulatorAt(testClock());
    const before = sim.getAppointment('apt_alice_completed');
    const response = await cancel(sim, 'apt_alice_completed');
    expect(response.status).toBe(409);
    expect((await json(response)).error.type).toBe('not_cancellable');
    expect(sim.getAppointment('apt_alice_completed')).toEqual(before);
    expect(sim.getCancellation('apt_alice_completed')).toBeUndefined();
  });

  it('answers 404 for an unknown appointment', async () => {
    const sim = simulatorAt(testClock());
    expect((await cancel(sim, 'apt_unknown')).status).toBe(404);
  });

  it('tolerates unknown extra keys and does not store them', async () => {
    const sim = simulatorAt(testClock());
    const response = await cancel(sim, 'apt_alice_5h', { ...VALID_CANCEL, acknowledgeCharge: true, extra: { a: 1 } });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).not.toHaveProperty('extra');
    expect(body).not.toHaveProperty('acknowledgeCharge');
  });

  const invalidBodies: [string, unknown][] = [
    ['not JSON', '{"note": '],
    ['empty body', ''],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['missing note', { causingEntity: 'patient', cancellingEntity: 'patient', reasonCode: 'patient_unwell' }],
    ['missing causingEntity', { note: 'n', cancellingEntity: 'patient', reasonCode: 'patient_unwell' }],
    ['missing cancellingEntity', { note: 'n', causingEntity: 'patient', reasonCode: 'patient_unwell' }],
    ['missing reasonCode', { note: 'n', causingEntity: 'patient', cancellingEntity: 'patient' }],
    ['unknown reasonCode', { ...VALID_CANCEL, reasonCode: 'bored' }],
    ['unknown causingEntity', { ...VALID_CANCEL, causingEntity: 'weather' }],
    ['cancellingEntity platform (not allowed to cancel)', { ...VALID_CANCEL, cancellingEntity: 'platform' }],
    ['empty note', { ...VALID_CANCEL, note: '' }],
    ['blank note', { ...VALID_CANCEL, note: '   \n ' }],
    ['note over 2000 characters', { ...VALID_CANCEL, note: 'x'.repeat(2001) }],
    ['note not a string', { ...VALID_CANCEL, note: 42 }],
  ];

  it.each(invalidBodies)('answers 400 invalid_request for %s and cancels nothing', async (_label, body) => {
    const sim = simulatorAt(testClock());
    const response = await cancel(sim, 'apt_alice_3d', body);
    expect(response.status).toBe(400);
    expect((await json(response)).error.type).toBe('invalid_request');
    expect(sim.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
    expect(sim.getCancellation('apt_alice_3d')).toBeUndefined();
    // A valid cancel afterwards still works: the bad one used nothing up.
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(200);
  });

  it('accepts a note of exactly 2000 characters', async () => {
    const sim = simulatorAt(testClock());
    expect((await cancel(sim, 'apt_alice_3d', { ...VALID_CANCEL, note: 'y'.repeat(2000) })).status).toBe(200);
  });

  it('gives each cancellation its own id', async () => {
    const sim = simulatorAt(testClock());
    const a = await json(await cancel(sim, 'apt_alice_3d'));
    const b = await json(await cancel(sim, 'apt_alice_5h'));
    expect(a.id).not.toBe(b.id);
  });
});

describe('GET /v1/appointments/{id}/cancellation', () => {
  it('is 404 before the cancel and the cancellation after it', async () => {
    const sim = simulatorAt(testClock());
    const before = await call(sim, 'GET', '/v1/appointments/apt_alice_3d/cancellation');
    expect(before.status).toBe(404);
    expect((await json(before)).error.type).toBe('not_found');
    const created = await json(await cancel(sim, 'apt_alice_3d'));
    const after = await call(sim, 'GET', '/v1/appointments/apt_alice_3d/cancellation');
    expect(after.status).toBe(200);
    expect(await json(after)).toEqual(created);
  });

  it('is 404 for an unknown appointment', async () => {
    const sim = simulatorAt(testClock());
    expect((await call(sim, 'GET', '/v1/appointments/apt_unknown/cancellation')).status).toBe(404);
  });

  it('returns the seeded, amended cancellation with ISO timestamps', async () => {
    const sim = simulatorAt(testClock());
    const body = await json(await call(sim, 'GET', '/v1/appointments/apt_alice_cancelled/cancellation'));
    expect(body.appointmentId).toBe('apt_alice_cancelled');
    expect(body.createdAt).toMatch(ISO_MS_Z);
    expect(body.updatedAt).toMatch(ISO_MS_Z);
    expect(Date.parse(body.updatedAt)).toBeGreaterThan(Date.parse(body.createdAt));
  });
});
