/** Building the simulator's responses, so every answer has the same headers and error shape. */
import { HEIM_JSON_CONTENT_TYPE, heimErrorBody, type HeimErrorType } from './heim-assumptions';

export function jsonResponse(status: number, body: unknown, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': HEIM_JSON_CONTENT_TYPE, 'cache-control': 'no-store', ...extraHeaders },
  });
}

export function errorResponse(
  status: number,
  type: HeimErrorType,
  message: string,
  extraHeaders: Record<string, string> = {},
): Response {
  return jsonResponse(status, heimErrorBody(type, message), extraHeaders);
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
}

export function methodNotAllowed(allow: string): Response {
  return errorResponse(405, 'method_not_allowed', `Use ${allow} on this path.`, { allow });
}

/** JSON.parse that reports failure as a value rather than an exception. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
