/**
 * A handler mounted where its basePath is stripped (Express's `app.use('/api', …)`) answers every
 * request 404 `not_found`, as the contract says; before, nothing in the log pointed at the mount.
 * The answer stays exactly the contract's; a warn line names the cause and the fix.
 */
import { describe, expect, it } from 'vitest';
import { createCancelHandler, type LogEntry } from '../../src/server';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY } from '../support/backend';
import { json } from './helpers';

function proxy(basePath?: string) {
  const logs: LogEntry[] = [];
  const handler = createCancelHandler({
    heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY, fetch: () => Promise.reject(new Error('Heim must not be called')) },
    authenticate: () => ({ patientId: 'p_demo_alice' }),
    logger: (entry) => logs.push(entry),
    ...(basePath === undefined ? {} : { basePath }),
  });
  return { handler, logs };
}

describe('a request that reached the handler without its basePath', () => {
  it.each([
    ['GET', '/appointments/apt_x', '/appointments/:appointmentId'],
    ['GET', '/appointments/apt_x/cancellation', '/appointments/:appointmentId/cancellation'],
    ['POST', '/appointments/apt_x/cancel', '/appointments/:appointmentId/cancel'],
    ['POST', '/webhooks/heim', '/webhooks/heim'],
  ])('%s %s: the contract 404, and a warn line naming the route, the cause and the fix', async (method, path, route) => {
    const { handler, logs } = proxy();
    const response = await handler(new Request(`http://portal.test${path}`, { method }));
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
    expect(logs).toEqual([{ level: 'warn', event: 'proxy.unmounted_path', route, basePath: '/api', hint: expect.any(String) }]);
    const hint = String(logs[0]!.hint);
    expect(hint).toContain("app.use('/api', …) strips the prefix");
    expect(hint).toContain("app.all('/api/{*rest}', toNodeListener(handler))");
    expect(hint).toContain('basePath');
    // The route's pattern, never the URL with its id.
    expect(JSON.stringify(logs)).not.toContain('apt_x');
  });

  it('names a basePath of its own', async () => {
    const { handler, logs } = proxy('/heim');
    expect((await handler(new Request('http://portal.test/appointments/apt_x'))).status).toBe(404);
    expect(logs).toEqual([expect.objectContaining({ event: 'proxy.unmounted_path', basePath: '/heim', hint: expect.stringContaining("app.all('/heim/{*rest}'") })]);
  });

  it.each([
    ['an unknown path under the basePath', '/api/nothing-here'],
    ['a path that is none of its routes', '/favicon.ico'],
    ["the portal's own health check at its root", '/healthz'],
  ])('logs nothing for %s, only for the stripped path that follows', async (_name, path) => {
    const { handler, logs } = proxy();
    expect((await handler(new Request(`http://portal.test${path}`))).status).toBe(404);
    expect((await handler(new Request('http://portal.test/appointments/apt_x'))).status).toBe(404);
    expect(logs).toEqual([expect.objectContaining({ event: 'proxy.unmounted_path' })]);
  });
});
