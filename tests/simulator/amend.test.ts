import { describe, expect, it } from 'vitest';
import { SimulatorStateError } from '../../src/simulator/index';
import { call, cancel, json, simulatorAt, testClock } from './support';

describe('amending a cancellation (Heim Operations)', () => {
  it('changes what the cancellation GET returns and moves updatedAt forward', async () => {
    const clock = testClock();
    const sim = simulatorAt(clock);
    const created = await json(await cancel(sim, 'apt_alice_30m_ago', {
      note: 'The practitioner did not come',
      causingEntity: 'patient',
      cancellingEntity: 'patient',
      reasonCode: 'patient_cancelled',
    }));
    clock.advance(3 * 3_600_000);
    const amended = sim.amendCancellation('apt_alice_30m_ago', { reasonCode: 'practitioner_late', causingEntity: 'practitioner' });
    expect(amended).toEqual({
      ...created,
      reasonCode: 'practitioner_late',
      causingEntity: 'practitioner',
      updatedAt: new Date(clock.now()).toISOString(),
    });
    const read = await json(await call(sim, 'GET', '/v1/appointments/apt_alice_30m_ago/cancellation'));
    expect(read).toEqual(amended);
    expect(read.createdAt).toBe(created.createdAt);
    expect(read.note).toBe('The practitioner did not come');
  });

  it('amends the note alone, and moves updatedAt even with a frozen clock', () => {
    const sim = simulatorAt(testClock());
    const before = sim.getCancellation('apt_bilal_cancelled');
    const amended = sim.amendCancellation('apt_bilal_cancelled', { note: 'Verified by phone.' });
    expect(amended.note).toBe('Verified by phone.');
    expect(amended.reasonCode).toBe(before?.reasonCode);
    expect(Date.parse(amended.updatedAt)).toBeGreaterThan(Date.parse(before?.updatedAt ?? ''));
  });

  it('does not make a second cancel possible', async () => {
    const sim = simulatorAt(testClock());
    sim.amendCancellation('apt_bilal_cancelled', { reasonCode: 'organisation_cancelled', causingEntity: 'organisation' });
    expect((await cancel(sim, 'apt_bilal_cancelled')).status).toBe(409);
    expect(sim.getCancellation('apt_bilal_cancelled')?.reasonCode).toBe('organisation_cancelled');
  });

  it('throws when the appointment is not cancelled or unknown', () => {
    const sim = simulatorAt(testClock());
    expect(() => sim.amendCancellation('apt_alice_3d', { note: 'x' })).toThrow(SimulatorStateError);
    expect(() => sim.amendCancellation('apt_alice_3d', { note: 'x' })).toThrow(/not cancelled/);
    expect(() => sim.amendCancellation('apt_missing', { note: 'x' })).toThrow(/No appointment/);
  });

  it('rejects a patch with an unknown reason or an unknown key', () => {
    const sim = simulatorAt(testClock());
    expect(() => sim.amendCancellation('apt_bilal_cancelled', { reasonCode: 'nope' as never })).toThrow();
    expect(() => sim.amendCancellation('apt_bilal_cancelled', { reason: 'x' } as never)).toThrow();
    expect(sim.getCancellation('apt_bilal_cancelled')?.reasonCode).toBe('patient_requested_reschedule');
  });
});

describe('POST /_sim/appointments/{id}/amend', () => {
  it('amends and returns the cancellation, not ledgered', async () => {
    const sim = simulatorAt(testClock());
    const response = await call(sim, 'POST', '/_sim/appointments/apt_bilal_cancelled/amend', {
      key: null,
      body: { causingEntity: 'organisation', reasonCode: 'organisation_requested_reschedule' },
    });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ appointmentId: 'apt_bilal_cancelled', causingEntity: 'organisation', reasonCode: 'organisation_requested_reschedule' });
    expect(sim.getCancellation('apt_bilal_cancelled')).toEqual(body);
    expect(sim.ledger).toHaveLength(0);
  });

  it('answers 400 when not cancelled, 404 when unknown, 400 for a bad body', async () => {
    const sim = simulatorAt(testClock());
    expect((await call(sim, 'POST', '/_sim/appointments/apt_alice_3d/amend', { body: { note: 'x' } })).status).toBe(400);
    expect((await call(sim, 'POST', '/_sim/appointments/apt_missing/amend', { body: { note: 'x' } })).status).toBe(404);
    expect((await call(sim, 'POST', '/_sim/appointments/apt_bilal_cancelled/amend', { body: { reasonCode: 'nope' } })).status).toBe(400);
    expect((await call(sim, 'POST', '/_sim/appointments/apt_bilal_cancelled/amend', { body: '{' })).status).toBe(400);
    expect(sim.getCancellation('apt_bilal_cancelled')?.reasonCode).toBe('patient_requested_reschedule');
  });
});
