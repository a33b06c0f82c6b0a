/**
 * What a verified event does: the simulator signs and sends its real events to the proxy in
 * process; the proxy re-reads Heim for each, settles a pending cancel Heim now shows, and does
 * nothing twice for one `webhook-id`, whatever order the events arrive in.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signWebhook, type HeimWebhookEvent, type WebhookDelivery } from '../../src/simulator';
import { TEST_HEIM_KEY, createTestBackend, type TestBackend, type TestBackendOptions } from '../support/backend';
import { cancelRequest, freshKey, json } from './helpers';

const SECRET = `whsec_${Buffer.from('heim-webhook-test-secret-32bytes').toString('base64')}`;
const WEBHOOK_URL = 'http://portal.test/api/webhooks/heim';
const NOTE = 'canary note 7f3e: door code 4471';

let backend: TestBackend;
let token: string;
const responses: string[] = [];

async function start(options: TestBackendOptions = {}, deliverNow = true): Promise<void> {
  responses.length = 0;
  backend = await createTestBackend({ ...options, proxy: { webhookSecret: SECRET, ...options.proxy } });
  token = await backend.tokenFor('p_demo_alice');
  if (deliverNow) connectWebhooks();
}
afterEach(async () => {
  await backend.simulator.flushWebhooks();
  await backend.close();
});

/** The simulator's events go to the proxy in process, and every answer is kept for the leak check. */
function connectWebhooks(): void {
  backend.simulator.setWebhookTarget({
    url: WEBHOOK_URL,
    secret: SECRET,
    fetch: async (input, init) => {
      const response = await backend.handler(new Request(input, init));
      responses.push(`${response.status} ${await response.clone().text()}`);
      return response;
    },
  });
}

const send = async (request: Request) => {
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  const response = await backend.handler(new Request(request, { headers }));
  responses.push(await response.clone().text());
  return response;
};
const statusOf = async (id: string) =>
  json(await backend.handler(new Request(`http://portal.test/api/appointments/${id}/cancellation`, { headers: { authorization: `Bearer ${token}` } })));
const ledger = () => backend.simulator.ledger.map((entry) => `${entry.method} ${entry.path}`);
const cancellationReads = (id: string) => ledger().filter((line) => line === `GET /v1/appointments/${id}/cancellation`).length;
const webhookLogs = () => backend.logs.filter((entry) => entry.event.startsWith('webhook.'));
const deliveredOnce = (delivery: WebhookDelivery | undefined) => {
  expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, responses: [204] });
};

describe('a verified appointment.cancelled', () => {
  it('arrives from the simulator on cancel and on each amendment, each re-read from Heim', async () => {
    await start();
    const key = freshKey();
    const retry = () => send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'patient_unwell', note: NOTE } }));
    expect((await retry()).status).toBe(200);
    backend.simulator.amendCancellation('apt_alice_3d', { causingEntity: 'platform' });
    await backend.simulator.flushWebhooks();
    // "The proxy refreshes what it holds": a retry with the first key now gets the amended cancellation.
    expect((await json(await retry())).cancellation.causingEntity).toBe('platform');

    const deliveries = backend.simulator.webhookDeliveries;
    expect(deliveries.map((d) => d.event.type)).toEqual(['appointment.cancelled', 'appointment.cancelled']);
    deliveries.forEach(deliveredOnce);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(2);
    expect(cancellationReads('apt_alice_3d')).toBe(2);
    expect(webhookLogs()).toEqual([
      expect.objectContaining({ level: 'info', event: 'webhook.appointment_cancelled', appointmentId: 'apt_alice_3d', result: 'cancelled' }),
      expect.objectContaining({ level: 'info', event: 'webhook.appointment_cancelled', appointmentId: 'apt_alice_3d', result: 'cancelled' }),
    ]);
  });

  it('takes an amendment to a code outside the fifteen the API lists (204, not 502 for ever), and logs the change', async () => {
    await start();
    const key = freshKey();
    const retry = () => send(cancelRequest('apt_alice_3d', { key }));
    expect((await retry()).status).toBe(200);
    await backend.simulator.flushWebhooks();
    const held = backend.simulator.getCancellation('apt_alice_3d')!;
    // Heim Operations set a code the API does not list; Heim's reads show it from now on.
    backend.simulator.setFault({ route: 'cancellation', status: 200, body: JSON.stringify({ ...held, reasonCode: 'visit_merged' }) });
    backend.simulator.amendCancellation('apt_alice_3d', { causingEntity: 'organisation' });
    await backend.simulator.flushWebhooks();

    deliveredOnce(backend.simulator.webhookDeliveries[1]);
    expect((await json(await retry())).cancellation.reasonCode).toBe('visit_merged');
    expect(backend.logs).toContainEqual(
      expect.objectContaining({ event: 'cancel.amended', appointmentId: 'apt_alice_3d', reasonCodeBefore: 'patient_unwell', reasonCode: 'visit_merged' }),
    );
  });

  it('does nothing twice for one webhook-id: a replay is 204 with no second read or log', async () => {
    await start();
    await send(cancelRequest('apt_alice_3d'));
    await backend.simulator.flushWebhooks();
    const [original] = backend.simulator.webhookDeliveries;
    const readsBefore = ledger().length;

    const replay = await backend.simulator.sendWebhook(original!.event, { id: original!.id });
    const again = await backend.simulator.sendWebhook(original!.event, { id: original!.id });
    expect(replay.responses).toEqual([204]);
    expect(again.responses).toEqual([204]);
    expect(ledger().length).toBe(readsBefore);
    expect(webhookLogs().map((entry) => entry.event)).toEqual(['webhook.appointment_cancelled', 'webhook.duplicate', 'webhook.duplicate']);
  });

  it('handles two concurrent deliveries of one id once', async () => {
    await start();
    const event: HeimWebhookEvent = {
      type: 'appointment.cancelled',
      timestamp: new Date().toISOString(),
      data: { appointmentId: 'apt_alice_cancelled', cancellationId: 'can_x' },
    };
    const both = await Promise.all([
      backend.simulator.sendWebhook(event, { id: 'msg_concurrent' }),
      backend.simulator.sendWebhook(event, { id: 'msg_concurrent' }),
    ]);
    expect(both.map((d) => d.responses)).toEqual([[204], [204]]);
    expect(cancellationReads('apt_alice_cancelled')).toBe(1);
  });

  it('forgets an id after the dedupe window (10 minutes by the proxy clock): a late retry is read again', async () => {
    let offsetMs = 0;
    await start({ now: () => Date.now() + offsetMs });
    const event: HeimWebhookEvent = {
      type: 'appointment.cancelled',
      timestamp: new Date().toISOString(),
      data: { appointmentId: 'apt_alice_cancelled', cancellationId: 'can_x' },
    };
    await backend.simulator.sendWebhook(event, { id: 'msg_late' });
    offsetMs = 9 * 60_000;
    await backend.simulator.sendWebhook(event, { id: 'msg_late' });
    expect(cancellationReads('apt_alice_cancelled')).toBe(1);
    offsetMs = 10 * 60_000 + 1;
    await backend.simulator.sendWebhook(event, { id: 'msg_late' });
    expect(cancellationReads('apt_alice_cancelled')).toBe(2);
  });

  it('trusts nothing in the payload: an event for an appointment Heim shows not cancelled changes nothing', async () => {
    await start({ heim: { timeoutMs: 100 } });
    // Heim hangs past our timeout and then fails: the answer is lost, the cancel stays pending.
    backend.simulator.setFault({ route: 'cancel', latencyMs: 300, status: 500, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);

    const forged: HeimWebhookEvent = {
      type: 'appointment.cancelled',
      timestamp: new Date().toISOString(),
      data: { appointmentId: 'apt_alice_3d', cancellationId: 'can_made_up' },
    };
    expect((await backend.simulator.sendWebhook(forged)).responses).toEqual([204]);
    expect(webhookLogs()).toContainEqual(expect.objectContaining({ event: 'webhook.appointment_cancelled', result: 'not_cancelled' }));
    expect(await statusOf('apt_alice_3d')).toEqual({ cancellation: null, status: 'pending_confirmation' });
  });
});

describe('a cancel whose answer was lost', () => {
  it('is settled by the webhook: a same-key retry is then answered 200 without asking Heim again', async () => {
    await start({ heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', latencyMs: 300, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);

    // Heim commits after our timeout and fires appointment.cancelled.
    await vi.waitFor(() => expect(backend.simulator.webhookDeliveries[0]?.status).toBe('delivered'), { timeout: 2000 });
    expect(backend.logs).toContainEqual(expect.objectContaining({ event: 'cancel.reconciled', appointmentId: 'apt_alice_3d', result: 'cancelled' }));
    expect(webhookLogs()).toContainEqual(expect.objectContaining({ event: 'webhook.appointment_cancelled', result: 'settled' }));

    const heimCallsBefore = ledger().length;
    const retry = await send(cancelRequest('apt_alice_3d', { key }));
    expect(retry.status).toBe(200);
    expect(await json(retry)).toMatchObject({ status: 'cancelled', cancellation: { reasonCode: 'patient_unwell' } });
    // The webhook stored the final answer: the retry needed no read of Heim, and nothing was re-posted.
    expect(ledger().length).toBe(heimCallsBefore);
    expect(ledger().filter((line) => line.startsWith('POST'))).toHaveLength(1);
  });

  it('ends in Heim\'s truth when the amendment arrives before the original', async () => {
    await start({ heim: { timeoutMs: 100 } }, false);
    backend.simulator.setFault({ route: 'cancel', latencyMs: 300, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });
    const amended = backend.simulator.amendCancellation('apt_alice_3d', { causingEntity: 'platform' });

    // Both events were held (no target yet); now deliver them the wrong way round.
    const [original, amendment] = backend.simulator.webhookDeliveries;
    expect([original?.status, amendment?.status]).toEqual(['not_sent', 'not_sent']);
    connectWebhooks();
    expect((await backend.simulator.sendWebhook(amendment!.event, { id: amendment!.id })).responses).toEqual([204]);
    expect((await backend.simulator.sendWebhook(original!.event, { id: original!.id })).responses).toEqual([204]);
    expect(webhookLogs().map((entry) => entry.result)).toEqual(['settled', 'cancelled']);

    const truth = { causingEntity: 'platform', reasonCode: 'patient_unwell', updatedAt: amended.updatedAt };
    const retry = await send(cancelRequest('apt_alice_3d', { key }));
    expect(retry.status).toBe(200);
    expect((await json(retry)).cancellation).toMatchObject(truth);
    expect((await statusOf('apt_alice_3d')).cancellation).toMatchObject(truth);
  });

  it('ends in Heim\'s truth when several amendments arrive in reverse order', async () => {
    await start({}, false);
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(200);
    backend.simulator.amendCancellation('apt_alice_3d', { causingEntity: 'platform' });
    const last = backend.simulator.amendCancellation('apt_alice_3d', { causingEntity: 'practitioner', reasonCode: 'practitioner_late' });
    connectWebhooks();
    for (const delivery of [...backend.simulator.webhookDeliveries].reverse()) {
      expect((await backend.simulator.sendWebhook(delivery.event, { id: delivery.id })).responses).toEqual([204]);
    }
    expect(cancellationReads('apt_alice_3d')).toBe(3);
    const view = json(await backend.handler(new Request('http://portal.test/api/appointments/apt_alice_3d', { headers: { authorization: `Bearer ${token}` } })));
    expect((await view).cancellation).toMatchObject({ causingEntity: 'practitioner', reasonCode: 'practitioner_late', updatedAt: last.updatedAt });
  });
});

describe('when Heim cannot be read', () => {
  it('answers 502 and forgets the id, so the sender\'s retry is handled', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancellation', status: 503, times: 1 });
    const event: HeimWebhookEvent = {
      type: 'appointment.cancelled',
      timestamp: new Date().toISOString(),
      data: { appointmentId: 'apt_alice_cancelled', cancellationId: 'can_x' },
    };
    const delivery = await backend.simulator.sendWebhook(event, { id: 'msg_retry', attempts: 2 });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, responses: [502, 204] });
    expect(cancellationReads('apt_alice_cancelled')).toBe(2);
    expect(webhookLogs().map((entry) => [entry.level, entry.result])).toEqual([
      ['warn', 'unavailable'],
      ['info', 'cancelled'],
    ]);
  });
});

describe('secrets and notes', () => {
  it('never puts the webhook secret, the Heim key or a note in an answer or a log line', async () => {
    await start({ heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', latencyMs: 300, times: 1 });
    await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'patient_unwell', note: NOTE } }));
    await vi.waitFor(() => expect(backend.simulator.webhookDeliveries[0]?.status).toBe('delivered'), { timeout: 2000 });
    backend.simulator.amendCancellation('apt_alice_3d', { note: `${NOTE} (reviewed)` });
    const tampered = signWebhook({ secret: SECRET, id: 'msg_bad', timestamp: new Date(), body: '{}' });
    const bad = await backend.handler(new Request(WEBHOOK_URL, { method: 'POST', headers: tampered, body: '{"type":"x"}' }));
    expect(bad.status).toBe(401);
    responses.push(await bad.text());
    await backend.simulator.flushWebhooks();

    const everything = JSON.stringify({ responses, logs: backend.logs, deliveries: backend.simulator.webhookDeliveries });
    for (const secret of [SECRET, SECRET.slice('whsec_'.length), TEST_HEIM_KEY, 'canary note 7f3e', '4471']) {
      expect(everything).not.toContain(secret);
    }
    expect(webhookLogs().length).toBeGreaterThanOrEqual(3);
  });
});
