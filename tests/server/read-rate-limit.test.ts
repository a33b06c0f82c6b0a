/**
 * Reads have a per-patient limit of their own. Before, one valid session drove 1,000 Heim reads
 * with the organisation's key in 1.4 s (`GET /appointments/{random id}`, each a Heim 404): if Heim
 * throttles per key, one patient could break every patient. The default (300 a minute) is many
 * times what a widget asks (one read per 30 s per open dialog, pending polls backing off from 2 s),
 * and past it the answer is the contract's 429 `rate_limited` with `Retry-After`, before Heim.
 */
import { describe, expect, it } from 'vitest';
import { createCancelHandler, createPatientSession, loadConfigFromEnv, type CancelHandlerOptions, type LogEntry } from '../../src/server';
import { createSimulator } from '../../src/simulator';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, TEST_PORTAL_ORIGIN, TEST_SESSION_SECRET } from '../support/backend';
import { cancelRequest } from './helpers';

async function proxy(options: Partial<CancelHandlerOptions> = {}) {
  let clock = Date.parse('2026-11-24T09:00:00.000Z');
  const simulator = createSimulator({ apiKeys: [TEST_HEIM_KEY], seed: 'demo', now: () => clock });
  const logs: LogEntry[] = [];
  const handler = createCancelHandler({
    heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY, fetch: (input, init) => simulator.fetch(new Request(input, init)) },
    sessionSecret: TEST_SESSION_SECRET,
    allowedOrigins: [TEST_PORTAL_ORIGIN],
    logger: (entry) => logs.push(entry),
    now: () => clock,
    ...options,
  });
  const tokens = {
    alice: await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_alice' }),
    bilal: await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_bilal' }),
  };
  const as = (who: keyof typeof tokens, request: Request) => {
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${tokens[who]}`);
    return handler(new Request(request, { headers }));
  };
  const read = (who: keyof typeof tokens, path: string) => as(who, new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/${path}`));
  const heimReads = () => simulator.ledger.filter((entry) => entry.method === 'GET').length;
  const handlerWithoutSession = () => handler(new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_3d`));
  return { read, as, logs, tokens, heimReads, handlerWithoutSession, advance: (ms: number) => (clock += ms) };
}

describe('the read limit', () => {
  it('answers 429 rate_limited with Retry-After past 300 reads a minute, before Heim; other patients read on', async () => {
    const { read, logs, tokens, heimReads } = await proxy();
    for (let i = 0; i < 300; i += 1) expect((await read('alice', `apt_made_up_${i}`)).status).toBe(404);
    expect(heimReads()).toBe(300);

    for (let i = 0; i < 50; i += 1) {
      const refused = await read('alice', i % 2 === 0 ? `apt_made_up_x${i}` : 'apt_alice_3d/cancellation');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(refused.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect((await refused.json()).error).toEqual({ code: 'rate_limited', message: expect.stringMatching(/Too many reads.*Retry-After/) });
    }
    expect(heimReads()).toBe(300);
    expect((await read('bilal', 'apt_bilal_3d')).status).toBe(200);

    // One warning for the window, not one line per refusal: a script cannot flood the log either.
    const limited = logs.filter((entry) => entry.event === 'read.rate_limited');
    expect(limited).toEqual([
      {
        level: 'warn',
        event: 'read.rate_limited',
        method: 'GET',
        route: '/api/appointments/:appointmentId',
        patientId: 'p_demo_alice',
        limit: 300,
        windowMs: 60_000,
        retryAfterSeconds: 60,
      },
    ]);
    expect(logs.filter((entry) => entry.code === 'rate_limited')).toEqual([]);
    expect(JSON.stringify(logs)).not.toContain(tokens.alice);
  });

  it('counts both read routes in one budget, opens again with the next window, and is apart from the cancel limit', async () => {
    const { read, as, advance } = await proxy({ readRateLimit: { max: 4, windowMs: 60_000 }, rateLimit: { max: 1, windowMs: 60_000 } });
    expect((await read('alice', 'apt_alice_3d')).status).toBe(200);
    expect((await read('alice', 'apt_alice_3d/cancellation')).status).toBe(200);
    expect((await read('alice', 'apt_alice_3d')).status).toBe(200);
    expect((await read('alice', 'apt_alice_3d/cancellation')).status).toBe(200);
    const refused = await read('alice', 'apt_alice_3d/cancellation');
    expect(refused.status).toBe(429);
    advance(45_000);
    expect((await read('alice', 'apt_alice_3d')).headers.get('retry-after')).toBe('15');

    // Reads used up: the patient can still cancel (its own limit), and a cancel does not use reads.
    expect((await as('alice', cancelRequest('apt_alice_3d'))).status).toBe(200);
    advance(15_000);
    expect((await read('alice', 'apt_alice_3d')).status).toBe(200);
  });

  it('does not count requests refused before the session is known (they never reach Heim)', async () => {
    const { read, heimReads, handlerWithoutSession } = await proxy({ readRateLimit: { max: 2, windowMs: 60_000 } });
    // A bad id is 400 before the session; no session is 401 before any limit.
    for (let i = 0; i < 5; i += 1) expect((await read('alice', 'bad%20id')).status).toBe(400);
    for (let i = 0; i < 5; i += 1) expect((await handlerWithoutSession()).status).toBe(401);
    expect((await read('alice', 'apt_alice_3d')).status).toBe(200);
    expect((await read('alice', 'apt_alice_3d')).status).toBe(200);
    expect(heimReads()).toBe(2);
  });

  it('is set by readRateLimit, checked like rateLimit, and READ_RATE_LIMIT_PER_MINUTE in the bin', async () => {
    await expect(proxy({ readRateLimit: { max: 0, windowMs: 60_000 } })).rejects.toThrow('Invalid cancel handler option readRateLimit.max');
    await expect(proxy({ readRateLimit: { max: 5, window: 60_000 } as never })).rejects.toThrow(
      'readRateLimit.window: unknown option (did you mean readRateLimit.windowMs?)',
    );
    const env = {
      HEIM_API_URL: 'https://api.heim.health/v1',
      HEIM_API_KEY: 'test_config_key_1',
      PORTAL_SESSION_SECRET: 'config-session-secret-0123456789abcdef',
    };
    expect(loadConfigFromEnv(env).options).not.toHaveProperty('readRateLimit');
    expect(loadConfigFromEnv({ ...env, READ_RATE_LIMIT_PER_MINUTE: '600' }).options.readRateLimit).toEqual({ max: 600, windowMs: 60_000 });
    expect(() => loadConfigFromEnv({ ...env, READ_RATE_LIMIT_PER_MINUTE: '0' })).toThrow('READ_RATE_LIMIT_PER_MINUTE must be at least 1');
  });
});
