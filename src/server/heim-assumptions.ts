/**
 * Everything the proxy assumes about Heim's API beyond its published guide (heim-api.md, "assumed"),
 * in one place so it can be corrected without a hunt. Responses are parsed loosely: Heim may add
 * fields, and we only read what we need.
 */
import * as z from 'zod';

/** Known from Heim's docs: the key is sent as the raw `Authorization` value, with no scheme. */
export function heimAuthorizationHeader(apiKey: string): string {
  return apiKey;
}

/** Assumed paths, relative to the base URL that ends in /v1. */
export const heimPaths = {
  appointment: (id: string) => `/appointments/${encodeURIComponent(id)}`,
  cancel: (id: string) => `/appointments/${encodeURIComponent(id)}/cancel`,
  cancellation: (id: string) => `/appointments/${encodeURIComponent(id)}/cancellation`,
} as const;

/** Assumed: statuses in which a patient may still cancel. Anything else is final or unknown. */
export const CANCELLABLE_STATUSES: ReadonlySet<string> = new Set(['scheduling', 'scheduled']);
/** Assumed: the status of a cancelled appointment. */
export const CANCELLED_STATUS = 'cancelled';
/**
 * Assumed (heim-api.md lists the status as a guess; only the `appointment.completed` event is
 * known): a visit that took place reads `completed`. It can no longer be cancelled, so an earlier
 * cancel whose answer was lost did not cancel it.
 */
export const COMPLETED_STATUS = 'completed';

/**
 * Assumed: Heim sits behind gateways (load balancers, a service mesh) that answer 502, 503 or 504
 * themselves when the connection to Heim broke or Heim was slow, while Heim may still be carrying
 * out the request. Such an answer is not Heim's: for a cancel it is as uncertain as our own
 * timeout. 500 and 429 are taken as Heim's own answers. 503 is a gateway's although RFC 9110 says
 * "not handled": a service mesh (Envoy, Istio) answers 503 "upstream connect error or
 * disconnect/reset before headers" after it has passed the request on, so Heim may carry it out.
 */
export const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
/**
 * Assumed: how long a request a gateway gave up on may still be carried out by Heim. Past it, reads
 * that agree nothing was cancelled end the attempt ("not cancelled", so the patient may try again);
 * before it, the attempt stays pending and the appointment is never posted again.
 */
export const GATEWAY_GRACE_MS = 5 * 60_000;
/**
 * Assumed: a request whose answer was lost (a timeout, a reset, an unreadable 2xx) is not carried
 * out by Heim a day after it was sent. Until then the attempt stays pending and the appointment is
 * never posted again; past it, reads that agree nothing was cancelled end it, so a patient whose
 * visit has no ETA yet is not barred from cancelling online for good.
 */
export const LOST_ANSWER_GRACE_MS = 24 * 3_600_000;
/**
 * Assumed: how far Heim's clock may be ahead of ours. Whether a cancel is chargeable is decided by
 * when Heim records it, not when we decide to send it; NTP keeps servers within milliseconds, and
 * this covers a poorly synced one.
 */
export { HEIM_CLOCK_SLACK_MS } from '../core/charge';

const instant = z.iso.datetime({ offset: true });
/**
 * A field read leniently: a value of another type or shape reads as absent instead of making the
 * whole object unreadable. Heim's answers are evidence; one odd field must not hide the rest.
 */
const lenient = <T extends z.ZodType>(schema: T) => schema.nullish().catch(undefined);

/**
 * Assumed: Heim's cancellation object. Known from the guide: only `note`, `causingEntity`,
 * `cancellingEntity` and `reasonCode` (what the POST sends). `id`, `createdAt` and `updatedAt` are
 * our guess (heim-api.md), so every field is optional here, and the codes are read as strings: the
 * guide lists the codes "supported via the API", and Heim Operations, who amend cancellations after
 * review, may use others. It must carry at least one of the guide's codes, so that a 200 saying
 * "none" in some shape we did not guess (`{ "data": null }`) is not taken for a cancellation.
 */
export const heimCancellationSchema = z
  .looseObject({
    id: lenient(z.string()),
    reasonCode: lenient(z.string()),
    causingEntity: lenient(z.string()),
    cancellingEntity: lenient(z.string()),
    note: lenient(z.string()),
    // Assumed: when Heim recorded the cancel, on Heim's clock. The charge the patient is told about
    // afterwards is read at this instant when Heim gives it.
    createdAt: lenient(instant),
    updatedAt: lenient(instant),
  })
  .refine((cancellation) => Boolean(cancellation.reasonCode || cancellation.causingEntity || cancellation.cancellingEntity), {
    message: 'a cancellation carries at least one of reasonCode, causingEntity, cancellingEntity',
  });
export type HeimCancellation = z.infer<typeof heimCancellationSchema>;

export const heimAppointmentSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  // Known: can be unset. Assumed: an ISO-8601 instant or null/absent.
  estimatedTimeOfArrival: instant.nullish(),
  patient: z.looseObject({ id: z.string() }),
  // Assumed, and not relied on: `line1` and `city` (the guide says only "an address object"). A
  // missing line shows the patient the title alone.
  location: z
    .looseObject({
      line1: z.string().optional(),
      line2: z.string().optional(),
      city: z.string().optional(),
      postcode: z.string().optional(),
    })
    .nullish(),
  // Assumed: a human name of the visit. Heim's docs do not name one; we fall back to a generic title.
  serviceName: z.string().nullish(),
  // heim-api.md: the cancellation "may also be embedded in the appointment". When it is, it is a
  // second witness beside the cancellation GET (itself assumed), read as leniently.
  cancellation: lenient(heimCancellationSchema),
});
export type HeimAppointment = z.infer<typeof heimAppointmentSchema>;

export const DEFAULT_APPOINTMENT_TITLE = 'Home visit';

/**
 * Assumed: the longest cancel `note` Heim accepts (2000 characters), mirroring the simulator's
 * assumption (CANCEL_NOTE_MAX_LENGTH). Defined in core beside the note's composition, which keeps
 * every composed note within it; options.ts caps `noteMaxLength` (NOTE_MAX_LENGTH_LIMIT) from it.
 */
export { HEIM_NOTE_MAX_LENGTH } from '../core/note';
