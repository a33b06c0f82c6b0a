/**
 * Raw HTTP/1.1 over a socket, for requests no HTTP client would send: a request target with NUL,
 * CR/LF or unresolved dot segments, smuggling-shaped framing, TRACE/CONNECT, bodies streamed
 * without a Content-Length. Answers are parsed just enough to assert on.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
}

function decodeChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd === -1) break;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function parseRawAnswer(data: Buffer): RawAnswer {
  const headEnd = data.indexOf('\r\n\r\n');
  if (data.length === 0 || headEnd === -1) return { status: 0, headers: {}, body: data.toString('utf8') };
  const [statusLine = '', ...lines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(headEnd + 4);
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  // Only the first answer: on a kept-alive connection more may follow.
  const body =
    headers['transfer-encoding']?.toLowerCase() === 'chunked' ? decodeChunked(rest) : length === undefined ? rest : rest.subarray(0, length);
  return { status, headers, body: body.toString('utf8') };
}

/** Writes `request` (bytes as given) and reads until the server closes, or `timeoutMs`. */
export function rawRequest(origin: string, request: string | Buffer, timeoutMs = 3000): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      resolve(parseRawAnswer(Buffer.concat(chunks)));
    };
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request);
  });
}

export interface RawRequestParts {
  method: string;
  target: string;
  /** Host header; default the origin's host. `null` sends none. */
  host?: string | null;
  headers?: Record<string, string>;
  body?: string;
}

/** Builds the bytes of a request whose target is sent exactly as given (latin1, no escaping). */
export function rawRequestText(origin: string, parts: RawRequestParts): string {
  const host = parts.host === undefined ? new URL(origin).host : parts.host;
  const lines = [`${parts.method} ${parts.target} HTTP/1.1`];
  if (host !== null) lines.push(`Host: ${host}`);
  for (const [name, value] of Object.entries(parts.headers ?? {})) lines.push(`${name}: ${value}`);
  lines.push('Connection: close');
  if (parts.body !== undefined && !Object.keys(parts.headers ?? {}).some((name) => /^(content-length|transfer-encoding)$/i.test(name))) {
    lines.push(`Content-Length: ${Buffer.byteLength(parts.body)}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${parts.body ?? ''}`;
}
