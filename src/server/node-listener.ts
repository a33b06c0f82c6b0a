/**
 * Mounts the Web-standard handler in Node frameworks that speak `(req, res)`: Express, Connect,
 * Fastify's raw routes, plain `node:http`. The conversion is @hono/node-server's maintained one
 * (it streams the body, so the proxy's 16 KiB limit still holds), not a hand-written copy.
 */
import { getRequestListener } from '@hono/node-server';
import { IncomingMessage, type ServerResponse } from 'node:http';
import { answerAdapterError } from './adapter-error';
import type { CancelHandler } from './app';
import { bodyReadBeforeProxy, withBodyReadByParser } from './body-read-by-parser';
import { consoleJsonLogger, type Logger } from './logger';

export type NodeRequestListener = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * Returns a `(req, res)` listener for `handler`. Mount it without a body parser in front (the
 * proxy reads the raw body itself; mounted behind one, a request with a body is answered 500
 * `internal_error` saying so) and where the full path still reaches it: Express's `app.all` keeps
 * `req.url` whole, whereas `app.use('/api', …)` would strip the prefix. The handler's
 * `authenticate` receives Node's request as `nodeRequest`, with the portal's session on it.
 */
export interface NodeListenerOptions {
  /**
   * Where a request that makes no URL (a backslash in the path, a Host with userinfo) is logged
   * (`proxy.client_error`) before it is answered 400 in the envelope. Default: JSON lines on stdout.
   */
  logger?: Logger;
}

export function toNodeListener(handler: CancelHandler, { logger = consoleJsonLogger }: NodeListenerOptions = {}): NodeRequestListener {
  const listener = getRequestListener(
    (request, { incoming }) =>
      handler(bodyReadBeforeProxy(incoming) ? withBodyReadByParser(request) : request, {
        // An HTTP/2 request is not an IncomingMessage and carries no Express session.
        ...(incoming instanceof IncomingMessage ? { nodeRequest: incoming } : {}),
      }),
    // overrideGlobalObjects: false: never replace the host application's global Request/Response.
    { overrideGlobalObjects: false, errorHandler: answerAdapterError(logger) },
  );
  return listener as NodeRequestListener;
}
