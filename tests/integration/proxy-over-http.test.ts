import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HTTP_HEIM_KEY, cancelInit, startLoopbackStack, type LoopbackStack } from './loopback';

let stack: LoopbackStack;
let token: string;

beforeEach(async () => {
  stack = await startLoopbackStack();
  token = await stack.session();
});
afterEach(() => stack.close());

const posts = () => stack.heim.simulator.ledger.filter((entry) => entry.method === 'POST');
const cancel = (id: string, body: unknown, key: string) =>
  fetch(`${stack.proxyOrigin}/api/appointments/${id}/cancel`, cancelInit(token, stack.proxyOrigin, body, key));

describe('the proxy against the simulator over real HTTP', () => {
  it('delivers the cancellation to Heim exactly as the guide describes', async () => {
    const response = await cancel('apt_alice_3d', { reasonCode: 'no_longer_required', note: 'Feeling better\nthanks' }, 'http_key_0001');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');

    const [post] = posts();
    expect(posts()).toHaveLength(1);
    expect(post!.path).toBe('/v1/appointments/apt_alice_3d/cancel');
    expect(post!.headers.authorization).toBe(HTTP_HEIM_KEY);
    expect(post!.headers['content-type']).toBe('application/json');
    expect(post!.body).toBe(
      JSON.stringify({
        note: 'Cancelled by the patient in the customer portal. Reason: I no longer need this visit. Patient\'s note: "Feeling better thanks"',
        causingEntity: 'patient',
        cancellingEntity: 'patient',
        reasonCode: 'no_longer_required',
      }),
    );
    expect(Object.keys(post!.headers)).not.toContain('cookie');
    const cancellation = await fetch(`${stack.heim.baseUrl}/appointments/apt_alice_3d/cancellation`, {
      headers: { authorization: HTTP_HEIM_KEY },
    });
    expect((await cancellation.json()).cancellingEntity).toBe('patient');
  });

  it('sends one POST per appointment however many concurrent confirms arrive', async () => {
    await stack.close();
    stack = await startLoopbackStack({ rateLimit: { max: 100, windowMs: 60_000 } });
    token = await stack.session();
    const ids = ['apt_alice_noeta', 'apt_alice_3d', 'apt_alice_30h'];
    const responses = await Promise.all(
      ids.flatMap((id) => Array.from({ length: 8 }, (_, i) => cancel(id, { reasonCode: 'patient_unwell' }, `conc_${id}_${i}`))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(21);
    expect(posts().map((p) => p.path).sort()).toEqual(ids.map((id) => `/v1/appointments/${id}/cancel`).sort());
  });

  it('sends nothing upstream for refused requests', async () => {
    const refusals = [
      fetch(`${stack.proxyOrigin}/api/appointments/apt_alice_3d/cancel`, {
        ...cancelInit(token, stack.proxyOrigin, { reasonCode: 'patient_unwell' }, 'nothing_001'),
        headers: { 'content-type': 'text/plain', cookie: `portal_session=${token}`, 'idempotency-key': 'nothing_001' },
      }),
      cancel('apt_alice_3d', { reasonCode: 'operator_error' }, 'nothing_002'),
      cancel('apt_alice_3d', { reasonCode: 'patient_unwell', cancellingEntity: 'organisation' }, 'nothing_003'),
      fetch(`${stack.proxyOrigin}/api/appointments/apt_alice_3d/cancel`, cancelInit('not.a.jwt', stack.proxyOrigin, { reasonCode: 'patient_unwell' }, 'nothing_004')),
      fetch(`${stack.proxyOrigin}/api/appointments/..%2F..%2Fadmin/cancel`, cancelInit(token, stack.proxyOrigin, { reasonCode: 'patient_unwell' }, 'nothing_005')),
    ];
    const statuses = (await Promise.all(refusals)).map((r) => r.status);
    expect(statuses).toEqual([403, 400, 400, 401, 400]);
    // Ownership and state checks read from Heim; nothing was ever posted.
    expect(posts()).toHaveLength(0);
  });
});

describe('lost answers are reconciled, never re-posted', () => {
  it('answers 202 when Heim committed but hung, then confirms by GET', async () => {
    await stack.close();
    stack = await startLoopbackStack({ heim: { timeoutMs: 300 } });
    token = await stack.session();
    stack.heim.simulator.setFault({ route: 'cancel', latencyMs: 1500, commit: true, times: 1 });
    stack.heim.simulator.setFault({ route: 'cancellation', status: 503, times: 1 });

    const pending = await cancel('apt_alice_30h', { reasonCode: 'patient_unwell' }, 'hang_key_001');
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ status: 'pending_confirmation' });

    const status = await fetch(`${stack.proxyOrigin}/api/appointments/apt_alice_30h/cancellation`, {
      headers: { cookie: `portal_session=${token}` },
    });
    expect(await status.json()).toMatchObject({ status: 'cancelled', cancellation: { reasonCode: 'patient_unwell' } });

    const retry = await cancel('apt_alice_30h', { reasonCode: 'patient_unwell' }, 'hang_key_001');
    expect(retry.status).toBe(200);
    // The hung POST is ledgered when the simulator finally answers it.
    await vi.waitFor(() => expect(posts()).toHaveLength(1), { timeout: 5000 });
    expect(posts()[0]!.status).toBe(200);
  });

  it('says upstream_error when Heim cannot be reached at all', async () => {
    await stack.close();
    stack = await startLoopbackStack({ heim: { baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 1000 } });
    token = await stack.session();
    const read = await fetch(`${stack.proxyOrigin}/api/appointments/apt_alice_3d`, { headers: { cookie: `portal_session=${token}` } });
    expect(read.status).toBe(502);
    const body = await read.json();
    expect(body.error.code).toBe('upstream_error');
    expect(JSON.stringify(body)).not.toContain(HTTP_HEIM_KEY);
  });
});
