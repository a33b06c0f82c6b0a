/**
 * End to end over real loopback HTTP: the simulator's signed webhook POSTs reach the proxy's
 * `/api/webhooks/heim`, which verifies them and re-reads Heim over HTTP.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signWebhook } from '../../src/simulator';
import { cancelInit, startLoopbackStack, type LoopbackStack } from './loopback';

const SECRET = `whsec_${Buffer.from('loopback-webhook-secret-32-bytes').toString('base64')}`;

let stack: LoopbackStack;
afterEach(async () => {
  await stack.heim.simulator.flushWebhooks();
  await stack.close();
});

async function start(overrides: Parameters<typeof startLoopbackStack>[0] = { webhookSecret: SECRET }): Promise<string> {
  stack = await startLoopbackStack(overrides);
  stack.heim.simulator.setWebhookTarget({ url: `${stack.proxyOrigin}/api/webhooks/heim`, secret: SECRET });
  return stack.session();
}

const reads = (id: string) =>
  stack.heim.simulator.ledger.filter((entry) => entry.method === 'GET' && entry.path === `/v1/appointments/${id}/cancellation`).length;

describe('webhooks over real HTTP', () => {
  it('delivers signed cancel and amendment events to the proxy, which re-reads Heim for each', async () => {
    const token = await start();
    const cancel = await fetch(
      `${stack.proxyOrigin}/api/appointments/apt_alice_3d/cancel`,
      cancelInit(token, stack.proxyOrigin, { reasonCode: 'patient_unwell' }, 'http_webhook_0001'),
    );
    expect(cancel.status).toBe(200);
    // Heim Operations amend it through the simulator's control route, as a person with curl would.
    const amend = await fetch(`${stack.heim.origin}/_sim/appointments/apt_alice_3d/amend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ causingEntity: 'platform' }),
    });
    expect(amend.status).toBe(200);
    await stack.heim.simulator.flushWebhooks();

    expect(stack.heim.simulator.webhookDeliveries.map((d) => [d.status, d.responses])).toEqual([
      ['delivered', [204]],
      ['delivered', [204]],
    ]);
    expect(reads('apt_alice_3d')).toBe(2);
    expect(stack.logs.filter((entry) => entry.event === 'webhook.appointment_cancelled')).toHaveLength(2);

    const view = await fetch(`${stack.proxyOrigin}/api/appointments/apt_alice_3d`, { headers: { cookie: `portal_session=${token}` } });
    expect((await view.json()).cancellation).toMatchObject({ causingEntity: 'platform' });
  });

  it('settles a cancel whose answer was lost, so the same key is then answered 200', async () => {
    const token = await start({ webhookSecret: SECRET, heim: { timeoutMs: 100 } });
    stack.heim.simulator.setFault({ route: 'cancel', latencyMs: 300, times: 1 });
    const init = () => cancelInit(token, stack.proxyOrigin, { reasonCode: 'patient_unwell' }, 'http_webhook_lost1');
    const first = await fetch(`${stack.proxyOrigin}/api/appointments/apt_alice_3d/cancel`, init());
    expect(first.status).toBe(202);

    await vi.waitFor(() => expect(stack.heim.simulator.webhookDeliveries[0]?.status).toBe('delivered'), { timeout: 3000 });
    expect(stack.logs).toContainEqual(expect.objectContaining({ event: 'webhook.appointment_cancelled', result: 'settled' }));
    const before = stack.heim.simulator.ledger.length;
    const retry = await fetch(`${stack.proxyOrigin}/api/appointments/apt_alice_3d/cancel`, init());
    expect(retry.status).toBe(200);
    expect(stack.heim.simulator.ledger.length).toBe(before);
  });

  it('refuses a tampered delivery over HTTP with 401 and reads nothing', async () => {
    await start();
    const body = JSON.stringify({ type: 'appointment.cancelled', data: { appointmentId: 'apt_alice_3d' } });
    const headers = signWebhook({ secret: SECRET, id: 'msg_http_tampered', timestamp: new Date(), body });
    const response = await fetch(`${stack.proxyOrigin}/api/webhooks/heim`, {
      method: 'POST',
      headers,
      body: body.replace('apt_alice_3d', 'apt_alice_5h'),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('unauthenticated');
    expect(stack.heim.simulator.ledger).toEqual([]);
  });

  it('is 404 when the proxy has no webhook secret, so the simulator\'s deliveries fail and are retried', async () => {
    await start({});
    const delivery = await stack.heim.simulator.sendWebhook(
      { type: 'appointment.cancelled', timestamp: new Date().toISOString(), data: { appointmentId: 'apt_alice_3d', cancellationId: 'can_x' } },
      { attempts: 2 },
    );
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2, responses: [404, 404] });
  });
});
