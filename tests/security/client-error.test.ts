/**
 * Requests Node's HTTP parser refuses before the proxy runs (the server's `clientError`), sent as
 * raw bytes on a `net` socket to the proxy served as the bin serves it. Before, Node answered them
 * in plain text (`HTTP/1.1 400 Bad Request`, `431 Request Header Fields Too Large`, no body), the
 * one kind of answer outside the contract's envelope. Now: the envelope with the contract's
 * headers, `Connection: close`, the connection closed by the server, and one log line that holds
 * none of the request's bytes.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_HEIM_KEY, HTTP_SESSION_SECRET, startLoopbackStack, type LoopbackStack } from '../integration/loopback';
import { parseRawAnswer, type RawAnswer } from './raw-http';
import { expectNoLeak } from './support';

let stack: LoopbackStack;
let token: string;

beforeAll(async () => {
  stack = await startLoopbackStack();
  token = await stack.session();
});
afterAll(async () => {
  expect(stack.heim.simulator.ledger).toEqual([]);
  await stack.close();
});

/**
 * Writes the bytes on a fresh socket (keep-alive: nothing asks the server to close) and resolves
 * with the answer and whether the server ended the connection itself, or the test gave up on it.
 */
function send(bytes: string | Buffer): Promise<{ answer: RawAnswer; closedByServer: boolean }> {
  const { hostname, port } = new URL(stack.proxyOrigin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => (closedByServer = true));
    socket.on('error', () => (closedByServer = true));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer: parseRawAnswer(Buffer.concat(chunks)), closedByServer });
    });
    socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  });
}

function expectEnvelope(answer: RawAnswer, status: number, message: RegExp): void {
  const context = `${answer.status} ${JSON.stringify(answer.headers)} ${answer.body.slice(0, 300)}`;
  expect(answer.status, context).toBe(status);
  expect(answer.headers['content-type'], context).toBe('application/json; charset=utf-8');
  expect(answer.headers['cache-control'], context).toBe('no-store');
  expect(answer.headers['x-content-type-options'], context).toBe('nosniff');
  expect(answer.headers.connection, context).toBe('close');
  expect(Number(answer.headers['content-length']), context).toBe(Buffer.byteLength(answer.body));
  const body = JSON.parse(answer.body) as { error: { code: string; message: string; issues: unknown } };
  expect(Object.keys(body), context).toEqual(['error']);
  expect(Object.keys(body.error), context).toEqual(['code', 'message', 'issues']);
  expect(body.error.code, context).toBe('invalid_request');
  expect(body.error.message, context).toMatch(message);
  // The contract's invalid_request carries issues; here the request as a whole is the one.
  expect(body.error.issues, context).toEqual([{ path: '(request)', message: body.error.message }]);
  expectNoLeak(answer.body, context);
}

const clientErrorLines = () => stack.logs.filter((entry) => entry.event === 'proxy.client_error');

describe("requests Node's HTTP parser refuses", () => {
  it('answers a malformed request in the JSON envelope (400 invalid_request), closes the connection and logs one line', async () => {
    const before = clientErrorLines().length;
    const { answer, closedByServer } = await send(
      `GET /api/appointments/apt_alice_3d HTTP/1.1\r\nHost: ${new URL(stack.proxyOrigin).host}\r\nX Bad Name: 1\r\ncookie: portal_session=${token}\r\n\r\n`,
    );
    expectEnvelope(answer, 400, /^The request is not valid HTTP\/1\.1/);
    expect(closedByServer).toBe(true);
    expect(clientErrorLines().slice(before)).toEqual([
      { level: 'info', event: 'proxy.client_error', status: 400, code: 'invalid_request', nodeCode: 'HPE_INVALID_HEADER_TOKEN' },
    ]);
  });

  it('answers a request line that is not HTTP at all in the envelope', async () => {
    const { answer, closedByServer } = await send('\u0000\u0001\u0002 hello\r\n\r\n');
    expectEnvelope(answer, 400, /not valid HTTP/);
    expect(closedByServer).toBe(true);
  });

  it('answers a header block over the limit 431 in the envelope, without echoing or logging the oversized header', async () => {
    const before = clientErrorLines().length;
    // A portal whose cookies grew past Node's 16 KiB header limit, with a real session among them.
    const cookie = `portal_session=${token}; tracking=${'x'.repeat(20 * 1024)}`;
    const { answer, closedByServer } = await send(
      `GET /api/appointments/apt_alice_3d HTTP/1.1\r\nHost: ${new URL(stack.proxyOrigin).host}\r\ncookie: ${cookie}\r\n\r\n`,
    );
    expectEnvelope(answer, 431, /headers are larger than this server accepts/);
    expect(closedByServer).toBe(true);
    expect(answer.body).not.toContain(token);
    expect(answer.body).not.toContain('xxxx');
    const lines = clientErrorLines().slice(before);
    expect(lines).toEqual([{ level: 'info', event: 'proxy.client_error', status: 431, code: 'invalid_request', nodeCode: 'HPE_HEADER_OVERFLOW' }]);
    const logged = JSON.stringify(stack.logs);
    for (const secret of [token, HTTP_HEIM_KEY, HTTP_SESSION_SECRET]) expect(logged).not.toContain(secret);
  });

  it('still serves well-formed requests on the same server', async () => {
    const { answer } = await send(`GET /api/healthz HTTP/1.1\r\nHost: ${new URL(stack.proxyOrigin).host}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true });
  });
});
