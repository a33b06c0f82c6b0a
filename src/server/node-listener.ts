/**
 * Mounts the Web-standard handler in Node frameworks that speak `(req, res)`: Express, Connect,
 * Fastify's raw routes, plain `node:http`. The conversion is @hono/node-server's maintained one
 * (it streams the body, so the proxy's 16 KiB limit still holds), not a hand-written copy.
 */
import { getRequestListener } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CancelHandler } from './app';
import { bodyReadBeforeProxy, withBodyReadByParser } from './body-read-by-parser';

export type NodeRequestListener = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * Returns a `(req, res)` listener for `handler`. Mount it without a body parser in front (the
 * proxy reads the raw body itself; mounted behind one, a request with a body is answered 500
 * `internal_error` saying so) and where the full path still reaches it: Express's `app.all` keeps
 * `req.url` whole, whereas `app.use('/api', …)` would strip the prefix.
 */
export function toNodeListener(handler: CancelHandler): NodeRequestListener {
  const listener = getRequestListener(
    (request, { incoming }) => handler(bodyReadBeforeProxy(incoming) ? withBodyReadByParser(request) : request),
    // overrideGlobalObjects: false: never replace the host application's global Request/Response.
    { overrideGlobalObjects: false },
  );
  return listener as NodeRequestListener;
}
