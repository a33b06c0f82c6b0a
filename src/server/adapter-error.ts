/**
 * What @hono/node-server's request listener answers when it cannot make a Web `Request` of what
 * Node parsed (a backslash in the path, `OPTIONS *`, a `Host` with userinfo or a path, no `Host` at
 * all): by default an empty 400. The contract says every response is its JSON envelope, so the
 * listener is given this handler instead, for the bin's server and for `toNodeListener` alike.
 */
import { RequestError } from '@hono/node-server';
import type { Logger } from './logger';
import { errorResponse, wholeRequestIssues } from './responses';

const NOT_A_URL =
  'The request target or Host header does not make a valid URL (a backslash, a target that is not a path, a Host with userinfo or a path, or no Host): send an origin-form path and a plain Host.';

/**
 * The listener's `errorHandler`: a request that could not become a `Request` is 400
 * `invalid_request`, logged like Node's own refusals (`proxy.client_error`) by reason only (the
 * target or Host may carry anything, a session token included). Anything else thrown before a
 * response (nothing of ours throws: the handler answers its own errors) is a 500.
 */
export function answerAdapterError(log: Logger): (error: unknown) => Response {
  return (error) => {
    if (error instanceof RequestError) {
      log({ level: 'info', event: 'proxy.client_error', status: 400, code: 'invalid_request', nodeCode: null, reason: 'url' });
      return errorResponse('invalid_request', { message: NOT_A_URL, issues: wholeRequestIssues(NOT_A_URL) });
    }
    log({ level: 'error', event: 'proxy.unhandled_error', errorName: error instanceof Error ? error.name : typeof error, route: null });
    return errorResponse('internal_error');
  };
}
