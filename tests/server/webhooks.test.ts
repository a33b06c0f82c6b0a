/**
 * `POST /api/webhooks/heim`: what is refused (and that a refusal has no effect: no read of Heim,
 * nothing settled), what is accepted, and when the route exists at all.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCancelHandler, loadConfigFromEnv, ConfigError } from '../../src/server';
import { Webhook } from 'standardwebhooks';
import { signWebhook, type HeimWebhookEvent } from '../../src/simulator';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, TEST_SESSION_SECRET, createTestBackend, type TestBackend } from '../support/backend';
import { json } from './helpers';

const SECRET = `whsec_${Buffer.from('heim-webhook-test-secret-32bytes').toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.from('another-secret-of-thirty-two-byt').toString('base64')}`;
const URL_ = 'http://portal.test/api/webhooks/heim';

let backend: TestBackend;
afterEach(async () => {
  vi.useRealTimers();
  await backend?.close();
});

async function start(webhookSecret: string | null = SECRET): Promise<void> {
  backend = await createTestBackend(webhookSecret === null ? {} : { proxy: { webhookSecret } });
}

const event = (appointmentId = 'apt_alice_cancelled', type = 'appointment.cancelled'): HeimWebhookEvent =>
  ({ type, timestamp: new Date().toISOString(), data: { appointmentId, cancellationId: 'can_x' } }) as HeimWebhookEvent;

let counter = 0;
interface Delivery {
  body?: string;
  signedBody?: string;
  id?: string;
  timestamp?: Date;
  secret?: string;
  headers?: Record<string, string | null>;
}
function deliver(init: Delivery = {}): Promise<Response> {
  counter += 1;
  const body = init.body ?? JSON.stringify(event());
  const headers = new Headers(
    signWebhook({
      secret: init.secret ?? SECRET,
      id: init.id ?? `msg_test_${counter}`,
      timestamp: init.timestamp ?? new Date(),
      body: init.signedBody ?? body,
    }),
  );
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return backend.handler(new Request(URL_, { method: 'POST', headers, body }));
}

const heimReads = () => backend.simulator.ledger.length;

async function expectRefused(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  const body = await json(response);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/\w/);
  // No effect: Heim was not even read.
  expect(heimReads()).toBe(0);
  expect(backend.logs.filter((entry) => entry.event === 'webhook.appointment_cancelled')).toEqual([]);
}

describe('the route is off unless a secret is configured', () => {
  it('answers 404 not_found to a well-signed event when HEIM_WEBHOOK_SECRET is unset', async () => {
    await start(null);
    await expectRefused(await deliver(), 404, 'not_found');
    const get = await backend.handler(new Request(URL_));
    expect(get.status).toBe(404);
  });

  it('answers 405 with Allow: POST to other methods when on', async () => {
    await start();
    const response = await backend.handler(new Request(URL_));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('a signed event is verified on the raw body', () => {
  it('accepts a valid event with 204 and re-reads the cancellation from Heim', async () => {
    await start();
    const response = await deliver();
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(backend.simulator.ledger.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'GET /v1/appointments/apt_alice_cancelled/cancellation',
    ]);
    expect(backend.logs).toContainEqual(
      expect.objectContaining({ level: 'info', event: 'webhook.appointment_cancelled', appointmentId: 'apt_alice_cancelled', result: 'cancelled' }),
    );
  });

  it('needs no session and no CSRF headers (server to server)', async () => {
    await start();
    const response = await deliver({ headers: { origin: 'https://heim.example', 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(204);
  });

  it('refuses a garbage signature with 401', async () => {
    await start();
    await expectRefused(await deliver({ headers: { 'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' } }), 401, 'unauthenticated');
  });

  it('refuses a signature of an unknown version even if its bytes match', async () => {
    await start();
    const body = JSON.stringify(event());
    const real = signWebhook({ secret: SECRET, id: 'msg_v2', timestamp: new Date(), body })['webhook-signature']!;
    await expectRefused(await deliver({ id: 'msg_v2', body, headers: { 'webhook-signature': real.replace('v1,', 'v2,') } }), 401, 'unauthenticated');
  });

  it('refuses a tampered body (signed for one appointment, sent for another)', async () => {
    await start();
    const signedBody = JSON.stringify(event('apt_alice_cancelled'));
    const body = JSON.stringify(event('apt_bilal_cancelled'));
    const response = await deliver({ signedBody, body });
    await expectRefused(response, 401, 'unauthenticated');
  });

  it('refuses a body changed by a single byte of whitespace', async () => {
    await start();
    const signedBody = JSON.stringify(event());
    await expectRefused(await deliver({ signedBody, body: `${signedBody} ` }), 401, 'unauthenticated');
  });

  it('refuses a signature made with another secret', async () => {
    await start();
    const response = await deliver({ secret: OTHER_SECRET });
    expect((await json(response.clone())).error.message).toMatch(/HEIM_WEBHOOK_SECRET/);
    await expectRefused(response, 401, 'unauthenticated');
  });

  it('refuses a signature replayed under another webhook-id', async () => {
    await start();
    const body = JSON.stringify(event());
    const signature = signWebhook({ secret: SECRET, id: 'msg_original', timestamp: new Date(), body })['webhook-signature']!;
    await expectRefused(await deliver({ id: 'msg_other', body, headers: { 'webhook-signature': signature } }), 401, 'unauthenticated');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('refuses a request without %s with 401', async (header) => {
    await start();
    const response = await deliver({ headers: { [header]: null } });
    expect((await json(response.clone())).error.message).toMatch(/Missing webhook-id, webhook-timestamp or webhook-signature/);
    await expectRefused(response, 401, 'unauthenticated');
  });

  it.each([
    ['6 minutes old', -6 * 60_000],
    ['an hour old', -3_600_000],
    ['6 minutes ahead', 6 * 60_000],
    ['a day ahead', 86_400_000],
  ])('refuses a timestamp %s with 401', async (_label, offsetMs) => {
    await start();
    const response = await deliver({ timestamp: new Date(Date.now() + offsetMs) });
    expect((await json(response.clone())).error.message).toMatch(/webhook-timestamp/);
    await expectRefused(response, 401, 'unauthenticated');
  });

  it('accepts timestamps a little off either way (4 minutes)', async () => {
    await start();
    expect((await deliver({ timestamp: new Date(Date.now() - 4 * 60_000) })).status).toBe(204);
    expect((await deliver({ timestamp: new Date(Date.now() + 4 * 60_000) })).status).toBe(204);
  });

  it('puts the edge of the 5-minute tolerance at 300 s, by the wall clock', async () => {
    await start();
    vi.useFakeTimers({ toFake: ['Date'] });
    const now = Date.parse('2026-11-24T09:00:00.000Z');
    vi.setSystemTime(now);
    expect((await deliver({ timestamp: new Date(now - 300_000) })).status).toBe(204);
    expect((await deliver({ timestamp: new Date(now + 300_000) })).status).toBe(204);
    expect((await deliver({ timestamp: new Date(now - 301_000) })).status).toBe(401);
    expect((await deliver({ timestamp: new Date(now + 301_000) })).status).toBe(401);
  });

  it('refuses a timestamp that is not whole seconds', async () => {
    await start();
    const response = await deliver({ headers: { 'webhook-timestamp': `${Math.floor(Date.now() / 1000)}abc` } });
    await expectRefused(response, 401, 'unauthenticated');
  });

  it('logs a refusal without any header, body or secret', async () => {
    await start();
    await deliver({ secret: OTHER_SECRET });
    expect(backend.logs).toEqual([
      { level: 'warn', event: 'webhook.rejected', reason: 'signature' },
      { level: 'info', event: 'proxy.refused', code: 'unauthenticated', status: 401, method: 'POST', route: '/api/webhooks/heim' },
    ]);
  });
});

describe('requests that are not well-formed', () => {
  // The signature over the raw bytes is the credential, not the label: a sender posting a string
  // body without setting a type (fetch says text/plain) is still Heim if it signed it.
  it.each([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['form', 'application/x-www-form-urlencoded'],
    ['no', null],
  ])('accepts a signed event sent with %s Content-Type', async (_label, type) => {
    await start();
    expect((await deliver({ headers: { 'content-type': type } })).status).toBe(204);
    expect(backend.logs).toContainEqual(expect.objectContaining({ event: 'webhook.appointment_cancelled' }));
  });

  it('still refuses an unsigned text/plain body (401, Heim not read)', async () => {
    await start();
    await expectRefused(await deliver({ secret: OTHER_SECRET, headers: { 'content-type': 'text/plain' } }), 401, 'unauthenticated');
  });

  it('accepts application/json with a charset', async () => {
    await start();
    expect((await deliver({ headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(204);
  });

  it('refuses a body over 16 KiB with 413, streamed or declared', async () => {
    await start();
    const big = JSON.stringify({ ...event(), padding: 'x'.repeat(17 * 1024) });
    await expectRefused(await deliver({ body: big }), 413, 'payload_too_large');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const headers = signWebhook({ secret: SECRET, id: 'msg_stream', timestamp: new Date(), body: 'irrelevant' });
    const response = await backend.handler(new Request(URL_, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit));
    await expectRefused(response, 413, 'payload_too_large');
  });

  it.each([
    ['not JSON', 'not json at all'],
    ['an empty body', ''],
    ['JSON without a type', JSON.stringify({ data: { appointmentId: 'apt_alice_cancelled' } })],
    ['an appointment.cancelled without data', JSON.stringify({ type: 'appointment.cancelled' })],
    ['an appointment id that is not one', JSON.stringify({ type: 'appointment.cancelled', data: { appointmentId: '../admin' } })],
  ])('refuses a signed body that is %s with 400 invalid_request', async (_label, body) => {
    await start();
    await expectRefused(await deliver({ body }), 400, 'invalid_request');
  });

  it('refuses a webhook-id longer than 256 characters with 400', async () => {
    await start();
    await expectRefused(await deliver({ id: `msg_${'a'.repeat(300)}` }), 400, 'invalid_request');
  });

  it('accepts and ignores event types it does not act on, without reading Heim', async () => {
    await start();
    const response = await deliver({ body: JSON.stringify(event('apt_alice_3d', 'appointment.updated')) });
    expect(response.status).toBe(204);
    expect(heimReads()).toBe(0);
    expect(backend.logs).toContainEqual(expect.objectContaining({ event: 'webhook.ignored', webhookType: 'appointment.updated' }));
  });
});

describe('configuring the secret', () => {
  const base = { HEIM_API_URL: 'https://api.heim.health/v1', HEIM_API_KEY: 'test_cfg_key_1', PORTAL_SESSION_SECRET: TEST_SESSION_SECRET };

  it('reads HEIM_WEBHOOK_SECRET, and leaves the route off when it is unset or empty', () => {
    expect(loadConfigFromEnv({ ...base, HEIM_WEBHOOK_SECRET: SECRET }).options.webhookSecret).toBe(SECRET);
    expect(loadConfigFromEnv(base).options).not.toHaveProperty('webhookSecret');
    expect(loadConfigFromEnv({ ...base, HEIM_WEBHOOK_SECRET: '' }).options).not.toHaveProperty('webhookSecret');
  });

  it.each([
    ['not base64', 'whsec_not*base64!at-all_0123456789'],
    ['too short (16 bytes)', `whsec_${Buffer.from('sixteen-bytes-ok').toString('base64')}`],
    ['a password', 'hunter2hunter2hunter2hunter2hunter2'],
  ])('refuses a secret with %s at start-up, naming the variable but never the value', (_label, value) => {
    let error: unknown;
    try {
      loadConfigFromEnv({ ...base, HEIM_WEBHOOK_SECRET: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^HEIM_WEBHOOK_SECRET must be a Standard Webhooks secret: the base64 of at least 24 random bytes/);
    expect((error as Error).message).not.toContain(value);
  });

  it('takes the secret without its whsec_ prefix, as standardwebhooks does, and verifies what is signed with it', async () => {
    const bare = SECRET.slice('whsec_'.length);
    expect(loadConfigFromEnv({ ...base, HEIM_WEBHOOK_SECRET: bare }).options.webhookSecret).toBe(bare);
    await start(bare);
    // A sender configured with the same bare secret, signing with the library itself.
    const body = JSON.stringify(event());
    const timestamp = new Date();
    const signature = new Webhook(bare).sign('msg_bare_1', timestamp, body);
    const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_bare_1', 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature };
    expect((await backend.handler(new Request(URL_, { method: 'POST', headers, body }))).status).toBe(204);
  });

  it('refuses a malformed webhookSecret option when the handler is created', () => {
    const create = () =>
      createCancelHandler({ heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY }, sessionSecret: TEST_SESSION_SECRET, webhookSecret: 'whsec_short' });
    expect(create).toThrow(/^Invalid cancel handler option webhookSecret: must be a Standard Webhooks secret/);
  });
});
