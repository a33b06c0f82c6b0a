/**
 * A portal that mounts the proxy after `express.json()` (or any body parser) hands it a request
 * whose body stream has already been read to its end. Read again, it is empty, and every cancel
 * was answered 400 "The request body is empty", which sent developers to look at the widget. This
 * notices the case on Node and turns it into an error that names the misconfiguration.
 *
 * The parsed `req.body` is never used instead: the proxy reads the raw text itself to enforce its
 * size limit, refuse duplicate keys and invalid UTF-8, and verify webhook signatures over the
 * exact bytes, none of which a parser's object can tell.
 */
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { ProxyError } from './responses';

/** Methods whose body @hono/node-server never reads (and which `new Request` refuses to carry one for). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE']);

const PUBLIC_MESSAGE =
  'The request body was read by a body parser (such as express.json()) before it reached the cancel proxy, so it could not be checked and nothing was sent to Heim: mount the proxy before any body parser, or exclude its path from the parser.';

const LOG_REASON =
  "body already read by a body parser in front of the handler: mount toNodeListener(handler) before express.json() or any other body parser, or exclude the proxy's path from the parser";

/**
 * Whether the Node request declared a body and something has already read from its stream. A
 * fresh request's stream is never read before the listener runs, whatever its size. Not
 * `req.body !== undefined`: Express 4's body-parser sets `req.body = {}` on requests it does not
 * parse, without reading them.
 */
export function bodyReadBeforeProxy(incoming: IncomingMessage | Http2ServerRequest): boolean {
  if (BODYLESS_METHODS.has(incoming.method ?? 'GET')) return false;
  // A parser that keeps the raw bytes (`express.json({ verify })` storing `req.rawBody`, Google
  // Cloud Functions): @hono/node-server hands those to the proxy, which then sees the body as sent.
  if (Buffer.isBuffer((incoming as { rawBody?: unknown }).rawBody)) return false;
  const length = Number(incoming.headers['content-length'] ?? '0');
  const declaresBody = incoming.headers['transfer-encoding'] !== undefined || length > 0;
  return declaresBody && (incoming.readableEnded || incoming.readableDidRead);
}

/**
 * The same request with a body that fails when read, with a 500 `internal_error` naming the fix:
 * the refusal then comes from wherever the proxy reads a body (a cancel, a webhook), after the
 * checks that come before reading it, and is logged as `proxy.refused` with the fix as its reason.
 */
export function withBodyReadByParser(request: Request): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new ProxyError('internal_error', { message: PUBLIC_MESSAGE }, LOG_REASON));
    },
  });
  // `duplex` is required by Node's fetch for a streamed body and missing from the DOM typings.
  const init = { method: request.method, headers: request.headers, body, signal: request.signal, duplex: 'half' };
  return new Request(request.url, init as RequestInit);
}
