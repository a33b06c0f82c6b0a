/** Serves a handler on Node over real HTTP (the bin, the demo and the tests use it). */
import { serve } from '@hono/node-server';
import { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientError } from './client-error';
import { consoleJsonLogger, type Logger } from './logger';
import type { CancelHandlerContext } from './portal-authenticate';

export interface RunningProxyServer {
  origin: string;
  /**
   * Stops accepting connections and resolves once every connection is closed. Requests in flight
   * may finish for up to `graceMs` (default 0: every connection is closed at once, as tests and the
   * demo want); idle keep-alive connections are closed at once either way.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface ProxyServerOptions {
  /** Where a request Node's HTTP parser refused is logged (`proxy.client_error`). Default: JSON lines on stdout/stderr. */
  logger?: Logger;
}

export function startProxyServer(
  handler: (request: Request, context: CancelHandlerContext) => Promise<Response>,
  listen: { host: string; port: number },
  { logger = consoleJsonLogger }: ProxyServerOptions = {},
): Promise<RunningProxyServer> {
  return new Promise((resolve, reject) => {
    // The handler's authenticate gets Node's request, as under toNodeListener.
    const fetch = (request: Request, { incoming }: { incoming: unknown }) =>
      handler(request, incoming instanceof IncomingMessage ? { nodeRequest: incoming } : {});
    const server = serve({ fetch, hostname: listen.host, port: listen.port, overrideGlobalObjects: false }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      const connections = server as unknown as { closeAllConnections?: () => void; closeIdleConnections?: () => void };
      resolve({
        origin: `http://${host}:${info.port}`,
        close: ({ graceMs = 0 } = {}) =>
          new Promise<void>((done) => {
            // A connection becomes idle once its request is answered: closed then, not at the
            // client's keep-alive timeout.
            const sweep = graceMs > 0 ? setInterval(() => connections.closeIdleConnections?.(), 100) : undefined;
            server.close(() => {
              clearInterval(sweep);
              done();
            });
            // Keep-alive sockets would hold close() open; idle ones carry nothing worth waiting for.
            connections.closeIdleConnections?.();
            if (graceMs <= 0) {
              connections.closeAllConnections?.();
              return;
            }
            // A cancel waiting for Heim is let finish: cut, its answer (which settles what Heim
            // did) would be lost with the process, and the patient's retry would go to a proxy
            // that knows nothing of it.
            const deadline = setTimeout(() => connections.closeAllConnections?.(), graceMs);
            deadline.unref();
          }),
      });
    });
    // Malformed HTTP gets the contract's JSON envelope, not Node's plain-text 400/431.
    server.on('clientError', answerClientError(logger));
    server.once('error', reject);
  });
}
