/**
 * Limits: a body over 16 KiB is refused without being buffered whole (413), refusals before the
 * body never read it at all, non-JSON is 415, every other method is 405 on every path, and the
 * 11th cancel attempt of a session within the minute is 429 with Retry-After.
 */
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/server/read-body';
import { TEST_PORTAL_ORIGIN, type TestBackend } from '../support/backend';
import { startLoopbackStack, type LoopbackStack } from '../integration/loopback';
import {
  UNLIMITED,
  createSecurityBackend,
  expectRefusal,
  forgeJwt,
  freshIdempotencyKey,
  goodPostHeaders,
  upstreamDuring,
} from './support';
import { parseRawAnswer, rawRequest, rawRequestText } from './raw-http';

const KiB = 1024;
const MiB = 1024 * KiB;
const ALICE_TOKEN = forgeJwt();

/**
 * A body of `total` bytes produced only when read, `chunkSize` at a time (highWaterMark 0: nothing
 * is produced ahead of a read), recording how much was pulled and whether it was cancelled.
 */
function meteredBody(total: number, chunkSize = KiB, fill = 0x20) {
  const meter = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (meter.pulled >= total) return controller.close();
        const size = Math.min(chunkSize, total - meter.pulled);
        meter.pulled += size;
        controller.enqueue(new Uint8Array(size).fill(fill));
      },
      cancel() {
        meter.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, meter };
}

function streamedCancel(stream: ReadableStream<Uint8Array>, headers: Record<string, string | null> = {}): Request {
  const all = new Headers({ ...goodPostHeaders(), authorization: `Bearer ${ALICE_TOKEN}` });
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) all.delete(name);
    else all.set(name, value);
  }
  return new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_3d/cancel`, {
    method: 'POST',
    headers: all,
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

describe('413: over 16 KiB, never buffered whole', () => {
  let backend: TestBackend;
  beforeEach(async () => {
    backend = await createSecurityBackend();
  });
  afterEach(() => backend.close());

  it('stops reading a 10 MB stream (no Content-Length) just past 16 KiB and cancels it', async () => {
    const { stream, meter } = meteredBody(10 * MiB);
    const { result, calls } = await upstreamDuring(backend, () => backend.handler(streamedCancel(stream)));
    await expectRefusal(result, { status: 413, code: 'payload_too_large', upstream: 'none' }, calls);
    expect(meter.cancelled).toBe(true);
    expect(meter.pulled).toBeGreaterThan(MAX_BODY_BYTES);
    expect(meter.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * KiB);
  });

  it('stops just as early with tiny chunks, and with one oversized chunk', async () => {
    const tiny = meteredBody(10 * MiB, 100);
    const response = await backend.handler(streamedCancel(tiny.stream));
    expect(response.status).toBe(413);
    expect(tiny.meter.cancelled).toBe(true);
    expect(tiny.meter.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 200);

    const big = meteredBody(10 * MiB, 64 * KiB);
    expect((await backend.handler(streamedCancel(big.stream))).status).toBe(413);
    expect(big.meter.cancelled).toBe(true);
    expect(big.meter.pulled).toBe(64 * KiB);
  });

  it('reads a body of exactly 16 KiB to the end (the limit is inclusive)', async () => {
    const body = `{"reasonCode":"bored"}${' '.repeat(MAX_BODY_BYTES - '{"reasonCode":"bored"}'.length)}`;
    const encoded = new TextEncoder().encode(body);
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.close();
        sent = true;
        controller.enqueue(encoded);
      },
    });
    const { result, calls } = await upstreamDuring(backend, () => backend.handler(streamedCancel(stream)));
    await expectRefusal(result, { status: 400, code: 'invalid_request', upstream: 'none' }, calls);
  });

  it('refuses a declared Content-Length over 16 KiB before reading a byte', async () => {
    const { stream, meter } = meteredBody(10 * MiB);
    const response = await backend.handler(streamedCancel(stream, { 'content-length': String(10 * MiB) }));
    await expectRefusal(response, { status: 413, code: 'payload_too_large', upstream: 'none' }, []);
    expect(meter.pulled).toBe(0);
  });

  it.each([
    ['a foreign Origin (403)', { origin: 'https://evil.example' }, 403, 'csrf_rejected'],
    ['no X-Requested-With (403)', { 'x-requested-with': null }, 403, 'csrf_rejected'],
    ['no session (401)', { authorization: null }, 401, 'unauthenticated'],
    ['an XML body (415)', { 'content-type': 'application/xml' }, 415, 'unsupported_media_type'],
    ['no Idempotency-Key (400)', { 'idempotency-key': null }, 400, 'missing_idempotency_key'],
  ] as const)('never reads the body of a request refused for %s', async (_name, headers, status, code) => {
    const { stream, meter } = meteredBody(10 * MiB);
    const { result, calls } = await upstreamDuring(backend, () => backend.handler(streamedCancel(stream, headers)));
    await expectRefusal(result, { status, code, upstream: 'none' }, calls);
    expect(meter.pulled).toBe(0);
  });
});

describe('413 over real HTTP', () => {
  let stack: LoopbackStack;
  let token: string;
  beforeAll(async () => {
    stack = await startLoopbackStack({ rateLimit: UNLIMITED });
    token = await stack.session();
  });
  afterAll(async () => {
    expect(stack.heim.simulator.ledger).toEqual([]);
    await stack.close();
  });

  const head = (extra: string) =>
    [
      'POST /api/appointments/apt_alice_3d/cancel HTTP/1.1',
      `Host: ${new URL(stack.proxyOrigin).host}`,
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      'X-Requested-With: heim-cancel-widget',
      `Origin: ${stack.proxyOrigin}`,
      `Idempotency-Key: ${freshIdempotencyKey()}`,
      extra,
      '',
      '',
    ].join('\r\n');

  it('answers a chunked 10 MB upload with 413 long before it has all been sent', async () => {
    const { hostname, port } = new URL(stack.proxyOrigin);
    const total = 10 * MiB;
    const chunk = Buffer.alloc(4 * KiB, 0x20);
    const result = await new Promise<{ sentWhenAnswered: number; answer: Buffer }>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      const received: Buffer[] = [];
      let sent = 0;
      let sentWhenAnswered = -1;
      let stopped = false;
      socket.on('data', (data) => {
        if (sentWhenAnswered === -1) sentWhenAnswered = sent;
        stopped = true;
        received.push(data);
      });
      socket.on('close', () => resolve({ sentWhenAnswered, answer: Buffer.concat(received) }));
      socket.on('error', () => undefined);
      setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref();
      // Kept alive (no Connection: close): the server then drains what is in flight instead of
      // resetting the connection, which could drop its answer before we read it.
      socket.write(head('Transfer-Encoding: chunked'));
      const pump = () => {
        while (!stopped && sent < total) {
          const ok = socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write('\r\n');
          sent += chunk.length;
          if (!ok) return void socket.once('drain', () => setImmediate(pump));
          // Yield so the server can answer while the upload is still going.
          return void setImmediate(pump);
        }
        if (!stopped) socket.end('0\r\n\r\n');
        else socket.end();
      };
      pump();
    });
    const answer = parseRawAnswer(result.answer);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
    expect(result.sentWhenAnswered).toBeGreaterThan(0);
    expect(result.sentWhenAnswered).toBeLessThan(2 * MiB);
  });

  it('answers a declared 10 MB Content-Length and closes, without waiting for the body', async () => {
    const { hostname, port } = new URL(stack.proxyOrigin);
    // Only these bytes of the 10 MB ever go out, and the socket stays open on our side: an answer
    // and the server's close can only come from the declared length, never from a body read.
    const sentBody = '{"reasonCode":';
    const received = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      const chunks: Buffer[] = [];
      socket.on('data', (data) => chunks.push(data));
      socket.on('close', () => resolve(Buffer.concat(chunks)));
      socket.on('error', () => undefined);
      // Not a time budget: a server waiting for the body would wait for ever.
      setTimeout(() => {
        socket.destroy();
        reject(new Error('no answer and no close within 10 s: the server is waiting for the body'));
      }, 10_000).unref();
      socket.write(`${head(`Content-Length: ${10 * MiB}\r\nConnection: close`)}${sentBody}`);
    });
    const answer = parseRawAnswer(received);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
  }, 15_000);

  it('answers 415 over HTTP for a type that is not JSON', async () => {
    const answer = await rawRequest(
      stack.proxyOrigin,
      rawRequestText(stack.proxyOrigin, {
        method: 'POST',
        target: '/api/appointments/apt_alice_3d/cancel',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/xml',
          'x-requested-with': 'x',
          origin: stack.proxyOrigin,
          'idempotency-key': freshIdempotencyKey(),
        },
        body: '<cancel/>',
      }),
    );
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body).error.code).toBe('unsupported_media_type');
  });
});

describe('405 on every path, with Allow', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await createSecurityBackend();
  });

  const PATHS: [path: string, allowed: string[], allow: string][] = [
    ['/healthz', ['GET', 'HEAD'], 'GET, HEAD'],
    ['/appointments/apt_alice_3d', ['GET', 'HEAD'], 'GET, HEAD'],
    ['/appointments/apt_alice_3d/cancellation', ['GET', 'HEAD'], 'GET, HEAD'],
    ['/appointments/apt_alice_3d/cancel', ['POST'], 'POST'],
    ['/webhooks/heim', ['POST'], 'POST'],
  ];
  const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'PURGE', 'QUERY'];
  const cases = PATHS.flatMap(([path, allowed, allow]) =>
    METHODS.filter((method) => !allowed.includes(method)).map((method) => [`${method} ${path}`, method, path, allow] as const),
  );

  it.each(cases)('%s', async (_name, method, path, allow) => {
    const headers = { ...goodPostHeaders(), authorization: `Bearer ${ALICE_TOKEN}` };
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const { result, calls } = await upstreamDuring(backend, () =>
      backend.handler(new Request(`${TEST_PORTAL_ORIGIN}/api${path}`, { method, headers, ...(hasBody ? { body: '{"reasonCode":"patient_unwell"}' } : {}) })),
    );
    await expectRefusal(result, { status: 405, code: method === 'HEAD' ? null : 'method_not_allowed', upstream: 'none' }, calls);
    expect(result.headers.get('allow')).toBe(allow);
  });

  it('covers every route and method (TRACE, TRACK and CONNECT in raw-http.test.ts)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });
});

describe('429: ten cancel attempts per session per minute', () => {
  let backend: TestBackend;
  let clock: number;
  const send = (body: string, token = ALICE_TOKEN, id = 'apt_alice_3d', headers: Record<string, string | null> = {}) => {
    const all = new Headers({ ...goodPostHeaders(), authorization: `Bearer ${token}` });
    for (const [name, value] of Object.entries(headers)) {
      if (value === null) all.delete(name);
      else all.set(name, value);
    }
    return backend.handler(new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/${id}/cancel`, { method: 'POST', headers: all, body }));
  };

  beforeEach(async () => {
    clock = Date.parse('2026-11-24T09:00:00.000Z');
    // The default limit (10 per minute), not the security backend's unlimited one.
    backend = await createSecurityBackend({ now: () => clock, proxy: { rateLimit: { max: 10, windowMs: 60_000 } } });
  });
  afterEach(() => backend.close());

  it('refuses the 11th attempt with 429 and Retry-After, and sends nothing upstream', async () => {
    for (let i = 0; i < 10; i += 1) expect((await send('{}')).status).toBe(400);
    clock += 15_000;
    const { result, calls } = await upstreamDuring(backend, () => send('{"reasonCode":"patient_unwell"}'));
    await expectRefusal(result, { status: 429, code: 'rate_limited', upstream: 'none' }, calls);
    const retryAfter = result.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBe(45);
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  });

  it('does not read the body of a rate-limited attempt', async () => {
    for (let i = 0; i < 10; i += 1) await send('{}');
    const { stream, meter } = meteredBody(10 * MiB);
    const all = new Headers({ ...goodPostHeaders(), authorization: `Bearer ${ALICE_TOKEN}` });
    const response = await backend.handler(
      new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_3d/cancel`, { method: 'POST', headers: all, body: stream, duplex: 'half' } as RequestInit),
    );
    expect(response.status).toBe(429);
    expect(meter.pulled).toBe(0);
  });

  it('keeps refusing within the window and allows again once it has passed', async () => {
    for (let i = 0; i < 10; i += 1) await send('{}');
    for (let i = 0; i < 5; i += 1) expect((await send('{}')).status).toBe(429);
    clock += 59_999;
    const last = await send('{}');
    expect(last.status).toBe(429);
    expect(last.headers.get('retry-after')).toBe('1');
    clock += 1;
    expect((await send('{}')).status).toBe(400);
  });

  it('is per session: another patient is not limited by Alice’s attempts', async () => {
    for (let i = 0; i < 11; i += 1) await send('{}');
    expect((await send('{}')).status).toBe(429);
    const bilal = forgeJwt({ payload: { sub: 'p_demo_bilal', exp: Math.floor(Date.now() / 1000) + 3600 } });
    expect((await send('{}', bilal, 'apt_bilal_3d')).status).toBe(400);
  });

  it('counts only attempts that reach it: refusals before it (401, 403, 415, missing key) do not use it up', async () => {
    for (let i = 0; i < 20; i += 1) {
      expect((await send('{}', ALICE_TOKEN, 'apt_alice_3d', { origin: 'https://evil.example' })).status).toBe(403);
      expect((await send('{}', ALICE_TOKEN, 'apt_alice_3d', { 'content-type': 'application/xml' })).status).toBe(415);
      expect((await send('{}', ALICE_TOKEN, 'apt_alice_3d', { 'idempotency-key': null })).status).toBe(400);
    }
    for (let i = 0; i < 10; i += 1) expect((await send('{}')).status).toBe(400);
    expect((await send('{}')).status).toBe(429);
    expect(backend.simulator.ledger).toEqual([]);
  });
});
