/**
 * Every response the proxy sends goes through here, so the envelope and the headers of the
 * contract (bff-api.md, "Every response") cannot be forgotten on one path.
 */
import { ERROR_CODES, type ErrorCode } from '../core/errors';
import type { CancellationView, Charge, ErrorIssue } from '../core';

export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { ...BASE_HEADERS, ...headers },
  });
}

export interface ErrorDetails {
  message?: string;
  issues?: ErrorIssue[];
  cancellation?: CancellationView;
  charge?: Charge;
  headers?: Record<string, string>;
}

/** The one issue of an `invalid_request` that refuses the request as a whole, before any body is read. */
export function wholeRequestIssues(message: string): ErrorIssue[] {
  return [{ path: '(request)', message }];
}

/**
 * The contract's error envelope, `{ error: { code, message, … } }`. An `invalid_request` always
 * carries `issues` (bff-api.md shows it with them): a refusal of the body as a whole (not JSON,
 * empty, not UTF-8) is one issue at the path `(body)`, as zod's whole-object issues are named.
 */
export function errorBody(code: ErrorCode, details: Omit<ErrorDetails, 'headers'> = {}): { error: Record<string, unknown> } {
  const { message: given, ...extra } = details;
  const message = given ?? ERROR_CODES[code].message;
  const issues = code === 'invalid_request' && extra.issues === undefined ? { issues: [{ path: '(body)', message }] } : {};
  return { error: { code, message, ...extra, ...issues } };
}

export function errorResponse(code: ErrorCode, details: ErrorDetails = {}): Response {
  const { headers, ...rest } = details;
  return jsonResponse(ERROR_CODES[code].status, errorBody(code, rest), headers);
}

/** Re-issue any response (a framework default, say) with the contract's headers. */
export function withBaseHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(BASE_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A typed way for request checks to stop the request with a contract error. */
export class ProxyError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetails = {},
    /** Why, for the operations log only (never sent): which check failed, what to configure. */
    readonly logReason?: string,
  ) {
    super(details.message ?? ERROR_CODES[code].message);
    this.name = 'ProxyError';
  }

  toResponse(): Response {
    return errorResponse(this.code, this.details);
  }
}
