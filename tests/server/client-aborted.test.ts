/**
 * A body stream that fails while the proxy reads it is the client going away, not a fault of the
 * proxy: answered 400 `invalid_request` in the envelope and logged `proxy.client_aborted` at info.
 * (Over a real socket: tests/integration/client-abort.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { createCancelHandler, createPatientSession, type LogEntry } from '../../src/server';
import { readBodyText } from '../../src/server/read-body';
import { ProxyError } from '../../src/server/responses';
import { createSimulator } from '../../src/simulator';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, TEST_PORTAL_ORIGIN, TEST_SESSION_SECRET } from '../support/backend';

/** A body that sends a few bytes and then fails, as Node's stream does when the socket closes. */
function failingBody(error: unknown): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(new TextEncoder().encode('{"reasonCode":'));
      } else controller.error(error);
    },
  });
}

function aborted(): Error {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}

function post(url: string, headers: Record<string, string>, body: ReadableStream<Uint8Array>): Request {
  return new Request(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
}

describe('a client that goes away mid-body', () => {
  it('is a ClientAborted refusal from readBodyText, while a refusal the adapter put in the stream passes unchanged', async () => {
    const read = (error: unknown) => readBodyText(post('http://portal.test/x', {}, failingBody(error)));
    await expect(read(aborted())).rejects.toMatchObject({ name: 'ClientAbortedError', code: 'invalid_request', logReason: 'client_aborted' });
    const own = new ProxyError('internal_error', {}, 'body already read');
    await expect(read(own)).rejects.toBe(own);
  });

  it('is answered 400 in the envelope and logged at info as proxy.client_aborted, on the cancel and the webhook routes', async () => {
    const simulator = createSimulator({ apiKeys: [TEST_HEIM_KEY], seed: 'demo' });
    const logs: LogEntry[] = [];
    const handler = createCancelHandler({
      heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY, fetch: (input, init) => simulator.fetch(new Request(input, init)) },
      sessionSecret: TEST_SESSION_SECRET,
      webhookSecret: `whsec_${Buffer.from('client-aborted-webhook-secret-32b').toString('base64')}`,
      allowedOrigins: [TEST_PORTAL_ORIGIN],
      logger: (entry) => logs.push(entry),
    });
    const token = await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_alice' });
    const cancel = await handler(
      post(
        `${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_3d/cancel`,
        {
          'content-type': 'application/json',
          'x-requested-with': 'heim-cancel-widget',
          origin: TEST_PORTAL_ORIGIN,
          authorization: `Bearer ${token}`,
          'idempotency-key': 'client_aborted_0001',
        },
        failingBody(aborted()),
      ),
    );
    const webhook = await handler(
      post(
        `${TEST_PORTAL_ORIGIN}/api/webhooks/heim`,
        { 'webhook-id': 'msg_aborted', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
        failingBody(new TypeError('terminated')),
      ),
    );
    for (const response of [cancel, webhook]) {
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/not received in full/) });
    }
    expect(logs).toEqual([
      { level: 'info', event: 'proxy.client_aborted', method: 'POST', route: '/api/appointments/:appointmentId/cancel', errorCode: 'ECONNRESET' },
      { level: 'info', event: 'proxy.client_aborted', method: 'POST', route: '/api/webhooks/heim' },
    ]);
    expect(simulator.ledger).toEqual([]);
  });
});
