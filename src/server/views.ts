/**
 * What leaves the proxy: only what the widget shows. Heim's objects carry organisation metadata,
 * clinical data, the patient's name and Operations' notes; none of it is copied across.
 */
import type { AppointmentView, CancellationView } from '../core/schemas';
import { DEFAULT_APPOINTMENT_TITLE, type HeimAppointment, type HeimCancellation } from './heim-assumptions';
import type { HeimCancelBody } from './heim-client';

export function toAppointmentView(appointment: HeimAppointment, timeZone: string): AppointmentView {
  const location = appointment.location ?? {};
  const addressLine = [location.line1, location.city].filter((part): part is string => Boolean(part?.trim())).join(', ');
  return {
    id: appointment.id,
    status: appointment.status,
    estimatedTimeOfArrival: appointment.estimatedTimeOfArrival
      ? new Date(appointment.estimatedTimeOfArrival).toISOString()
      : null,
    timeZone,
    summary: { title: appointment.serviceName?.trim() || DEFAULT_APPOINTMENT_TITLE, addressLine },
  };
}

/**
 * What the patient may see of a cancellation. `sent` is what our own cancel asked for: where Heim's
 * answer to that cancel leaves a field out, the field is what Heim accepted from us.
 */
export function toCancellationView(cancellation: HeimCancellation | null, sent?: HeimCancelBody): CancellationView {
  const instant = (value: string | null | undefined) => (value ? new Date(value).toISOString() : null);
  return {
    id: cancellation?.id ?? null,
    reasonCode: cancellation?.reasonCode ?? sent?.reasonCode ?? null,
    causingEntity: cancellation?.causingEntity ?? sent?.causingEntity ?? null,
    cancellingEntity: cancellation?.cancellingEntity ?? sent?.cancellingEntity ?? null,
    createdAt: instant(cancellation?.createdAt),
    updatedAt: instant(cancellation?.updatedAt),
  };
}

export function etaMs(appointment: HeimAppointment): number | null {
  return appointment.estimatedTimeOfArrival ? Date.parse(appointment.estimatedTimeOfArrival) : null;
}
