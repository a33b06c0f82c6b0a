/**
 * Reads a JSON body without ever holding more than the limit in memory: a declared
 * Content-Length over the limit is refused before reading, and a streamed body is cut off as soon
 * as it passes the limit.
 */
import { ProxyError, wholeRequestIssues } from './responses';

export const MAX_BODY_BYTES = 16 * 1024;

export function assertDeclaredLengthWithin(request: Request, maxBytes = MAX_BODY_BYTES): void {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    throw new ProxyError('payload_too_large');
  }
}

const CLIENT_ABORTED_MESSAGE = 'The request body was not received in full: the connection closed before it ended. Nothing was changed.';

/**
 * The body stream failed while being read: the client went away (or the network did) before its
 * body ended. Not a fault of the proxy, and nothing a patient did wrong either, so it is answered
 * 400 `invalid_request` (if anything can still be answered) and logged `proxy.client_aborted` at
 * info, never as an error: anyone can cause it, on the webhook route without any credential.
 */
export class ClientAbortedError extends ProxyError {
  /** The stream error's `code` (ECONNRESET…) when it has a plain one, for the log. */
  readonly streamErrorCode: string | undefined;

  constructor(cause: unknown) {
    super('invalid_request', { message: CLIENT_ABORTED_MESSAGE, issues: wholeRequestIssues(CLIENT_ABORTED_MESSAGE) }, 'client_aborted');
    this.name = 'ClientAbortedError';
    const code = (cause as { code?: unknown } | null)?.code;
    this.streamErrorCode = typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
  }
}

export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  assertDeclaredLengthWithin(request, maxBytes);
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      // A refusal the host adapter put in the stream (a body parser read it first) is the proxy's
      // own answer; any other failure of the client's body stream is the client going away.
      if (error instanceof ProxyError) throw error;
      throw new ClientAbortedError(error);
    }
    const { done, value } = chunk;
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

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * Whether an object in a VALID JSON text names the same key twice (after unescaping, so
 * `"reasonCode"` and `"reason\u0043ode"` are the same key). JSON.parse silently keeps the last
 * one, so `{"reasonCode":"a","reasonCode":"b"}` could mean different things to different readers
 * (a log, a WAF, a later parser): such a body is ambiguous and refused.
 *
 * Not a parser: JSON.parse has already accepted `text`, so this only walks its structure. A stack
 * holds, per open container, the keys seen so far (objects) or null (arrays); a string is a key
 * exactly when it sits directly in an object and the next non-whitespace character is `:`.
 * Iterative, so deep nesting cannot overflow the call stack; linear in the length of the text.
 */
export function hasDuplicateJsonKey(text: string): boolean {
  const open: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '{') open.push(new Set());
    else if (char === '[') open.push(null);
    else if (char === '}' || char === ']') open.pop();
    else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const keys = open[open.length - 1];
      if (keys) {
        let next = end + 1;
        while (JSON_WHITESPACE.has(text[next]!)) next += 1;
        if (text[next] === ':') {
          const key = JSON.parse(text.slice(i, end + 1)) as string;
          if (keys.has(key)) return true;
          keys.add(key);
        }
      }
      i = end;
    }
  }
  return false;
}

export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  if (text.trim() === '') throw new ProxyError('invalid_request', { message: 'The request body is empty: send a JSON object.' });
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new ProxyError('invalid_request', { message: 'The request body is not valid JSON.' });
  }
  if (hasDuplicateJsonKey(text)) {
    throw new ProxyError('invalid_request', { message: 'The request body names a key twice: send each key once.' });
  }
  return value;
}
