/**
 * A client that goes away in the middle of its body, over a real loopback socket. Nothing is wrong
 * with the proxy: the request is logged `proxy.client_aborted` at info, never as an error (a
 * stranger could otherwise fill the error log of /webhooks/heim without any credential), and
 * nothing reaches Heim.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLoopbackStack, type LoopbackStack } from './loopback';

const SECRET = `whsec_${Buffer.from('loopback-webhook-secret-32-bytes').toString('base64')}`;

let stack: LoopbackStack;
afterEach(() => stack.close());

/**
 * Sends the head and half of a declared body, waits until the proxy is reading it, then destroys
 * the socket. Resolves once the socket is closed.
 */
function abortMidBody(origin: string, target: string, headers: Record<string, string>): Promise<void> {
  const { hostname, port } = new URL(origin);
  const body = JSON.stringify({ reasonCode: 'patient_unwell', note: 'x'.repeat(200) });
  const head = [`POST ${target} HTTP/1.1`, `Host: ${new URL(origin).host}`, `Content-Length: ${Buffer.byteLength(body)}`];
  for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n${body.slice(0, 40)}`);
      setTimeout(() => socket.destroy(), 150);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

async function settledLogs(): Promise<void> {
  await vi.waitFor(() => expect(stack.logs.some((entry) => entry.event.startsWith('proxy.'))).toBe(true), { timeout: 3000 });
  // Anything the handler logs after the first line of the request.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('a client that drops mid-body', () => {
  it('on the cancel route (valid session) is logged proxy.client_aborted at info, not as a proxy fault', async () => {
    stack = await startLoopbackStack();
    const token = await stack.session();
    await abortMidBody(stack.proxyOrigin, '/api/appointments/apt_alice_3d/cancel', {
      'Content-Type': 'application/json',
      'X-Requested-With': 'heim-cancel-widget',
      Origin: stack.proxyOrigin,
      Cookie: `portal_session=${token}`,
      'Idempotency-Key': 'abort_mid_body_0001',
    });
    await settledLogs();
    expect(stack.logs.filter((entry) => entry.level === 'error')).toEqual([]);
    // One line for the one event: not also Node's view of the same close as a malformed request.
    expect(stack.logs).toEqual([
      { level: 'info', event: 'proxy.client_aborted', method: 'POST', route: '/api/appointments/:appointmentId/cancel', errorCode: 'ECONNRESET' },
    ]);
    expect(JSON.stringify(stack.logs)).not.toContain(token);
    expect(stack.heim.simulator.ledger).toEqual([]);
  });

  it('on the webhook route (no credentials needed to get there) is logged proxy.client_aborted at info', async () => {
    stack = await startLoopbackStack({ webhookSecret: SECRET });
    await abortMidBody(stack.proxyOrigin, '/api/webhooks/heim', {
      'Content-Type': 'application/json',
      'webhook-id': 'msg_abort_mid_body',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': 'v1,AAAA',
    });
    await settledLogs();
    expect(stack.logs.filter((entry) => entry.level === 'error')).toEqual([]);
    expect(stack.logs).toEqual([{ level: 'info', event: 'proxy.client_aborted', method: 'POST', route: '/api/webhooks/heim', errorCode: 'ECONNRESET' }]);
    expect(stack.heim.simulator.ledger).toEqual([]);
  });
});
