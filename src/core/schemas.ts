/**
 * zod schemas for the proxy's public contract (bff-api.md): what the widget sends and what it gets
 * back. The proxy parses requests with them and the widget parses responses with them, so a drift
 * on either side is a parse error rather than a silent misunderstanding.
 *
 * `import * as z` keeps zod's locales out of browser bundles (toolchain.md).
 */
import * as z from 'zod';
import { CHARGE_STATES } from './charge';
import { ERROR_CODE_LIST } from './errors';
import { REASON_CODES } from './reasons';

/** Hard ceiling on the raw note; the configurable limit (500 by default) is checked after cleaning. */
export const NOTE_HARD_MAX_LENGTH = 4000;

export const reasonCodeSchema = z.enum(REASON_CODES);
export const chargeStateSchema = z.enum(CHARGE_STATES);

export const cancelRequestBodySchema = z.strictObject({
  reasonCode: reasonCodeSchema,
  note: z.string().max(NOTE_HARD_MAX_LENGTH).optional(),
  acknowledgeCharge: z.boolean().optional(),
});
export type CancelRequestBody = z.infer<typeof cancelRequestBodySchema>;

const isoInstant = z.iso.datetime({ offset: true });

export const chargeSchema = z.object({
  state: chargeStateSchema,
  windowHours: z.number().positive(),
  chargeableFrom: isoInstant.nullable(),
});

/**
 * The cancellation as the patient may see it (no Operations note, no organisation data), as Heim
 * holds it. Heim documents only the four fields a cancel sends, and Heim Operations may amend them
 * to codes outside the fifteen the API lists, so each field is null when Heim's answer did not
 * carry it, and the codes are strings: a widget shows the reason only when it knows the code.
 */
export const cancellationViewSchema = z.object({
  id: z.string().nullable(),
  reasonCode: z.string().nullable(),
  causingEntity: z.string().nullable(),
  cancellingEntity: z.string().nullable(),
  createdAt: isoInstant.nullable(),
  updatedAt: isoInstant.nullable(),
});
export type CancellationView = z.infer<typeof cancellationViewSchema>;

export const APPOINTMENT_STATUSES = ['scheduling', 'scheduled', 'completed', 'cancelled'] as const;

export const appointmentViewSchema = z.object({
  id: z.string(),
  // Heim may add statuses we do not know; the widget treats unknown ones as not cancellable.
  status: z.string(),
  estimatedTimeOfArrival: isoInstant.nullable(),
  timeZone: z.string(),
  summary: z.object({ title: z.string(), addressLine: z.string() }),
});
export type AppointmentView = z.infer<typeof appointmentViewSchema>;

export const appointmentResponseSchema = z.object({
  appointment: appointmentViewSchema,
  cancellation: cancellationViewSchema.nullable(),
  charge: chargeSchema,
  reasons: z.array(reasonCodeSchema),
  serverNow: isoInstant,
});
export type AppointmentResponse = z.infer<typeof appointmentResponseSchema>;

export const cancelSuccessSchema = z.object({
  status: z.literal('cancelled'),
  cancellation: cancellationViewSchema,
  charge: chargeSchema,
});
export const cancelPendingSchema = z.object({ status: z.literal('pending_confirmation') });
// Typed by hand: inferred, the published declarations say `ZodDiscriminatedUnion<[…], "status">`,
// and that second type argument only exists from zod 4.0.16 on; against an older zod 4, within our
// peer range, a portal's TypeScript refused the whole file. Left out it defaults to `string`.
export const cancelResponseSchema: z.ZodDiscriminatedUnion<[typeof cancelSuccessSchema, typeof cancelPendingSchema]> = z.discriminatedUnion(
  'status',
  [cancelSuccessSchema, cancelPendingSchema],
);
export type CancelResponse = z.infer<typeof cancelResponseSchema>;

export const CANCELLATION_STATUSES = ['cancelled', 'pending_confirmation', 'not_cancelled'] as const;
export const cancellationStatusResponseSchema = z.object({
  cancellation: cancellationViewSchema.nullable(),
  status: z.enum(CANCELLATION_STATUSES),
});
export type CancellationStatusResponse = z.infer<typeof cancellationStatusResponseSchema>;

export const errorIssueSchema = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

export const errorCodeSchema = z.enum(ERROR_CODE_LIST as [string, ...string[]]);

export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(errorIssueSchema).optional(),
    cancellation: cancellationViewSchema.optional(),
    charge: chargeSchema.optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

export const healthResponseSchema = z.object({ ok: z.literal(true) });
