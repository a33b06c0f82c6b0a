/**
 * The proxy's error codes (bff-api.md), their HTTP status and a default developer-facing message.
 * The widget maps codes to patient-facing copy; these messages are for portal developers.
 */

export const ERROR_CODES = {
  invalid_request: { status: 400, message: 'The request body is not a valid cancellation.' },
  invalid_appointment_id: { status: 400, message: 'The appointment id must match ^[A-Za-z0-9_-]{1,64}$.' },
  missing_idempotency_key: {
    status: 400,
    message: 'Send an Idempotency-Key header of 8 to 128 characters from [A-Za-z0-9_-].',
  },
  unauthenticated: { status: 401, message: 'No valid patient session: sign in again.' },
  csrf_rejected: {
    status: 403,
    message:
      'Refused as a possible cross-site request: send Content-Type: application/json and X-Requested-With from an allowed origin.',
  },
  not_found: { status: 404, message: 'No such appointment for this patient.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed on this path.' },
  already_cancelled: { status: 409, message: 'This appointment has already been cancelled.' },
  charge_acknowledgement_required: {
    status: 409,
    message: 'Cancelling now may be charged: resend with acknowledgeCharge: true after showing the warning.',
  },
  not_cancellable: { status: 409, message: 'This appointment can no longer be cancelled.' },
  payload_too_large: { status: 413, message: 'The request body is larger than 16 KiB.' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json.' },
  idempotency_key_reused: {
    status: 422,
    message: 'This Idempotency-Key was already used with a different request: use a new key.',
  },
  rate_limited: { status: 429, message: 'Too many attempts: wait before trying again.' },
  upstream_error: { status: 502, message: 'Heim could not be reached or refused the request; nothing was cancelled.' },
  internal_error: {
    status: 500,
    message: 'Something went wrong in the proxy: read the cancellation status before trying again.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];
