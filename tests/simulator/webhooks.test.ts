/**
 * The simulator's outgoing `appointment.cancelled` webhooks: signed per Standard Webhooks (checked
 * here with the `standardwebhooks` package's own verifier), sent on each cancel and amendment,
 * never holding up the API answer, retried with backoff, and recorded.
 */
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createSimulator, type WebhookTarget } from '../../src/simulator/index';
import { T0, VALID_CANCEL, cancel, simulatorAt, testClock } from './support';

const SECRET = `whsec_${Buffer.from('simulator-webhook-secret-32bytes').toString('base64')}`;
const URL_ = 'http://receiver.test/hooks';

interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver in process: records every POST and answers with the next scripted status (default 204). */
function receiver(script: Array<number | 'throw' | 'hang'> = []) {
  const received: Received[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    received.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
    const step = script.shift() ?? 204;
    if (step === 'throw') throw new TypeError('fetch failed');
    if (step === 'hang') await released;
    return new Response(null, { status: step === 'hang' ? 204 : step });
  };
  const target: WebhookTarget = { url: URL_, secret: SECRET, fetch };
  return { received, target, release };
}

describe('events the simulator sends', () => {
  it('signs appointment.cancelled on cancel, verifiable with the Standard Webhooks library', async () => {
    const { received, target } = receiver();
    const sim = simulatorAt(testClock(), { webhook: target });
    const cancelled = await (await cancel(sim, 'apt_alice_3d')).json();
    await sim.flushWebhooks();

    expect(received).toHaveLength(1);
    const [post] = received;
    expect(post!.url).toBe(URL_);
    expect(post!.headers['content-type']).toBe('application/json');
    expect(post!.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    // The header is the wall clock (receivers check it against theirs); the payload is Heim's time.
    expect(Math.abs(Number(post!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    const payload = new Webhook(SECRET).verify(post!.body, post!.headers);
    expect(payload).toEqual({
      type: 'appointment.cancelled',
      timestamp: new Date(T0).toISOString(),
      data: { appointmentId: 'apt_alice_3d', cancellationId: cancelled.id },
    });
    expect(post!.body).not.toContain(VALID_CANCEL.note);
    expect(sim.webhookDeliveries).toEqual([
      { id: post!.headers['webhook-id'], event: payload, status: 'delivered', attempts: 1, responses: [204] },
    ]);
  });

  it('sends another event, with a new id, on every amendment by Heim Operations', async () => {
    const { received, target } = receiver();
    const sim = simulatorAt(testClock(), { webhook: target });
    sim.amendCancellation('apt_bilal_cancelled', { causingEntity: 'platform' });
    sim.amendCancellation('apt_bilal_cancelled', { note: 'Reviewed.' });
    await sim.flushWebhooks();
    expect(received.map((r) => JSON.parse(r.body).data.appointmentId)).toEqual(['apt_bilal_cancelled', 'apt_bilal_cancelled']);
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(2);
    expect(received.every((r) => !r.body.includes('Reviewed.'))).toBe(true);
  });

  it('sends an event when Heim cancelled even though the answer was a fault, and none when it refused', async () => {
    const { received, target } = receiver();
    const sim = simulatorAt(testClock(), { webhook: target });
    sim.setFault({ route: 'cancel', status: 503, commit: true, times: 1 });
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(503);
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(409);
    expect((await cancel(sim, 'apt_alice_completed')).status).toBe(409);
    sim.setFault({ route: 'cancel', status: 500, times: 1 });
    expect((await cancel(sim, 'apt_alice_30h')).status).toBe(500);
    await sim.flushWebhooks();
    expect(received.map((r) => JSON.parse(r.body).data.appointmentId)).toEqual(['apt_alice_3d']);
  });

  it('sends nothing for seeded cancellations', async () => {
    const { received, target } = receiver();
    const sim = simulatorAt(testClock(), { webhook: target });
    await sim.flushWebhooks();
    expect(received).toEqual([]);
    expect(sim.webhookDeliveries).toEqual([]);
  });
});

describe('delivery', () => {
  it('never holds up the API answer: the cancel is answered while the receiver hangs', async () => {
    const { received, target, release } = receiver(['hang']);
    const sim = simulatorAt(testClock(), { webhook: target });
    expect((await cancel(sim, 'apt_alice_3d')).status).toBe(200);
    await Promise.resolve();
    expect(sim.webhookDeliveries[0]).toMatchObject({ status: 'pending', attempts: 1, responses: [] });
    release();
    await sim.flushWebhooks();
    expect(received).toHaveLength(1);
    expect(sim.webhookDeliveries[0]).toMatchObject({ status: 'delivered', responses: [204] });
  });

  it('retries failures with backoff, keeping the id and re-signing each attempt', async () => {
    const { received, target } = receiver([500, 'throw', 429, 204]);
    const sim = simulatorAt(testClock(), { webhook: target, webhookRetryDelaysMs: [5, 10, 20] });
    const started = Date.now();
    await cancel(sim, 'apt_alice_3d');
    await sim.flushWebhooks();
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(sim.webhookDeliveries[0]).toMatchObject({ status: 'delivered', attempts: 4, responses: [500, null, 429, 204] });
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const r of received) expect(() => new Webhook(SECRET).verify(r.body, r.headers)).not.toThrow();
  });

  it('gives up after the last retry and records the failure', async () => {
    const { target } = receiver([503, 503, 503, 503, 503]);
    const sim = simulatorAt(testClock(), { webhook: target, webhookRetryDelaysMs: [1, 1, 1] });
    await cancel(sim, 'apt_alice_3d');
    await sim.flushWebhooks();
    expect(sim.webhookDeliveries[0]).toMatchObject({ status: 'failed', attempts: 4, responses: [503, 503, 503, 503] });
  });

  it('records events as not_sent without a target; sendWebhook delivers them later, in any order, under any id', async () => {
    const sim = simulatorAt(testClock());
    await cancel(sim, 'apt_alice_3d');
    sim.amendCancellation('apt_alice_3d', { causingEntity: 'platform' });
    const held = sim.webhookDeliveries;
    expect(held.map((d) => d.status)).toEqual(['not_sent', 'not_sent']);
    await expect(sim.sendWebhook(held[0]!.event)).rejects.toThrow(/setWebhookTarget/);

    const { received, target } = receiver([401]);
    sim.setWebhookTarget(target);
    const old = new Date(Date.now() - 10 * 60_000);
    const first = await sim.sendWebhook(held[1]!.event, { id: held[1]!.id, timestamp: old });
    expect(first).toMatchObject({ id: held[1]!.id, status: 'failed', attempts: 1, responses: [401] });
    expect(received[0]!.headers['webhook-timestamp']).toBe(String(Math.floor(old.getTime() / 1000)));
    await sim.sendWebhook(held[0]!.event, { id: held[0]!.id });
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([held[1]!.id, held[0]!.id]);
    expect(sim.webhookDeliveries).toHaveLength(4);
  });

  it('stops delivering when the target is cleared, and forgets deliveries on reset', async () => {
    const { received, target } = receiver();
    const sim = simulatorAt(testClock(), { webhook: target });
    sim.setWebhookTarget(null);
    await cancel(sim, 'apt_alice_3d');
    await sim.flushWebhooks();
    expect(received).toEqual([]);
    expect(sim.webhookDeliveries).toHaveLength(1);
    sim.reset();
    expect(sim.webhookDeliveries).toEqual([]);
  });
});

describe('configuration', () => {
  it.each([
    ['a relative URL', { url: '/hooks', secret: SECRET }, /webhook\.url/],
    ['a non-HTTP URL', { url: 'ftp://receiver.test/hooks', secret: SECRET }, /webhook\.url/],
    ['a secret without whsec_', { url: URL_, secret: 'plain-password-123456789' }, /webhook\.secret/],
    ['a secret that is not base64', { url: URL_, secret: 'whsec_***not-base64***' }, /webhook\.secret/],
  ])('refuses %s with a clear error that never echoes the secret', (_label, target, message) => {
    expect(() => createSimulator({ webhook: target })).toThrow(message);
    const thrown = (() => {
      try {
        createSimulator().setWebhookTarget(target);
        return null;
      } catch (error) {
        return error as Error;
      }
    })();
    expect(thrown?.message).toMatch(message);
    expect(thrown?.message).not.toContain(target.secret);
  });

  it('refuses negative retry delays', () => {
    expect(() => createSimulator({ webhookRetryDelaysMs: [-1] })).toThrow(/webhookRetryDelaysMs/);
  });
});
