/**
 * Turns an incoming cancel POST into a typed command, or a contract error. Nothing in here talks
 * to Heim: every refusal happens before any upstream call.
 */
import { isIdempotencyKey } from '../core/ids';
import { noteLength, sanitizePatientNote } from '../core/note';
import { REASONS } from '../core/reasons';
import { cancelRequestBodySchema, type CancelRequestBody, type ErrorIssue } from '../core/schemas';
import { ProxyError } from './responses';

export function readIdempotencyKey(request: Request): string {
  const key = request.headers.get('idempotency-key');
  if (key === null || !isIdempotencyKey(key)) throw new ProxyError('missing_idempotency_key');
  return key;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(body)';
}

export function parseCancelBody(raw: unknown, noteMaxLength: number): CancelRequestBody {
  const parsed = cancelRequestBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issues: ErrorIssue[] = parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message }));
    throw new ProxyError('invalid_request', { issues });
  }
  const body = parsed.data;
  const note = body.note === undefined ? '' : sanitizePatientNote(body.note);
  if (noteLength(note) > noteMaxLength) {
    throw new ProxyError('invalid_request', {
      issues: [{ path: 'note', message: `The note must be at most ${noteMaxLength} characters.` }],
    });
  }
  if (REASONS[body.reasonCode].noteRequired && note === '') {
    throw new ProxyError('invalid_request', {
      issues: [{ path: 'note', message: 'A note is required for this reason.' }],
    });
  }
  return body;
}
