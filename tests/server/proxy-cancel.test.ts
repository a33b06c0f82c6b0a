import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBackend, TEST_HEIM_KEY, type TestBackend } from '../support/backend';
import { FIXED_NOW, cancelRequest, freshKey, json } from './helpers';

let backend: TestBackend;
let token: string;

beforeEach(async () => {
  backend = await createTestBackend({ now: () => FIXED_NOW });
  token = await backend.tokenFor('p_demo_alice');
});
afterEach(() => backend.close());

const send = (request: Request) => {
  const headers = new Headers(request.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return backend.handler(new Request(request, { headers }));
};
const upstreamPosts = () => backend.simulator.ledger.filter((entry) => entry.method === 'POST');

describe('POST /appointments/{id}/cancel: the happy path', () => {
  it('sends Heim exactly one cancel, byte for byte as the guide describes', async () => {
    const response = await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'patient_unwell', note: '  Feeling too ill today ' } }));
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.status).toBe('cancelled');
    expect(body.cancellation).toMatchObject({ reasonCode: 'patient_unwell', causingEntity: 'patient', cancellingEntity: 'patient' });
    expect(body.charge.state).toBe('free');

    const posts = upstreamPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.path).toBe('/v1/appointments/apt_alice_3d/cancel');
    expect(posts[0]!.body).toBe(
      '{"note":"Cancelled by the patient in the customer portal. Reason: I\'m unwell. Patient\'s note: \\"Feeling too ill today\\"","causingEntity":"patient","cancellingEntity":"patient","reasonCode":"patient_unwell"}',
    );
    expect(posts[0]!.headers.authorization).toBe(TEST_HEIM_KEY);
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
    // The operations log says what Heim answered, success included.
    expect(backend.logs).toContainEqual(
      expect.objectContaining({ event: 'cancel.upstream', appointmentId: 'apt_alice_3d', outcome: 'ok', upstreamStatus: posts[0]!.status }),
    );
    expect(posts[0]!.status).toBeGreaterThanOrEqual(200);
  });

  it('derives causingEntity from the reason: practitioner when the practitioner is late', async () => {
    const response = await send(cancelRequest('apt_alice_30m_ago', { body: { reasonCode: 'practitioner_late', acknowledgeCharge: true } }));
    expect(response.status).toBe(200);
    expect(JSON.parse(upstreamPosts()[0]!.body)).toEqual({
      // Past the ETA cancelling may be charged: the patient acknowledged it, and Operations read so.
      note: "Cancelled by the patient in the customer portal. Reason: The practitioner hasn't arrived. The patient was warned that cancelling may be charged and acknowledged the warning.",
      causingEntity: 'practitioner',
      cancellingEntity: 'patient',
      reasonCode: 'practitioner_late',
    });
  });

  it('forwards no client header, cookie or field upstream', async () => {
    const request = cancelRequest('apt_alice_3d', {
      headers: {
        cookie: 'portal_session=whatever; tracking=1',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
        'x-middleware-subrequest': 'middleware',
      },
    });
    expect((await send(request)).status).toBe(200);
    const headers = upstreamPosts()[0]!.headers;
    expect(Object.keys(headers).filter((name) => /cookie|forwarded|middleware|x-requested-with|idempotency|origin/.test(name))).toEqual([]);
    expect(headers.authorization).toBe(TEST_HEIM_KEY);
  });
});

describe('never twice', () => {
  it('answers a retry with the same key the same way, without a second POST', async () => {
    const key = freshKey();
    const first = await send(cancelRequest('apt_alice_3d', { key }));
    const second = await send(cancelRequest('apt_alice_3d', { key }));
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await first.text());
    expect(upstreamPosts()).toHaveLength(1);
  });

  it('answers a new key after success with already_cancelled and the cancellation', async () => {
    await send(cancelRequest('apt_alice_3d'));
    const again = await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'no_longer_required' } }));
    expect(again.status).toBe(409);
    const body = await json(again);
    expect(body.error.code).toBe('already_cancelled');
    expect(body.error.cancellation.reasonCode).toBe('patient_unwell');
    expect(upstreamPosts()).toHaveLength(1);
  });

  it('collapses ten concurrent confirms from several tabs into one upstream POST', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => send(cancelRequest('apt_alice_3d'))));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(upstreamPosts()).toHaveLength(1);
  });

  it('refuses the same key with a different body (422) and sends nothing more', async () => {
    const key = freshKey();
    await send(cancelRequest('apt_alice_3d', { key }));
    const reused = await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'no_longer_required' } }));
    expect(reused.status).toBe(422);
    expect((await json(reused)).error.code).toBe('idempotency_key_reused');
    const otherAppointment = await send(cancelRequest('apt_alice_30h', { key }));
    expect(otherAppointment.status).toBe(422);
    expect(upstreamPosts()).toHaveLength(1);
  });

  it('reports an appointment cancelled before as already_cancelled, without a POST', async () => {
    const response = await send(cancelRequest('apt_alice_cancelled'));
    expect(response.status).toBe(409);
    expect((await json(response)).error).toMatchObject({ code: 'already_cancelled', cancellation: { id: 'can_alice_cancelled' } });
    expect(upstreamPosts()).toHaveLength(0);
  });

  it('refuses a completed appointment as not_cancellable', async () => {
    const response = await send(cancelRequest('apt_alice_completed'));
    expect(response.status).toBe(409);
    expect((await json(response)).error.code).toBe('not_cancellable');
    expect(upstreamPosts()).toHaveLength(0);
  });
});

describe('charges', () => {
  it('requires an acknowledgement inside the window and sends nothing without it', async () => {
    const refused = await send(cancelRequest('apt_alice_5h'));
    expect(refused.status).toBe(409);
    const body = await json(refused);
    expect(body.error.code).toBe('charge_acknowledgement_required');
    expect(body.error.charge).toMatchObject({ state: 'chargeable', windowHours: 24 });
    expect(upstreamPosts()).toHaveLength(0);

    const accepted = await send(cancelRequest('apt_alice_5h', { body: { reasonCode: 'patient_unwell', acknowledgeCharge: true } }));
    expect(accepted.status).toBe(200);
    expect((await json(accepted)).charge.state).toBe('chargeable');
  });

  it('needs no acknowledgement when there is no ETA', async () => {
    expect((await send(cancelRequest('apt_alice_noeta'))).status).toBe(200);
  });
});

describe('bad input changes nothing', () => {
  const cases: [string, Parameters<typeof cancelRequest>[1], number, string][] = [
    ['a reason a patient may not give', { body: { reasonCode: 'organisation_cancelled' } }, 400, 'invalid_request'],
    ['practitioner_late before the ETA', { body: { reasonCode: 'practitioner_late' } }, 400, 'invalid_request'],
    ['an unknown reason', { body: { reasonCode: 'bored' } }, 400, 'invalid_request'],
    ['a cancellingEntity override', { body: { reasonCode: 'patient_unwell', cancellingEntity: 'organisation' } }, 400, 'invalid_request'],
    ['a causingEntity override', { body: { reasonCode: 'patient_unwell', causingEntity: 'platform' } }, 400, 'invalid_request'],
    ['__proto__ pollution', { rawBody: '{"reasonCode":"patient_unwell","__proto__":{"admin":true}}' }, 400, 'invalid_request'],
    ['a note over 500 characters', { body: { reasonCode: 'patient_unwell', note: 'x'.repeat(501) } }, 400, 'invalid_request'],
    ['"another reason" without a note', { body: { reasonCode: 'patient_cancelled', note: ' \u202E ' } }, 400, 'invalid_request'],
    ['acknowledgeCharge as a string', { body: { reasonCode: 'patient_unwell', acknowledgeCharge: 'true' } }, 400, 'invalid_request'],
    ['an array body', { rawBody: '[]' }, 400, 'invalid_request'],
    ['malformed JSON', { rawBody: '{"reasonCode":' }, 400, 'invalid_request'],
    ['an empty body', { rawBody: '' }, 400, 'invalid_request'],
    ['no Idempotency-Key', { key: null }, 400, 'missing_idempotency_key'],
    ['a short Idempotency-Key', { key: 'short' }, 400, 'missing_idempotency_key'],
    ['an Idempotency-Key with odd characters', { key: 'abc def ghi' }, 400, 'missing_idempotency_key'],
    ['no X-Requested-With', { headers: { 'x-requested-with': null } }, 403, 'csrf_rejected'],
    ['a foreign Origin', { headers: { origin: 'https://evil.example' } }, 403, 'csrf_rejected'],
    ['a null Origin', { headers: { origin: 'null' } }, 403, 'csrf_rejected'],
    ['Sec-Fetch-Site: cross-site', { headers: { 'sec-fetch-site': 'cross-site' } }, 403, 'csrf_rejected'],
    ['a text/plain form post', { headers: { 'content-type': 'text/plain' } }, 403, 'csrf_rejected'],
    ['a urlencoded form post', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 403, 'csrf_rejected'],
    ['application/xml', { headers: { 'content-type': 'application/xml' } }, 415, 'unsupported_media_type'],
    ['a body over 16 KiB', { rawBody: JSON.stringify({ reasonCode: 'patient_unwell', note: 'x'.repeat(17 * 1024) }) }, 413, 'payload_too_large'],
  ];

  it.each(cases)('refuses %s', async (_name, init, status, code) => {
    const response = await send(cancelRequest('apt_alice_3d', init));
    expect(response.status).toBe(status);
    const body = await json(response);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    expect(JSON.stringify(body)).not.toContain(TEST_HEIM_KEY);
    expect(upstreamPosts()).toHaveLength(0);
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  });

  it('accepts a 500-character note once control characters are removed', async () => {
    const note = `${'a'.repeat(500)}\u0000\u202E`;
    expect((await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'patient_unwell', note } }))).status).toBe(200);
    expect(upstreamPosts()[0]!.body).not.toMatch(/[\u0000\u202E]/);
  });

  it('refuses a request without a session, and another patient, with nothing sent', async () => {
    const anonymous = await backend.handler(cancelRequest('apt_alice_3d'));
    expect(anonymous.status).toBe(401);
    const bilal = await backend.tokenFor('p_demo_bilal');
    const foreign = await backend.handler(
      new Request(cancelRequest('apt_alice_3d'), { headers: { ...Object.fromEntries(cancelRequest('apt_alice_3d').headers), authorization: `Bearer ${bilal}` } }),
    );
    expect(foreign.status).toBe(404);
    expect(upstreamPosts()).toHaveLength(0);
  });

  it('limits cancel attempts per session with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await send(cancelRequest('apt_alice_3d', { rawBody: '{}' }))).status);
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    const limited = await send(cancelRequest('apt_alice_3d'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(limited)).error.code).toBe('rate_limited');
  });
});

describe('when Heim misbehaves the patient is told the truth', () => {
  it('says upstream_error when Heim fails without cancelling, and a retry with the same key succeeds', async () => {
    backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    const key = freshKey();
    const failed = await send(cancelRequest('apt_alice_3d', { key }));
    expect(failed.status).toBe(502);
    expect((await json(failed)).error.code).toBe('upstream_error');
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
    const retried = await send(cancelRequest('apt_alice_3d', { key }));
    expect(retried.status).toBe(200);
  });

  it('says cancelled when Heim cancelled but answered an error', async () => {
    backend.simulator.setFault({ route: 'cancel', status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html', commit: true, times: 1 });
    const response = await send(cancelRequest('apt_alice_3d'));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('Bad gateway');
    expect(JSON.parse(text).status).toBe('cancelled');
    expect(upstreamPosts()).toHaveLength(1);
  });

  it('never leaks the key or a note into the logs', async () => {
    backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'patient_unwell', note: 'my private words' } }));
    await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'patient_unwell', note: 'my private words' } }));
    const logged = JSON.stringify(backend.logs);
    expect(backend.logs.length).toBeGreaterThan(0);
    expect(logged).not.toContain(TEST_HEIM_KEY);
    expect(logged).not.toContain('my private words');
  });
});
