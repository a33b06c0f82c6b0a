/**
 * Hostile requests as raw bytes on a socket, against the proxy and the simulator running as real
 * HTTP servers on loopback: request targets that `new Request()` would normalise or refuse (dot
 * segments, NUL, CR/LF, backslashes, raw non-ASCII), methods undici will not send (TRACE, TRACK,
 * CONNECT), smuggling-shaped framing and Host tricks. Some are refused by Node's HTTP parser
 * before the proxy runs: the server's `clientError` listener answers those in the contract's
 * envelope too (`invalid_request`, with Node's status). A target or Host that makes no URL (and a
 * missing Host) is refused by the server adapter, in the envelope too (its error handler). Only
 * what gets no HTTP answer at all is asserted by status only (code null). Nothing here ever
 * reaches Heim as a POST.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/core/errors';
import { HTTP_HEIM_KEY, HTTP_SESSION_SECRET, startLoopbackStack, type LoopbackStack } from '../integration/loopback';
import { UNLIMITED, expectNoLeak, freshIdempotencyKey } from './support';
import { rawRequest, rawRequestText, type RawRequestParts } from './raw-http';

interface RawCase {
  name: string;
  /** Either parts (Host, Content-Length and Connection filled in) or the exact bytes. */
  parts?: RawRequestParts;
  bytes?: (origin: string) => string | Buffer;
  /** Add a valid session and the well-formed POST headers (with Origin = the proxy's own). */
  signedIn?: boolean;
  status: number;
  /** The proxy's error code; null when the answer comes from below the proxy (no envelope). */
  code: ErrorCode | null;
  upstream: 'none' | 'no-post';
}

let stack: LoopbackStack;
let configured: LoopbackStack;
let token: string;
let configuredToken: string;

beforeAll(async () => {
  // As the bin runs by default: ALLOWED_ORIGINS unset, so only the proxy's own origin may POST.
  stack = await startLoopbackStack({ rateLimit: UNLIMITED });
  token = await stack.session();
  configured = await startLoopbackStack({ rateLimit: UNLIMITED, allowedOrigins: ['https://portal.example.org'] });
  configuredToken = await configured.session();
});
afterAll(async () => {
  expect(stack.heim.simulator.ledger.filter((entry) => entry.method !== 'GET')).toEqual([]);
  expect(configured.heim.simulator.ledger.filter((entry) => entry.method !== 'GET')).toEqual([]);
  expect(stack.heim.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  const logged = JSON.stringify([...stack.logs, ...configured.logs]);
  for (const secret of [HTTP_HEIM_KEY, HTTP_SESSION_SECRET, token]) expect(logged).not.toContain(secret);
  await stack.close();
  await configured.close();
});

const BODY = '{"reasonCode":"patient_unwell"}';
const signedHeaders = (origin: string, session: string): Record<string, string> => ({
  authorization: `Bearer ${session}`,
  'content-type': 'application/json',
  'x-requested-with': 'heim-cancel-widget',
  origin,
  'idempotency-key': freshIdempotencyKey(),
});
const get = (target: string, extra: Partial<RawCase> = {}): Pick<RawCase, 'parts' | 'signedIn'> => ({
  parts: { method: 'GET', target },
  signedIn: true,
  ...extra,
});
const post = (target: string, body = BODY): Pick<RawCase, 'parts' | 'signedIn'> => ({
  parts: { method: 'POST', target, body },
  signedIn: true,
});
const requestLine = (line: string, extra = '') => (origin: string) =>
  Buffer.concat([Buffer.from(line, 'latin1'), Buffer.from(` HTTP/1.1\r\nHost: ${new URL(origin).host}\r\n${extra}Connection: close\r\n\r\n`)]);

/** A GET whose target is sent as raw UTF-8 bytes, unescaped. */
const utf8Target = (target: string) => (origin: string) =>
  Buffer.concat([Buffer.from('GET '), Buffer.from(target, 'utf8'), Buffer.from(` HTTP/1.1\r\nHost: ${new URL(origin).host}\r\nConnection: close\r\n\r\n`)]);

const TARGETS: RawCase[] = [
  // Dot segments are resolved before routing: they can only land on another route of the proxy.
  { name: 'dot segments resolve to /api/healthz and no further', ...get('/api/appointments/../healthz'), status: 200, code: null, upstream: 'none' },
  { name: 'two dot segments out of the mount point', ...get('/api/appointments/../../etc/passwd'), status: 404, code: 'not_found', upstream: 'none' },
  { name: 'dot segments above the root', ...get('/api/../../../../etc/passwd'), status: 404, code: 'not_found', upstream: 'none' },
  { name: 'encoded dot segments above the root', ...get('/api/appointments/%2e%2e/%2e%2e/etc/passwd'), status: 404, code: 'not_found', upstream: 'none' },
  { name: 'mixed-case encoded dot segments', ...get('/api/appointments/%2E%2e/healthz/..'), status: 404, code: 'not_found', upstream: 'none' },
  { name: 'encoded slashes keep the traversal inside the id', ...get('/api/appointments/..%2f..%2fetc%2fpasswd'), status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'double-encoded slashes', ...get('/api/appointments/..%252f..%252fetc%252fpasswd'), status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'POST with a dot segment to another patient', ...post('/api/appointments/apt_alice_3d/../apt_bilal_3d/cancel'), status: 404, code: 'not_found', upstream: 'no-post' },
  { name: 'POST with an encoded dot segment', ...post('/api/appointments/%2e%2e/apt_bilal_3d/cancel'), status: 404, code: 'not_found', upstream: 'none' },
  { name: 'POST with an encoded traversal in the id', ...post('/api/appointments/..%2fapt_bilal_3d/cancel'), status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'POST with single dot segments to another patient', ...post('/api/appointments/./apt_bilal_3d/./cancel'), status: 404, code: 'not_found', upstream: 'no-post' },
  { name: 'POST with a dot segment is the same request once resolved', ...post('/api/appointments/apt_alice_3d/./cancel', '{}'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'POST through cancellation/.. is the same request once resolved', ...post('/api/appointments/apt_alice_3d/cancellation/../cancel', '{"reasonCode":"organisation_cancelled"}'), status: 400, code: 'invalid_request', upstream: 'none' },
  // NUL, CR/LF and other bytes that never reach the proxy as part of an id.
  { name: 'encoded NUL', ...get('/api/appointments/apt_alice_3d%00'), status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'encoded CR LF', ...get('/api/appointments/apt_alice_3d%0d%0aX-Injected:%201'), status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'raw NUL in the target', bytes: requestLine('GET /api/appointments/apt_alice_3d\u0000'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'raw NUL alone', bytes: requestLine('GET /api/appointments/\u0000'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'raw NUL in a POST target', bytes: requestLine('POST /api/appointments/apt_alice_3d\u0000/cancel'), status: 400, code: 'invalid_request', upstream: 'none' },
  // Node reads the line break as the end of the request line: what follows is one more header of
  // the sender's own request (no session here), so nothing is injected into anyone else's.
  { name: 'raw CR LF in the target ends the request line', bytes: requestLine('GET /api/appointments/apt\r\nX-Injected: 1'), status: 401, code: 'unauthenticated', upstream: 'none' },
  { name: 'raw bare LF in the target ends the request line', bytes: requestLine('GET /api/appointments/apt\nX: 1'), status: 401, code: 'unauthenticated', upstream: 'none' },
  { name: 'raw CR LF in a POST target ends the request line', bytes: requestLine('POST /api/appointments/apt_bilal_3d\r\nX-Injected: 1'), status: 405, code: 'method_not_allowed', upstream: 'none' },
  { name: 'raw tab in the target', bytes: requestLine('GET /api/appointments/apt\t_alice_3d'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'raw space in the target', bytes: requestLine('GET /api/appointments/apt alice'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'raw Cyrillic а (UTF-8 bytes) in the target', bytes: utf8Target('/api/appointments/\u0430pt_alice_3d'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'raw fullwidth letters (UTF-8 bytes) in the target', bytes: utf8Target('/api/appointments/\uff41pt_alice_3d'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'raw zero-width joiner (UTF-8 bytes) in the target', bytes: utf8Target('/api/appointments/apt\u200d_alice_3d'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'backslash traversal', ...get('/api/appointments/apt_alice_3d\\..\\apt_bilal_3d'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'backslashes for slashes', ...get('/api\\appointments\\apt_alice_3d'), status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'asterisk-form target', parts: { method: 'OPTIONS', target: '*' }, status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'a target over the header size limit', ...get(`/api/appointments/${'a'.repeat(20_000)}`), status: 431, code: 'invalid_request', upstream: 'none' },
  { name: 'a 10 KB id', ...get(`/api/appointments/${'a'.repeat(10 * 1024)}`), status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'a 10 KB id on cancel', ...post(`/api/appointments/${'a'.repeat(10 * 1024)}/cancel`), status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'absolute-form target naming another host', ...get('http://evil.example/api/appointments/apt_bilal_3d'), status: 404, code: 'not_found', upstream: 'no-post' },
];

const ROUTES = ['/api/healthz', '/api/appointments/apt_alice_3d', '/api/appointments/apt_alice_3d/cancellation', '/api/appointments/apt_alice_3d/cancel', '/api/webhooks/heim'];
const METHODS: RawCase[] = ROUTES.flatMap((target): RawCase[] => [
  // The server adapter lets TRACE through to the proxy, which refuses it like any other method.
  { name: `TRACE ${target}`, ...get(target), parts: { method: 'TRACE', target }, status: target.endsWith('webhooks/heim') ? 404 : 405, code: target.endsWith('webhooks/heim') ? 'not_found' : 'method_not_allowed', upstream: 'none' },
  { name: `TRACK ${target}`, parts: { method: 'TRACK', target }, status: 400, code: 'invalid_request', upstream: 'none' },
  // No 'connect' listener: Node drops the connection without an answer.
  { name: `CONNECT to ${target}`, parts: { method: 'CONNECT', target: 'evil.example:443', host: 'evil.example:443' }, status: 0, code: null, upstream: 'none' },
]);

const FRAMING: RawCase[] = [
  {
    name: 'Content-Length and Transfer-Encoding together (smuggling shape)',
    parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', headers: { 'Content-Length': '4', 'Transfer-Encoding': 'chunked' }, body: '0\r\n\r\nPOST /api/appointments/apt_bilal_3d/cancel HTTP/1.1\r\n\r\n' },
    signedIn: true,
    status: 400,
    code: 'invalid_request',
    upstream: 'none',
  },
  {
    name: 'two different Content-Lengths',
    parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', headers: { 'Content-Length': String(BODY.length), 'content-length': '5' }, body: BODY },
    signedIn: true,
    status: 400,
    code: 'invalid_request',
    upstream: 'none',
  },
  { name: 'NUL in a header value', parts: { method: 'GET', target: '/api/healthz', headers: { 'X-Test': 'a\u0000b' } }, status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'a space in a header name', parts: { method: 'GET', target: '/api/healthz', headers: { 'X Bad': '1' } }, status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'an obsolete folded header', parts: { method: 'GET', target: '/api/healthz', headers: { 'X-Folded': 'a\r\n b' } }, status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'HTTP/1.1 without Host', parts: { method: 'GET', target: '/api/appointments/apt_alice_3d', host: null }, status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'a Host with userinfo', parts: { method: 'GET', target: '/api/appointments/apt_alice_3d', host: 'evil.example@127.0.0.1' }, signedIn: true, status: 400, code: 'invalid_request', upstream: 'none' },
  { name: 'a Host with a path', parts: { method: 'GET', target: '/api/appointments/apt_alice_3d', host: '127.0.0.1/../evil' }, signedIn: true, status: 400, code: 'invalid_request', upstream: 'none' },
];

/** CSRF against the bin's default (own origin only), where Host decides what "own" is. */
const HOST_TRICKS: RawCase[] = [
  { name: 'own Host, foreign Origin', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', headers: { origin: 'http://evil.example' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'foreign Host, own Origin', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', host: 'evil.example', body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'X-Forwarded-Host and Origin of the attacker', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', headers: { 'x-forwarded-host': 'evil.example', origin: 'http://evil.example' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'Forwarded host and Origin of the attacker', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', headers: { forwarded: 'host=evil.example;proto=http', origin: 'http://evil.example' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'absolute-form target on the proxy, Origin of the attacker', parts: { method: 'POST', target: '', headers: { origin: 'http://evil.example' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'own Origin with another port', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', headers: { origin: 'http://127.0.0.1:1' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'Origin null', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', headers: { origin: 'null' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
];

async function run(target: LoopbackStack, session: string, testCase: RawCase) {
  const before = new Set(target.heim.simulator.ledger.map((entry) => entry.seq));
  let bytes: string | Buffer;
  if (testCase.bytes) {
    bytes = testCase.bytes(target.proxyOrigin);
  } else {
    const parts = { ...testCase.parts! };
    if (parts.target === '') parts.target = `${target.proxyOrigin}/api/appointments/apt_alice_3d/cancel`;
    const signed = testCase.signedIn ? signedHeaders(target.proxyOrigin, session) : {};
    if (parts.method !== 'POST') {
      delete signed['content-type'];
      delete signed['idempotency-key'];
    }
    parts.headers = { ...signed, ...parts.headers };
    bytes = rawRequestText(target.proxyOrigin, parts);
  }
  const answer = await rawRequest(target.proxyOrigin, bytes);
  const calls = target.heim.simulator.ledger.filter((entry) => !before.has(entry.seq));
  const context = `${answer.status} ${answer.body.slice(0, 200)}`;

  expect(answer.status, context).toBe(testCase.status);
  if (testCase.code !== null) {
    expect(answer.headers['content-type'], context).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control'], context).toBe('no-store');
    expect(answer.headers['x-content-type-options'], context).toBe('nosniff');
    expect(JSON.parse(answer.body).error.code, context).toBe(testCase.code);
  }
  expect(answer.headers['access-control-allow-origin'], context).toBeUndefined();
  expectNoLeak(answer.body, context);
  for (const secret of [HTTP_HEIM_KEY, HTTP_SESSION_SECRET]) expect(answer.body, context).not.toContain(secret);
  expect(calls.filter((entry) => entry.method !== 'GET').map((entry) => entry.path), context).toEqual([]);
  if (testCase.upstream === 'none') expect(calls.map((entry) => `${entry.method} ${entry.path}`), context).toEqual([]);
  return answer;
}

describe('raw request targets', () => {
  it.each(TARGETS.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const answer = await run(stack, token, testCase);
    if (testCase.status === 200) expect(JSON.parse(answer.body)).toEqual({ ok: true });
  });
});

describe('methods undici will not send', () => {
  it.each(METHODS.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    await run(stack, token, testCase);
  });
});

describe('framing the HTTP parser refuses', () => {
  it.each(FRAMING.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    await run(stack, token, testCase);
  });
});

describe('Host tricks against the default (own origin only)', () => {
  it.each(HOST_TRICKS.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    await run(stack, token, testCase);
  });
});

describe('Host tricks against configured ALLOWED_ORIGINS', () => {
  const origin = 'https://portal.example.org';
  const cases: RawCase[] = [
    { name: 'Host and Origin both the attacker’s', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', host: 'evil.example', headers: { origin: 'http://evil.example' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
    { name: 'absolute-form target and Origin both the attacker’s', parts: { method: 'POST', target: 'http://evil.example/api/appointments/apt_alice_3d/cancel', headers: { origin: 'http://evil.example' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
    { name: 'the proxy’s own origin, which is not the portal’s', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
    { name: 'the allowed origin, but no X-Requested-With', parts: { method: 'POST', target: '/api/appointments/apt_alice_3d/cancel', headers: { origin, 'x-requested-with': '' }, body: BODY }, signedIn: true, status: 403, code: 'csrf_rejected', upstream: 'none' },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    await run(configured, configuredToken, testCase);
  });
});
