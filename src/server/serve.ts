/**
 * Serves a handler on Node over real HTTP (the bin, the demo and the tests use it): Node's own
 * server with @hono/node-server's request listener, as its `serve()` builds them, plus what the
 * contract needs of every answer (its JSON envelope for what Node or the adapter refuses).
 */
import { getRequestListener } from '@hono/node-server';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerAdapterError } from './adapter-error';
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
  /**
   * Where a request refused before the handler is logged (`proxy.client_error`: Node's HTTP parser,
   * or a target or Host that makes no URL). Default: JSON lines on stdout/stderr.
   */
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
    // No default hostname for the listener: a request without Host is refused (400, in the
    // envelope), never given the listening address, which "own origin" would then trust.
    const listener = getRequestListener(fetch, { overrideGlobalObjects: false, errorHandler: answerAdapterError(logger) });
    // requireHostHeader off: Node's own 400 for a missing Host has an empty body; the listener
    // refuses it instead, in the envelope.
    const server = createServer({ requireHostHeader: false }, listener);
    server.listen(listen.port, listen.host, () => {
      const info = server.address() as AddressInfo;
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        origin: `http://${host}:${info.port}`,
        close: ({ graceMs = 0 } = {}) =>
          new Promise<void>((done) => {
            // A connection becomes idle once its request is answered: closed then, not at the
            // client's keep-alive timeout.
            const sweep = graceMs > 0 ? setInterval(() => server.closeIdleConnections(), 100) : undefined;
            server.close(() => {
              clearInterval(sweep);
              done();
            });
            // Keep-alive sockets would hold close() open; idle ones carry nothing worth waiting for.
            server.closeIdleConnections();
            if (graceMs <= 0) {
              server.closeAllConnections();
              return;
            }
            // A cancel waiting for Heim is let finish: cut, its answer (which settles what Heim
            // did) would be lost with the process, and the patient's retry would go to a proxy
            // that knows nothing of it.
            const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
            deadline.unref();
          }),
      });
    });
    // Malformed HTTP gets the contract's JSON envelope, not Node's plain-text 400/431.
    server.on('clientError', answerClientError(logger));
    server.once('error', reject);
  });
}
