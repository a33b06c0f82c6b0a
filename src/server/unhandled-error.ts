/**
 * The answer and the log line for an error no check turned into a contract code: a throwing
 * `authenticate`, or a fault of the proxy's own. The 500's message fits what the request was, so
 * a developer reading it in the browser's network panel is not told to re-read a cancellation
 * after a plain read.
 */
import type { Logger } from './logger';
import { AuthenticateThrew } from './portal-authenticate';
import { errorResponse } from './responses';

/** Longest message of the portal's that goes into a log line (a stack pasted into one, say). */
const MAX_LOGGED_MESSAGE = 500;

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
    // The portal's own code and the portal's own logger (through the redacting one, which still
    // takes out the Heim key and our secrets): without its message the line said only "Error".
    log({
      level: 'error',
      event: 'proxy.unhandled_error',
      stage: 'authenticate',
      errorName: thrown instanceof Error ? thrown.name : typeof thrown,
      message: (thrown instanceof Error ? thrown.message : String(thrown)).slice(0, MAX_LOGGED_MESSAGE),
      route: request.route,
    });
    return errorResponse('internal_error', { message: AUTHENTICATE_FAILED });
  }
  // Its name and route, not its message: the proxy's own faults can carry upstream text.
  log({ level: 'error', event: 'proxy.unhandled_error', errorName: error.name, route: request.route });
  const message = messageFor(request.method, request.route);
  return errorResponse('internal_error', message === undefined ? {} : { message });
}
