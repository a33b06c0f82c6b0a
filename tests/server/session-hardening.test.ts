/**
 * Opt-in hardening of the package's own sessions. The contract (bff-api.md, "Who the patient is")
 * requires only `sub` and `exp`, and a portal may mint its tokens itself, so by default nothing
 * more is asked: a token that claims to last 95 years is still a session. A deployment that mints
 * its sessions with `createPatientSession` can bound their lifetime and require an audience.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createCancelHandler, createPatientSession, loadConfigFromEnv, sessionKey, type CancelHandlerOptions, type LogEntry } from '../../src/server';
import { createSimulator } from '../../src/simulator';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, TEST_SESSION_SECRET } from '../support/backend';

const READ_URL = 'http://portal.test/api/appointments/apt_alice_3d';
const YEAR_SECONDS = 365 * 24 * 60 * 60;

function proxy(options: Partial<CancelHandlerOptions> = {}) {
  const simulator = createSimulator({ apiKeys: [TEST_HEIM_KEY], seed: 'demo' });
  const logs: LogEntry[] = [];
  const handler = createCancelHandler({
    heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY, fetch: (input, init) => simulator.fetch(new Request(input, init)) },
    sessionSecret: TEST_SESSION_SECRET,
    logger: (entry) => logs.push(entry),
    ...options,
  });
  const read = (token: string) => handler(new Request(READ_URL, { headers: { authorization: `Bearer ${token}` } }));
  const reasons = () => logs.filter((entry) => entry.event === 'proxy.refused').map((entry) => entry.reason);
  return { read, reasons };
}

/** What a portal may mint itself: `sub` and `exp` only, no `iat`, no `aud`. */
function portalMinted(expiresInSeconds: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('p_demo_alice')
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(sessionKey(TEST_SESSION_SECRET));
}

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('session hardening', () => {
  it('is off by default: a portal-minted token with only sub and exp, even one for 95 years, is a session (the contract)', async () => {
    const { read } = proxy();
    expect((await read(await portalMinted(600))).status).toBe(200);
    expect((await read(await portalMinted(95 * YEAR_SECONDS))).status).toBe(200);
  });

  it('with sessionMaxLifetimeSeconds, refuses a token whose exp is further ahead (401, logged lifetime_too_long) and accepts one within it, iat or not', async () => {
    const { read, reasons } = proxy({ sessionMaxLifetimeSeconds: 3600 });
    const forever = await portalMinted(95 * YEAR_SECONDS);
    const refused = await read(forever);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('unauthenticated');
    expect(reasons()).toEqual(['lifetime_too_long']);
    // Refused again: a refused token is never remembered.
    expect((await read(forever)).status).toBe(401);
    expect((await read(await portalMinted(2 * 3600))).status).toBe(401);

    expect((await read(await portalMinted(3000))).status).toBe(200);
    expect((await read(await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_alice' }))).status).toBe(200);
  });

  it('with sessionAudience, refuses a token without that aud (logged wrong_audience) and accepts createPatientSession({ audience })', async () => {
    const { read, reasons } = proxy({ sessionAudience: 'heim-cancel' });
    expect((await read(await portalMinted(600))).status).toBe(401);
    const otherService = await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_alice', audience: 'billing' });
    expect((await read(otherService)).status).toBe(401);
    expect(reasons()).toEqual(['wrong_audience', 'wrong_audience']);
    const ours = await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_alice', audience: 'heim-cancel' });
    expect(claims(ours)).toMatchObject({ aud: 'heim-cancel', sub: 'p_demo_alice', iat: expect.any(Number), exp: expect.any(Number) });
    expect((await read(ours)).status).toBe(200);
  });

  it('createPatientSession always sets iat, and aud only when asked', async () => {
    const token = await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_alice', expiresInSeconds: 120 });
    const payload = claims(token);
    expect(payload.iat).toEqual(expect.any(Number));
    expect(payload.exp).toBe((payload.iat as number) + 120);
    expect(payload).not.toHaveProperty('aud');
  });

  it.each([
    [{ sessionMaxLifetimeSeconds: 30 }, 'sessionMaxLifetimeSeconds: must be at least 60 seconds'],
    [{ sessionMaxLifetimeSeconds: 95 * YEAR_SECONDS }, 'sessionMaxLifetimeSeconds: must be at most 31622400 seconds (a year)'],
    [{ sessionMaxLifetimeSeconds: 90.5 }, 'sessionMaxLifetimeSeconds: must be a whole number of seconds'],
    [{ sessionAudience: '' }, 'sessionAudience: must be 1 to 256 printable characters without spaces'],
    [{ sessionAudience: 'heim cancel' }, 'sessionAudience: must be 1 to 256 printable characters without spaces'],
  ])('refuses a bad option at creation: %o', (options, expected) => {
    expect(() => proxy(options as Partial<CancelHandlerOptions>)).toThrow(`Invalid cancel handler option ${expected}`);
  });

  it('is configured in the bin by PORTAL_SESSION_MAX_LIFETIME_SECONDS and PORTAL_SESSION_AUDIENCE', () => {
    const env = {
      HEIM_API_URL: 'https://api.heim.health/v1',
      HEIM_API_KEY: 'test_config_key_1',
      PORTAL_SESSION_SECRET: 'config-session-secret-0123456789abcdef',
    };
    expect(loadConfigFromEnv(env).options).not.toHaveProperty('sessionMaxLifetimeSeconds');
    expect(loadConfigFromEnv(env).options).not.toHaveProperty('sessionAudience');
    const set = loadConfigFromEnv({ ...env, PORTAL_SESSION_MAX_LIFETIME_SECONDS: '43200', PORTAL_SESSION_AUDIENCE: 'https://portal.example.org' });
    expect(set.options).toMatchObject({ sessionMaxLifetimeSeconds: 43200, sessionAudience: 'https://portal.example.org' });
    expect(() => loadConfigFromEnv({ ...env, PORTAL_SESSION_MAX_LIFETIME_SECONDS: '12h' })).toThrow(
      'PORTAL_SESSION_MAX_LIFETIME_SECONDS must be a whole number of seconds',
    );
  });
});
