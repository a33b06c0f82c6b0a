/**
 * Every 401 answers the same (bff-api.md: `unauthenticated`), but the operations log says why:
 * a run of `expired` and a run of `invalid_signature` (a portal signing with another secret) call
 * for different fixes. The reason is the log's only: never the token, never a difference a client
 * could see.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createCancelHandler, createPatientSession, sessionKey, type LogEntry } from '../../src/server';
import { createSimulator } from '../../src/simulator';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, TEST_SESSION_SECRET } from '../support/backend';

const OTHER_SECRET = 'another-portal-secret-0123456789abcdefgh';
const READ_URL = 'http://portal.test/api/appointments/apt_alice_3d';

function proxy(extra: { authenticate?: () => null } = {}) {
  const simulator = createSimulator({ apiKeys: [TEST_HEIM_KEY], seed: 'demo' });
  const logs: LogEntry[] = [];
  const handler = createCancelHandler({
    heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY, fetch: (input, init) => simulator.fetch(new Request(input, init)) },
    ...(extra.authenticate ? { authenticate: extra.authenticate } : { sessionSecret: TEST_SESSION_SECRET }),
    logger: (entry) => logs.push(entry),
  });
  return { handler, logs, simulator };
}

const bearer = (token: string) => new Request(READ_URL, { headers: { authorization: `Bearer ${token}` } });
const cookie = (token: string) => new Request(READ_URL, { headers: { cookie: `portal_session=${token}` } });

async function tokens() {
  const now = Math.floor(Date.now() / 1000);
  const key = sessionKey(TEST_SESSION_SECRET);
  return {
    expired: await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'p_demo_alice', expiresInSeconds: -60 }),
    otherSecret: await createPatientSession({ secret: OTHER_SECRET, patientId: 'p_demo_alice' }),
    notAPatient: await createPatientSession({ secret: TEST_SESSION_SECRET, patientId: 'admin' }),
    hs512: await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('p_demo_alice').setExpirationTime(now + 600).sign(key),
    noExp: await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('p_demo_alice').sign(key),
    notYet: await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('p_demo_alice').setNotBefore(now + 600).setExpirationTime(now + 1200).sign(key),
  };
}

describe('the reason behind a 401', () => {
  it('is logged in proxy.refused for each kind of bad session, while every answer is byte for byte the same', async () => {
    const { handler, logs, simulator } = proxy();
    const t = await tokens();
    const cases: [Request, string][] = [
      [new Request(READ_URL), 'missing'],
      [new Request(READ_URL, { headers: { authorization: 'Bearer not a token' } }), 'malformed'],
      [cookie('abc.def'), 'malformed'],
      [bearer(t.expired), 'expired'],
      [bearer(t.otherSecret), 'invalid_signature'],
      [cookie(t.notAPatient), 'bad_subject'],
      [bearer(t.hs512), 'algorithm_not_allowed'],
      [bearer(t.noExp), 'missing_claim'],
      [bearer(t.notYet), 'invalid_claim'],
    ];
    const answers: string[] = [];
    for (const [request, reason] of cases) {
      logs.length = 0;
      const response = await handler(request);
      expect(response.status).toBe(401);
      answers.push(JSON.stringify([[...response.headers].sort(), await response.text()]));
      expect(logs).toEqual([
        { level: 'info', event: 'proxy.refused', code: 'unauthenticated', status: 401, method: 'GET', route: '/api/appointments/:appointmentId', reason },
      ]);
      const logged = JSON.stringify(logs);
      for (const token of Object.values(t)) {
        expect(logged).not.toContain(token);
        // Not even its signature or payload part.
        for (const part of token.split('.')) expect(logged).not.toContain(part);
      }
    }
    expect(new Set(answers).size).toBe(1);
    expect(simulator.ledger).toEqual([]);
  });

  it("says when the portal's authenticate found nobody signed in", async () => {
    const { handler, logs } = proxy({ authenticate: () => null });
    expect((await handler(new Request(READ_URL))).status).toBe(401);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'proxy.refused', code: 'unauthenticated', reason: 'authenticate_returned_null' }));
  });
});
