/**
 * Heim's answers in the shapes its guide leaves open. The guide documents the cancel's body and
 * nothing of the answers: the proxy must confirm a cancel Heim carried out whatever shape the
 * answer takes, read a cancellation Heim Operations amended (to other codes, or another cancelling
 * entity), and use the appointment itself as a witness when the assumed cancellation GET gives
 * nothing. Each case is played by the simulator: a fault with a body of another shape, the route
 * missing (404), the cancellation embedded in the appointment.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, type TestBackend, type TestBackendOptions } from '../support/backend';
import { cancelRequest, freshKey, json, readAppointment, startAsAlice } from './helpers';

let backend: TestBackend;
let send: (request: Request) => Promise<Response>;

async function start(options: TestBackendOptions = {}): Promise<void> {
  ({ backend, send } = await startAsAlice(options));
}
afterEach(() => backend.close());

const posts = () => backend.simulator.ledger.filter((entry) => entry.method === 'POST');
const cancellationStatus = (id: string) => readAppointment(send, id, '/cancellation');
/** The guide's cancellation object, and nothing else: no id, no timestamps. */
const GUIDE_SHAPED = JSON.stringify({
  note: 'Cancelled by the patient in the customer portal.',
  causingEntity: 'patient',
  cancellingEntity: 'patient',
  reasonCode: 'patient_unwell',
});
/** The cancellation GET is not Heim's: every read of it is 404, as for a route that does not exist. */
const noCancellationRoute = () => backend.simulator.setFault({ route: 'cancellation', status: 404 });

describe('a 2xx from Heim is a cancel, whatever its body', () => {
  // The guide's object carries its own code (`patient_unwell`); the others carry none we can read.
  const bodies: [string, { status: number; body?: string; contentType?: string }][] = [
    ['the guide\'s object, with no id or timestamps', { status: 200, body: GUIDE_SHAPED.replace('patient_unwell', 'no_longer_required') }],
    ['the appointment instead of the cancellation', { status: 200, body: JSON.stringify({ id: 'apt_alice_3d', status: 'cancelled' }) }],
    ['an enveloped cancellation', { status: 200, body: JSON.stringify({ data: JSON.parse(GUIDE_SHAPED) }) }],
    ['an empty 204', { status: 204, body: '' }],
    ['a body that is not JSON', { status: 201, body: 'Created', contentType: 'text/plain' }],
  ];
  it.each(bodies)('%s: 200 cancelled at once, told from what was sent, one POST', async (_name, answer) => {
    await start();
    backend.simulator.setFault({ route: 'cancel', commit: true, times: 1, ...answer });
    // A Heim consistent with the guide reads its cancellation in the guide's shape too.
    backend.simulator.setFault({ route: 'cancellation', status: 200, body: GUIDE_SHAPED.replace('patient_unwell', 'no_longer_required') });
    const key = freshKey();
    const response = await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'no_longer_required' } }));

    expect(response.status).toBe(200);
    // Heim's 2xx was enough: nothing was read to reconcile it.
    expect(backend.simulator.ledger.map((entry) => entry.path)).not.toContain('/v1/appointments/apt_alice_3d/cancellation');
    expect(await json(response)).toMatchObject({
      status: 'cancelled',
      cancellation: { reasonCode: 'no_longer_required', causingEntity: 'patient', cancellingEntity: 'patient' },
      charge: { state: 'free' },
    });
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
    // Not pending: no reconciling reads were needed, and a retry is answered from the key.
    expect((await cancellationStatus('apt_alice_3d')).status).toBe('cancelled');
    expect((await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'no_longer_required' } }))).status).toBe(200);
    expect(posts()).toHaveLength(1);
  });

  it('takes what Heim gave where it gave it (its code), and what was sent for the rest', async () => {
    await start();
    const body = JSON.stringify({ reasonCode: 'patient_unwell', cancellingEntity: 'patient', createdAt: '2026-11-24T09:00:00.000Z' });
    backend.simulator.setFault({ route: 'cancel', status: 200, body, commit: true, times: 1 });
    const response = await send(cancelRequest('apt_alice_3d'));
    expect((await json(response)).cancellation).toEqual({
      id: null,
      reasonCode: 'patient_unwell',
      causingEntity: 'patient',
      cancellingEntity: 'patient',
      createdAt: '2026-11-24T09:00:00.000Z',
      updatedAt: null,
    });
  });

  it('without Heim\'s time, tells the charge at the latest moment Heim can have recorded it (never "free" in doubt)', async () => {
    // apt_alice_30h: the window opens six hours after the start. A second before it opens, a cancel
    // whose answer carries no time is told "chargeable": Heim may have recorded it a second later.
    let offsetMs = 0;
    await start({ now: () => Date.now() + offsetMs });
    const eta = Date.parse(backend.simulator.getAppointment('apt_alice_30h')!.estimatedTimeOfArrival!);
    offsetMs = eta - 24 * 3_600_000 - 1_000 - Date.now();
    backend.simulator.setFault({ route: 'cancel', status: 200, body: GUIDE_SHAPED, commit: true, times: 1 });
    const response = await send(cancelRequest('apt_alice_30h', { body: { reasonCode: 'patient_unwell', acknowledgeCharge: true } }));
    expect(response.status).toBe(200);
    expect((await json(response)).charge).toMatchObject({ state: 'chargeable', chargeableFrom: new Date(eta - 24 * 3_600_000).toISOString() });
  });
});

describe('the appointment is a witness when the cancellation GET gives nothing', () => {
  it('Heim cancelled and answered 500, the route does not exist: 200, not a wait with no end', async () => {
    await start();
    noCancellationRoute();
    backend.simulator.setFault({ route: 'cancel', status: 500, commit: true, times: 1 });
    const key = freshKey();
    const response = await send(cancelRequest('apt_alice_3d', { key }));

    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ status: 'cancelled', cancellation: { reasonCode: 'patient_unwell', id: null } });
    expect(backend.logs).toContainEqual(
      expect.objectContaining({ event: 'cancel.reconciled', result: 'cancelled', via: 'appointment_status', idempotencyKey: key }),
    );
    expect(posts()).toHaveLength(1);
    // Operations are told, once, that the assumed route gives nothing for a cancelled appointment.
    backend.simulator.setFault({ route: 'cancel', status: 500, commit: true, times: 1 });
    expect((await send(cancelRequest('apt_alice_30h'))).status).toBe(200);
    expect(backend.logs.filter((entry) => entry.event === 'heim.cancellation_unreadable')).toEqual([
      expect.objectContaining({ level: 'warn', appointmentId: 'apt_alice_3d', upstreamStatus: 404 }),
    ]);
  });

  it('a lost answer that lands later settles on the appointment reading cancelled, and the same key is told 200', async () => {
    await start({ heim: { timeoutMs: 100 } });
    noCancellationRoute();
    backend.simulator.setFault({ route: 'cancel', transport: 'reset', commitAfterMs: 200, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    expect(await cancellationStatus('apt_alice_3d')).toEqual({ cancellation: null, status: 'pending_confirmation' });

    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });
    expect(await cancellationStatus('apt_alice_3d')).toMatchObject({ status: 'cancelled', cancellation: { reasonCode: 'patient_unwell' } });
    const retry = await send(cancelRequest('apt_alice_3d', { key }));
    expect(retry.status).toBe(200);
    expect(await json(retry)).toMatchObject({ status: 'cancelled', cancellation: { reasonCode: 'patient_unwell' } });
    expect(posts()).toHaveLength(1);
  });

  it('reads a cancellation embedded in the appointment when the route does not exist', async () => {
    await start({ embedCancellation: true, heim: { timeoutMs: 100 } });
    noCancellationRoute();
    backend.simulator.setFault({ route: 'cancel', transport: 'reset', commit: true, times: 1 });
    const response = await send(cancelRequest('apt_alice_3d'));

    expect(response.status).toBe(200);
    const embedded = backend.simulator.getCancellation('apt_alice_3d')!;
    expect((await json(response)).cancellation).toEqual({
      id: embedded.id,
      reasonCode: 'patient_unwell',
      causingEntity: 'patient',
      cancellingEntity: 'patient',
      createdAt: embedded.createdAt,
      updatedAt: embedded.updatedAt,
    });
    // The patient's page shows it too, amended as Heim holds it.
    backend.simulator.amendCancellation('apt_alice_3d', { causingEntity: 'platform' });
    expect((await readAppointment(send, 'apt_alice_3d')).cancellation).toMatchObject({ id: embedded.id, causingEntity: 'platform' });
  });

  it('a cancellation of the organisation\'s, seen only in the appointment, is not taken for the patient\'s', async () => {
    await start({ embedCancellation: true });
    noCancellationRoute();
    const byOrganisation = await backend.simulator.fetch(
      new Request(`${TEST_HEIM_BASE_URL}/appointments/apt_alice_3d/cancel`, {
        method: 'POST',
        headers: { authorization: TEST_HEIM_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'Duplicate booking.', causingEntity: 'organisation', cancellingEntity: 'organisation', reasonCode: 'organisation_cancelled' }),
      }),
    );
    expect(byOrganisation.status).toBe(200);
    backend.simulator.clearLedger();
    const response = await send(cancelRequest('apt_alice_3d'));
    expect(response.status).toBe(409);
    expect((await json(response)).error).toMatchObject({ code: 'already_cancelled', cancellation: { reasonCode: 'organisation_cancelled' } });
    expect(posts()).toHaveLength(0);
  });
});

describe('a cancellation Heim Operations amended is still the patient\'s', () => {
  it('amended (reason and cancelling entity) before the lost answer was reconciled: the same key is told 200 with Heim\'s version', async () => {
    await start({ heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', transport: 'reset', commitAfterMs: 150, times: 1 });
    // The first reconciling read fails, so nothing is settled before Operations amend it.
    backend.simulator.setFault({ route: 'cancellation', status: 500, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'no_longer_required' } }))).status).toBe(202);
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });
    backend.simulator.amendCancellation('apt_alice_3d', { reasonCode: 'patient_requested_reschedule', cancellingEntity: 'organisation' });

    const retry = await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'no_longer_required' } }));
    expect(retry.status).toBe(200);
    expect((await json(retry)).cancellation).toMatchObject({ reasonCode: 'patient_requested_reschedule', cancellingEntity: 'organisation' });
    expect(backend.logs).toContainEqual(expect.objectContaining({ event: 'cancel.reconciled', result: 'cancelled', idempotencyKey: key }));
    expect(backend.logs).not.toContainEqual(expect.objectContaining({ event: 'cancel.reconciled', result: 'cancelled_by_other' }));
    expect(posts()).toHaveLength(1);
  });

  it('reads a code outside the fifteen the API lists: shown, never "Heim unreadable"', async () => {
    await start();
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(200);
    const held = backend.simulator.getCancellation('apt_alice_3d')!;
    const amended = { ...held, reasonCode: 'late_cancellation_waived', causingEntity: 'organisation', updatedAt: new Date().toISOString() };
    backend.simulator.setFault({ route: 'cancellation', status: 200, body: JSON.stringify(amended) });

    const page = await readAppointment(send, 'apt_alice_3d');
    expect(page.cancellation).toMatchObject({ reasonCode: 'late_cancellation_waived', causingEntity: 'organisation' });
    expect(await cancellationStatus('apt_alice_3d')).toMatchObject({ status: 'cancelled', cancellation: { reasonCode: 'late_cancellation_waived' } });
    // Operations see the change in the proxy's log, with what it was.
    expect(backend.logs).toContainEqual(
      expect.objectContaining({
        event: 'cancel.amended',
        appointmentId: 'apt_alice_3d',
        reasonCodeBefore: 'patient_unwell',
        reasonCode: 'late_cancellation_waived',
        causingEntityBefore: 'patient',
        causingEntity: 'organisation',
      }),
    );
  });

  it('a 200 of the cancellation GET that carries none of the guide\'s fields is not a cancellation', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancellation', status: 200, body: JSON.stringify({ data: null }) });
    expect(await cancellationStatus('apt_alice_3d')).toEqual({ cancellation: null, status: 'not_cancelled' });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(200);
    expect(posts()).toHaveLength(1);
  });
});

describe('settling stays as careful as before', () => {
  it('a 2xx of the cancellation GET that we cannot read ends no pending attempt, on any path: no second POST', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    backend.simulator.setFault({ route: 'cancellation', status: 200, body: JSON.stringify({ data: { state: 'unknown' } }) });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
    expect((await cancellationStatus('apt_alice_3d')).status).toBe('pending_confirmation');
    // The background reconcile reads at 1 s; it must not take the unreadable 2xx for "none".
    await vi.waitFor(() => expect(backend.logs.filter((entry) => entry.event === 'heim.call_failed' && entry.call === 'getCancellation').length).toBeGreaterThan(2), { timeout: 3000 });
    expect((await cancellationStatus('apt_alice_3d')).status).toBe('pending_confirmation');
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
    expect(posts()).toHaveLength(1);
  });

  it('a lost POST that Heim recorded late and Operations then amended is still the patient\'s, however late it landed', async () => {
    await start({ heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', transport: 'reset', times: 1 });
    const landed = Date.now() + 10 * 60_000;
    backend.simulator.setFault({
      route: 'cancellation',
      status: 200,
      body: JSON.stringify({
        id: 'can_late',
        reasonCode: 'patient_requested_reschedule',
        causingEntity: 'organisation',
        cancellingEntity: 'organisation',
        createdAt: new Date(landed).toISOString(),
        updatedAt: new Date(landed + 3_600_000).toISOString(),
      }),
    });
    const response = await send(cancelRequest('apt_alice_3d'));
    expect(response.status).toBe(200);
    expect((await json(response)).cancellation).toMatchObject({ id: 'can_late', cancellingEntity: 'organisation' });
  });

  it('the poll tells a settled cancel as the retry would: what Heim left out is filled from what was sent', async () => {
    await start({ heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', transport: 'reset', times: 1 });
    backend.simulator.setFault({ route: 'cancellation', status: 500, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    backend.simulator.setFault({ route: 'cancellation', status: 200, body: JSON.stringify({ reasonCode: 'patient_unwell' }) });

    const polled = await cancellationStatus('apt_alice_3d');
    expect(polled).toEqual({
      status: 'cancelled',
      cancellation: { id: null, reasonCode: 'patient_unwell', causingEntity: 'patient', cancellingEntity: 'patient', createdAt: null, updatedAt: null },
    });
    const retry = await send(cancelRequest('apt_alice_3d', { key }));
    expect((await json(retry)).cancellation).toEqual(polled.cancellation);
  });
});

describe('what operations read', () => {
  it('logs who cancelled, with which key, what they were shown and accepted, and Heim\'s record', async () => {
    await start();
    const key = freshKey();
    const response = await send(cancelRequest('apt_alice_5h', { key, body: { reasonCode: 'patient_unwell', acknowledgeCharge: true } }));
    expect(response.status).toBe(200);
    const held = backend.simulator.getCancellation('apt_alice_5h')!;
    const eta = backend.simulator.getAppointment('apt_alice_5h')!.estimatedTimeOfArrival!;
    expect(backend.logs).toContainEqual(
      expect.objectContaining({
        level: 'info',
        event: 'cancel.upstream',
        appointmentId: 'apt_alice_5h',
        patientId: 'p_demo_alice',
        idempotencyKey: key,
        chargeState: 'chargeable',
        acknowledgedCharge: true,
        eta: new Date(eta).toISOString(),
        chargeableFrom: new Date(Date.parse(eta) - 24 * 3_600_000).toISOString(),
        heimCancellationId: held.id,
        heimCreatedAt: held.createdAt,
      }),
    );
    // A retry answered from its key leaves a line of its own.
    expect((await send(cancelRequest('apt_alice_5h', { key, body: { reasonCode: 'patient_unwell', acknowledgeCharge: true } }))).status).toBe(200);
    const answers = backend.logs.filter((entry) => entry.event === 'cancel.answered');
    expect(answers).toEqual([
      expect.objectContaining({ idempotencyKey: key, patientId: 'p_demo_alice', status: 200, code: null, replayed: false }),
      expect.objectContaining({ idempotencyKey: key, patientId: 'p_demo_alice', status: 200, code: null, replayed: true }),
    ]);
  });

  it('a lost answer confirmed at once ends on a line saying so, not on the warning', async () => {
    await start({ heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', transport: 'reset', commit: true, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);
    const lines = backend.logs.filter((entry) => entry.appointmentId === 'apt_alice_3d').map((entry) => entry.event);
    expect(lines.slice(-2)).toEqual(['cancel.reconciled', 'cancel.answered']);
    expect(backend.logs).toContainEqual(expect.objectContaining({ event: 'cancel.reconciled', result: 'cancelled', via: 'cancellation', idempotencyKey: key }));
  });

  it('Heim refusing a well-formed cancel is an error line (every patient in the same case is blocked)', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancel', status: 422, times: 1 });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(502);
    expect(backend.logs).toContainEqual(expect.objectContaining({ level: 'error', event: 'cancel.upstream', outcome: 'rejected', upstreamStatus: 422 }));
  });
});
