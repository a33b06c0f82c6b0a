/**
 * A portal's `authenticate` that throws or answers the wrong shape is the portal's set-up, and the
 * answer and the log say so. Before, a throw on a read answered "read the cancellation status
 * before trying again" and logged only `errorName: 'Error'`; a wrong shape (`{ id }`, a user
 * object without `patientId`) answered 404 for every appointment with nothing logged.
 */
import { describe, expect, it } from 'vitest';
import { createCancelHandler, type Authenticate, type LogEntry } from '../../src/server';
import { createSimulator } from '../../src/simulator';
import { TEST_HEIM_BASE_URL, TEST_PORTAL_ORIGIN } from '../support/backend';
import { cancelRequest, json } from './helpers';

const HEIM_KEY = 'test_authenticate_set_up_key_7d2e';

function proxyWith(authenticate: Authenticate) {
  const simulator = createSimulator({ apiKeys: [HEIM_KEY], seed: 'demo' });
  const logs: LogEntry[] = [];
  const handler = createCancelHandler({
    heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: HEIM_KEY, fetch: (input, init) => simulator.fetch(new Request(input, init)) },
    authenticate,
    allowedOrigins: [TEST_PORTAL_ORIGIN],
    logger: (entry) => logs.push(entry),
  });
  return { handler, logs, simulator };
}

const read = (path = '') => new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_3d${path}`);

describe('an authenticate that throws', () => {
  const thrower: Authenticate = () => {
    // Its message holds the Heim key by accident: the message is not logged at all (nor returned).
    throw new TypeError(`Cannot read properties of undefined (reading 'patientId') near ${HEIM_KEY}`);
  };

  it('on a read: 500 internal_error saying authenticate failed and nothing changed, logged with its stage and name, never its message', async () => {
    const { handler, logs } = proxyWith(thrower);
    const response = await handler(read());
    expect(response.status).toBe(500);
    const { error } = await json(response);
    expect(error.code).toBe('internal_error');
    expect(error.message).toMatch(/authenticate/);
    expect(error.message).toMatch(/nothing was changed/);
    expect(error.message).not.toMatch(/cancellation status/);
    expect(logs).toEqual([
      {
        level: 'error',
        event: 'proxy.unhandled_error',
        stage: 'authenticate',
        errorName: 'TypeError',
        route: '/api/appointments/:appointmentId',
      },
    ]);
  });

  it('on a cancel: the same, and nothing is sent to Heim', async () => {
    const { handler, logs, simulator } = proxyWith(thrower);
    const response = await handler(cancelRequest('apt_alice_3d'));
    expect(response.status).toBe(500);
    expect((await json(response)).error.message).toMatch(/authenticate.*nothing was changed/);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'proxy.unhandled_error', stage: 'authenticate', route: '/api/appointments/:appointmentId/cancel' }));
    expect(simulator.ledger).toEqual([]);
  });

  it("a rejected promise counts the same as a throw, logged with the error's code but not its message (it may hold the portal's secrets)", async () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED redis://:s3cret-store-password@10.0.0.5:6379'), { code: 'ECONNREFUSED' });
    const { handler, logs } = proxyWith(() => Promise.reject(unreachable));
    expect((await handler(read('/cancellation'))).status).toBe(500);
    expect(logs).toEqual([
      { level: 'error', event: 'proxy.unhandled_error', stage: 'authenticate', errorName: 'Error', errorCode: 'ECONNREFUSED', route: '/api/appointments/:appointmentId/cancellation' },
    ]);
    expect(JSON.stringify(logs)).not.toContain('s3cret-store-password');
  });
});

describe('an authenticate that answers the wrong shape', () => {
  it.each([
    ['an object without patientId', { id: 'p_demo_alice' }, /without patientId \(its keys: id\)/],
    ['patientId undefined', { patientId: undefined }, /without patientId/],
    ['a patientId that is not a Heim patient id', { patientId: 'alice@example.org' }, /patientId is not a Heim patient id/],
    ['a patientId that is a number', { patientId: 42 }, /patientId is a number/],
    ['undefined (a forgotten return)', undefined, /returned undefined \(return null when nobody is signed in\)/],
    ['a bare string', 'p_demo_alice', /returned a string/],
  ])('%s: 500 internal_error naming the fix, logged as an error with the expected shape', async (_name, answer, why) => {
    const { handler, logs, simulator } = proxyWith(() => answer as never);
    const response = await handler(read());
    expect(response.status).toBe(500);
    const { error } = await json(response);
    expect(error.code).toBe('internal_error');
    expect(error.message).toMatch(/authenticate returned something other than \{ patientId: 'p_…' \} or null/);
    expect(logs).toEqual([
      expect.objectContaining({ level: 'error', event: 'proxy.refused', code: 'internal_error', status: 500, route: '/api/appointments/:appointmentId' }),
    ]);
    const reason = String(logs[0]!.reason);
    expect(reason).toContain("authenticate must return { patientId: 'p_…' } | null");
    expect(reason).toMatch(why);
    // Never the value itself: it may be a patient's e-mail address.
    expect(reason).not.toContain('alice@example.org');
    expect(simulator.ledger).toEqual([]);
  });

  it('takes a whole user object with a valid patientId (extra keys ignored), but not one without it', async () => {
    const withUser = proxyWith(() => ({ patientId: 'p_demo_alice', name: 'Alice' }) as never);
    expect((await withUser.handler(read())).status).toBe(200);
    const withoutPatientId = proxyWith(() => ({ name: 'Alice' }) as never);
    expect((await withoutPatientId.handler(read())).status).toBe(500);
  });
});

describe('the 500 of a fault of the proxy itself fits the route', () => {
  it('a read does not tell the developer to read the cancellation status', async () => {
    const simulator = createSimulator({ apiKeys: [HEIM_KEY], seed: 'demo' });
    const handler = createCancelHandler({
      heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: HEIM_KEY, fetch: (input, init) => simulator.fetch(new Request(input, init)) },
      authenticate: () => ({ patientId: 'p_demo_alice' }),
      logger: () => undefined,
      // A clock that fails is a fault inside the proxy, after authenticate.
      now: () => {
        throw new Error('clock broke');
      },
    });
    const response = await handler(read());
    expect(response.status).toBe(500);
    expect((await json(response)).error.message).toBe('Something went wrong in the proxy while reading; nothing was changed: the proxy log says why.');
  });
});
