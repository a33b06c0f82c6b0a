/**
 * Turns an incoming cancel POST into a typed command, or a contract error. Nothing in here talks
 * to Heim: every refusal happens before any upstream call.
 */
import { isIdempotencyKey } from '../core/ids';
import { noteLength, sanitizePatientNote } from '../core/note';
import { PATIENT_ELIGIBLE_REASON_CODES, REASONS, isPatientEligible } from '../core/reasons';
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

const ALLOWED_KEYS = ['reasonCode', 'note', 'acknowledgeCharge'] as const;

type BodyIssue = NonNullable<ReturnType<typeof cancelRequestBodySchema.safeParse>['error']>['issues'][number];

/**
 * zod's message, except where it would echo the sender's own input back (unknown key names, of
 * any length or content) or list reasons a patient may never give (the full enum).
 */
function messageOf(issue: BodyIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `Unknown ${issue.keys.length === 1 ? 'key' : 'keys'}: send only ${ALLOWED_KEYS.join(', ')}.`;
  }
  if (issue.code === 'invalid_value' && issue.path[0] === 'reasonCode') {
    return `Must be one of ${PATIENT_ELIGIBLE_REASON_CODES.join(', ')}.`;
  }
  return issue.message;
}

/**
 * The command, built afresh from the three known fields only: a reason a patient may give (whether
 * this patient may use it for this appointment now is decided with Heim's data, later), the note as
 * it will be composed (already cleaned, left out when empty), and the acknowledgement.
 */
export function parseCancelBody(raw: unknown, noteMaxLength: number): CancelRequestBody {
  const parsed = cancelRequestBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issues: ErrorIssue[] = parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: messageOf(issue) }));
    throw new ProxyError('invalid_request', { issues });
  }
  const body = parsed.data;
  // Organisation- and platform-side reasons are never a patient's: refused here, before anything is
  // read from Heim, whatever the configured list says.
  if (!isPatientEligible(body.reasonCode)) {
    throw new ProxyError('invalid_request', {
      issues: [{ path: 'reasonCode', message: 'This reason cannot be given by a patient.' }],
    });
  }
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
  return {
    reasonCode: body.reasonCode,
    ...(note === '' ? {} : { note }),
    ...(body.acknowledgeCharge === undefined ? {} : { acknowledgeCharge: body.acknowledgeCharge }),
  };
}
