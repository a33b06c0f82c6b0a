/**
 * zod schemas for every body the simulator accepts: Heim's cancel body (`/v1`), and the control
 * bodies (`/_sim`) and seeds given in code. Parsing seeds too means a bad fixture fails loudly
 * where it is loaded rather than as a puzzling answer later.
 */
import * as z from 'zod';
import { CANCELLING_ENTITIES, CAUSING_ENTITIES, REASON_CODES } from '../core/reasons';
import { CANCEL_NOTE_MAX_LENGTH, HEIM_APPOINTMENT_STATUSES } from './heim-assumptions';

const nonBlank = (label: string) =>
  z.string().refine((value) => value.trim() !== '', { message: `${label} must not be empty` });

/** Any ISO-8601 instant with an explicit zone; stored normalised to `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export const isoInstant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

const reasonCode = z.enum(REASON_CODES);
const causingEntity = z.enum(CAUSING_ENTITIES);
const cancellingEntity = z.enum(CANCELLING_ENTITIES);

/**
 * `POST /v1/appointments/{id}/cancel`. Unknown extra keys are tolerated (and dropped), as a real
 * API usually does, so the proxy cannot accidentally depend on the simulator being strict.
 */
export const cancelBodySchema = z.object({
  note: nonBlank('note').pipe(z.string().max(CANCEL_NOTE_MAX_LENGTH)),
  causingEntity,
  cancellingEntity,
  reasonCode,
});
export type CancelBody = z.output<typeof cancelBodySchema>;

/**
 * What Heim Operations may change when they review a cancellation (`amendCancellation` and
 * `POST /_sim/appointments/{id}/amend`). Strict: a typo in a test is an error, not a no-op.
 */
export const amendPatchSchema = z.strictObject({
  reasonCode: reasonCode.optional(),
  causingEntity: causingEntity.optional(),
  // The guide: Operations verify "the cancelling entity and reasons", and may update either.
  cancellingEntity: cancellingEntity.optional(),
  note: nonBlank('note').pipe(z.string().max(CANCEL_NOTE_MAX_LENGTH)).optional(),
});
export type AmendPatch = z.output<typeof amendPatchSchema>;

const jsonObject = z.record(z.string(), z.json());

const seedCancellationSchema = z.strictObject({
  id: z.string().min(1).optional(),
  note: z.string(),
  causingEntity,
  cancellingEntity,
  reasonCode,
  createdAt: isoInstant.optional(),
  updatedAt: isoInstant.optional(),
});

/** Ids are opaque to Heim; the simulator only refuses what could not sit in one path segment. */
const appointmentId = z.string().regex(/^[^/?#\s]{1,128}$/, 'appointment id must be 1-128 characters, no "/", "?", "#" or spaces');

export const seedAppointmentSchema = z
  .strictObject({
    id: appointmentId,
    status: z.enum(HEIM_APPOINTMENT_STATUSES),
    estimatedTimeOfArrival: isoInstant.nullable(),
    patient: z.strictObject({ id: z.string().regex(/^p_/, 'patient id must start with p_'), name: z.string().min(1) }),
    serviceName: z.string().min(1),
    location: z.strictObject({
      line1: z.string().min(1),
      line2: z.string().optional(),
      city: z.string().min(1),
      postcode: z.string().min(1),
    }),
    externalRef: z.string().nullable().optional(),
    windowId: z.string().regex(/^win_/, 'windowId must start with win_').nullable().optional(),
    metadata: jsonObject.optional(),
    data: jsonObject.optional(),
    createdAt: isoInstant.optional(),
    updatedAt: isoInstant.optional(),
    cancellation: seedCancellationSchema.optional(),
  })
  .refine((seed) => (seed.status === 'cancelled') === (seed.cancellation !== undefined), {
    message: 'a seed has a cancellation exactly when its status is "cancelled"',
    path: ['cancellation'],
  });
export type ParsedSeedAppointment = z.output<typeof seedAppointmentSchema>;
