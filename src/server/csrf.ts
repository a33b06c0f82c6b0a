/**
 * Requests that change something must prove they come from our own page (bff-api.md): a JSON
 * content type and an X-Requested-With header (neither can be sent cross-site without a CORS
 * preflight, which we never grant), an allowed Origin when one is sent, and no
 * `Sec-Fetch-Site: cross-site`.
 */
import { ProxyError } from './responses';

/** Content types an HTML form or a no-preflight fetch can send cross-site. */
const SIMPLE_CONTENT_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

export function mediaType(request: Request): string | null {
  const header = request.headers.get('content-type');
  if (header === null) return null;
  return header.split(';')[0]!.trim().toLowerCase();
}

export function isJsonMediaType(type: string | null): boolean {
  return type === 'application/json';
}

/**
 * Throws csrf_rejected for cross-site shapes. A non-JSON type that no form can send (say
 * application/xml) passes here and is refused later as 415, since it is not a CSRF shape.
 */
export function assertSameSiteWrite(request: Request, allowedOrigins: readonly string[] | null): void {
  // Each refusal says which check failed, for the operations log only: the answer stays one code.
  const refuse = (reason: string) => new ProxyError('csrf_rejected', {}, reason);
  if (request.headers.get('sec-fetch-site')?.trim().toLowerCase() === 'cross-site') throw refuse('Sec-Fetch-Site is cross-site');

  const origin = request.headers.get('origin');
  if (origin !== null) {
    const allowed = allowedOrigins ?? [new URL(request.url).origin];
    if (!allowed.includes(origin)) {
      // The default is described, never printed: the request's own origin is built from its Host
      // header, which the sender chose (README: no header values in logs). Configured origins are
      // the operator's own text.
      const which = allowedOrigins === null ? "the request's own origin (the default: allowedOrigins unset)" : allowed.join(', ');
      throw refuse(`Origin is not an allowed origin (allowed: ${which}); behind a reverse proxy or TLS terminator, set allowedOrigins (ALLOWED_ORIGINS) to the portal's origin`);
    }
  }

  if ((request.headers.get('x-requested-with') ?? '').trim() === '') throw refuse('no X-Requested-With header');

  const type = mediaType(request);
  if (type === null || type === '' || SIMPLE_CONTENT_TYPES.has(type)) throw refuse('no content type, or one an HTML form can send');
}

export function assertJsonContentType(request: Request): void {
  if (!isJsonMediaType(mediaType(request))) throw new ProxyError('unsupported_media_type');
}
