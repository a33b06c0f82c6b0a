/**
 * Reads a JSON body without ever holding more than the limit in memory: a declared
 * Content-Length over the limit is refused before reading, and a streamed body is cut off as soon
 * as it passes the limit.
 */
import { ProxyError } from './responses';

export const MAX_BODY_BYTES = 16 * 1024;

export function assertDeclaredLengthWithin(request: Request, maxBytes = MAX_BODY_BYTES): void {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    throw new ProxyError('payload_too_large');
  }
}

export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  assertDeclaredLengthWithin(request, maxBytes);
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ProxyError('payload_too_large');
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ProxyError('invalid_request', { message: 'The request body is not valid UTF-8.' });
  }
}

export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  if (text.trim() === '') throw new ProxyError('invalid_request', { message: 'The request body is empty: send a JSON object.' });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProxyError('invalid_request', { message: 'The request body is not valid JSON.' });
  }
}
