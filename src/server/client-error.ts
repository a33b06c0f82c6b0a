/**
 * Requests Node's HTTP parser refuses before any handler runs: a malformed request line or
 * header, smuggling-shaped framing, a header block over Node's limit (16 KiB by default), a request
 * not received in time. Left to Node they are answered in plain text (`400 Bad Request`, `431
 * Request Header Fields Too Large`, no body), the one kind of answer from the bin outside the
 * contract's JSON envelope. Here they get the envelope and the contract's headers, and a log line.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '../core/errors';
import type { Logger } from './logger';
import { BASE_HEADERS, errorBody, wholeRequestIssues } from './responses';

interface ClientErrorAnswer {
  status: number;
  code: ErrorCode;
  message: string;
}

/**
 * Node's own status is kept (a 431 tells a browser, a CDN and an operator what is wrong; it is
 * not the patient's body), with the nearest code of the contract: the widget knows only those.
 */
function answerFor(nodeCode: string | undefined): ClientErrorAnswer {
  switch (nodeCode) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'invalid_request',
        message: 'The request headers are larger than this server accepts: send fewer or shorter headers (cookies included).',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'payload_too_large', message: 'The chunk extensions of the request body are too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'invalid_request', message: 'The request was not received in time: send it again.' };
    default:
      return {
        status: 400,
        code: 'invalid_request',
        message: 'The request is not valid HTTP/1.1: check its request line, its headers and the framing of its body.',
      };
  }
}

function rawResponse({ status, code, message }: ClientErrorAnswer): string {
  // The request as a whole is refused, not a field of its body: the one issue says so.
  const issues = code === 'invalid_request' ? { issues: wholeRequestIssues(message) } : {};
  const body = JSON.stringify(errorBody(code, { message, ...issues }));
  // Connection: close, since what follows on this connection cannot be framed.
  const headers = { ...BASE_HEADERS, 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * A `clientError` listener for a Node HTTP server. Handling the event takes the socket over from
 * Node, so every path ends by destroying it.
 */
export function answerClientError(log: Logger): (error: Error & { code?: string }, socket: Duplex) => void {
  return (error, socket) => {
    // The client went away (reset, or closed its side before its request ended): nobody to answer,
    // and nothing an operator needs to read. A body the handler was reading is logged there, once,
    // as proxy.client_aborted.
    if (error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE') {
      socket.destroy();
      return;
    }
    // As Node itself does: no answer when one is already being written on this connection (it
    // would corrupt it) or the socket can no longer be written (a second parse error after ours).
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (!socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const answer = answerFor(error.code);
    // Node's code only: the raw bytes (`error.rawPacket`) may hold a session cookie.
    log({ level: 'info', event: 'proxy.client_error', status: answer.status, code: answer.code, nodeCode: error.code ?? null });
    socket.end(rawResponse(answer), () => socket.destroy());
  };
}
