/**
 * `toNodeListener` in a portal's own `node:http` server: a request Node parses but which makes no
 * URL (a backslash in the path, a Host with userinfo) never reaches the handler. The adapter used
 * to answer it with an empty 400; it is now the contract's envelope, logged by reason only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCancelHandler, toNodeListener, type LogEntry } from '../../src/server';
import { rawRequest, rawRequestText } from '../security/raw-http';

const HEIM_KEY = 'test_adapter_error_canary_7c2d9e';
let server: Server;
let origin: string;
const logs: LogEntry[] = [];

beforeAll(async () => {
  const handler = createCancelHandler({
    heim: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: HEIM_KEY },
    sessionSecret: 'adapter-error-session-secret-0123456789abcdef',
    logger: () => undefined,
  });
  server = createServer(toNodeListener(handler, { logger: (entry) => logs.push(entry) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a request that makes no URL, under toNodeListener', () => {
  it.each([
    ['a backslash in the path', { method: 'GET', target: '/api\\appointments\\apt_alice_3d' }],
    ['a Host with userinfo', { method: 'GET', target: '/api/appointments/apt_alice_3d', host: 'evil.example@127.0.0.1' }],
  ])('%s is 400 invalid_request in the envelope, logged without the target', async (_label, parts) => {
    logs.length = 0;
    const answer = await rawRequest(origin, rawRequestText(origin, parts));
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    const body = JSON.parse(answer.body) as { error: { code: string; message: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/valid URL/);
    expect(body.error.issues).toEqual([{ path: '(request)', message: body.error.message }]);
    expect(logs).toEqual([{ level: 'info', event: 'proxy.client_error', status: 400, code: 'invalid_request', nodeCode: null, reason: 'url' }]);
  });
});
