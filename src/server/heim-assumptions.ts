/**
 * Everything the proxy assumes about Heim's API beyond its published guide (heim-api.md, "assumed"),
 * in one place so it can be corrected without a hunt. Responses are parsed loosely: Heim may add
 * fields, and we only read what we need.
 */
import * as z from 'zod';
import { CANCELLING_ENTITIES, CAUSING_ENTITIES, REASON_CODES } from '../core/reasons';

/** Assumed: the key is sent as the raw `Authorization` value, with no scheme (known from Heim's docs). */
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
export const CANCELLED_STATUS = 'cancelled';
/**
 * Known from the guide's events: a visit that took place reads `completed`. It can no longer be
 * cancelled, so an earlier cancel whose answer was lost did not cancel it.
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
export const HEIM_CLOCK_SLACK_MS = 2_000;

const instant = z.iso.datetime({ offset: true });

export const heimAppointmentSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  // Known: can be unset. Assumed: an ISO-8601 instant or null/absent.
  estimatedTimeOfArrival: instant.nullish(),
  patient: z.looseObject({ id: z.string() }),
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
});
export type HeimAppointment = z.infer<typeof heimAppointmentSchema>;

export const heimCancellationSchema = z.looseObject({
  id: z.string(),
  reasonCode: z.enum(REASON_CODES),
  causingEntity: z.enum(CAUSING_ENTITIES),
  cancellingEntity: z.enum(CANCELLING_ENTITIES),
  note: z.string().nullish(),
  // Assumed: when Heim recorded the cancel, on Heim's clock. The charge the patient is told about
  // afterwards is read at this instant.
  createdAt: instant,
  updatedAt: instant,
});
export type HeimCancellation = z.infer<typeof heimCancellationSchema>;

export const DEFAULT_APPOINTMENT_TITLE = 'Home visit';
