/**
 * The answer and the log line for an error no check turned into a contract code: a throwing
 * `authenticate`, or a fault of the proxy's own. The 500's message fits what the request was, so
 * a developer reading it in the browser's network panel is not told to re-read a cancellation
 * after a plain read.
 */
import type { Logger } from './logger';
import { AuthenticateThrew } from './portal-authenticate';
import { errorResponse } from './responses';

const AUTHENTICATE_FAILED =
  "The portal's authenticate threw, so the patient could not be identified and nothing was changed: the proxy log (proxy.unhandled_error, stage authenticate) says why.";
const READ_FAILED = 'Something went wrong in the proxy while reading; nothing was changed: the proxy log says why.';

function messageFor(method: string, route: string): string | undefined {
  if (method === 'GET' || method === 'HEAD') return READ_FAILED;
  // A cancel may have reached Heim: the code's default says to read the status before retrying.
  return route.endsWith('/cancel') ? undefined : 'Something went wrong in the proxy: the proxy log says why.';
}

export function answerUnhandledError(error: Error, request: { method: string; route: string }, log: Logger): Response {
  if (error instanceof AuthenticateThrew) {
    const thrown = error.thrown;
    // The stage, the error's name and its `code` (ECONNREFUSED, ETIMEDOUT…), not its message: a
    // portal's session store can throw text holding its own secrets (a Redis URL with a password),
    // which no redaction list of ours knows. The portal's own logging around authenticate has it.
    const code = (thrown as { code?: unknown } | null)?.code;
    log({
      level: 'error',
      event: 'proxy.unhandled_error',
      stage: 'authenticate',
      errorName: thrown instanceof Error ? thrown.name : typeof thrown,
      ...(typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? { errorCode: code } : {}),
      route: request.route,
    });
    return errorResponse('internal_error', { message: AUTHENTICATE_FAILED });
  }
  // Its name and route, not its message: the proxy's own faults can carry upstream text.
  log({ level: 'error', event: 'proxy.unhandled_error', errorName: error.name, route: request.route });
  const message = messageFor(request.method, request.route);
  return errorResponse('internal_error', message === undefined ? {} : { message });
}
