import { afterEach, describe, expect, it } from 'vitest';
import { CancelApiError, createCancelApiClient } from '../../src/index';
import type { RoundTripSample } from '../../src/index';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

describe('createCancelApiClient against the real proxy', () => {
  it('reads an appointment with same-origin credentials and records the round trip', async () => {
    const harness = await createWidgetHarness();
    const credentials: (RequestCredentials | undefined)[] = [];
    const samples: RoundTripSample[] = [];
    const client = createCancelApiClient({
      fetch: (input, init) => {
        credentials.push(init?.credentials);
        return harness.fetch(input, init);
      },
      onRoundTrip: (sample) => samples.push(sample),
    });

    const response = await client.getAppointment('apt_alice_3d');

    expect(response.appointment.id).toBe('apt_alice_3d');
    expect(response.charge.state).toBe('free');
    expect(credentials).toEqual(['same-origin']);
    expect(harness.requests[0]?.headers.get('Accept')).toBe('application/json');
    expect(harness.requests[0]?.headers.has('Content-Type')).toBe(false);
    expect(samples).toHaveLength(1);
    expect(samples[0]?.serverNowMs).toBe(Date.parse(response.serverNow));
    expect(samples[0]!.endedAt).toBeGreaterThanOrEqual(samples[0]!.startedAt);
  });

  it('throws CancelApiError with the proxy code, status and details', async () => {
    const harness = await createWidgetHarness();
    const client = createCancelApiClient({ fetch: harness.fetch });

    const notFound = await client.getAppointment('apt_bilal_3d').catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(CancelApiError);
    expect(notFound).toMatchObject({ code: 'not_found', status: 404 });

    const already = await client
      .cancel('apt_alice_cancelled', { reasonCode: 'patient_unwell' }, 'key_already_cancelled')
      .catch((error: unknown) => error);
    expect(already).toMatchObject({
      code: 'already_cancelled',
      status: 409,
      cancellation: expect.objectContaining({ reasonCode: 'practitioner_late' }),
    });

    const charge = await client
      .cancel('apt_alice_5h', { reasonCode: 'patient_unwell' }, 'key_charge_required')
      .catch((error: unknown) => error);
    expect(charge).toMatchObject({ code: 'charge_acknowledgement_required', charge: expect.objectContaining({ state: 'chargeable' }) });
    expect(harness.backend.simulator.ledger.filter((entry) => entry.method === 'POST')).toHaveLength(0);
  });

  it('refuses an invalid appointment id before any request, and encodes ids in URLs', async () => {
    const harness = await createWidgetHarness();
    const client = createCancelApiClient({ fetch: harness.fetch, apiBaseUrl: '/portal/api/' });

    await expect(client.getAppointment('../admin')).rejects.toMatchObject({ code: 'invalid_appointment_id' });
    await expect(client.cancel('a b', { reasonCode: 'patient_unwell' }, 'key_12345678')).rejects.toMatchObject({
      code: 'invalid_appointment_id',
    });
    expect(harness.requests).toHaveLength(0);

    await client.getCancellation('apt_alice_3d').catch(() => undefined);
    expect(harness.requests[0]?.url).toBe('/portal/api/appointments/apt_alice_3d/cancellation');
  });

  it('reports an unreachable proxy as network_error', async () => {
    // A real connection to a closed port, not a stub.
    const client = createCancelApiClient({ apiBaseUrl: 'http://127.0.0.1:9/api' });
    await expect(client.getAppointment('apt_alice_3d')).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });

  it('reports an answer outside the contract as invalid_response', async () => {
    const harness = await createWidgetHarness();
    // The proxy's health route answers 200 with a body that is not an appointment.
    const client = createCancelApiClient({
      fetch: (_input, init) => harness.backend.handler(new Request('http://portal.test/api/healthz', { method: init?.method ?? 'GET' })),
    });
    await expect(client.getAppointment('apt_alice_3d')).rejects.toMatchObject({ code: 'invalid_response', status: 200 });
  });
});
