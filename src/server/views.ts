/**
 * What leaves the proxy: only what the widget shows. Heim's objects carry organisation metadata,
 * clinical data, the patient's name and Operations' notes; none of it is copied across.
 */
import type { AppointmentView, CancellationView } from '../core/schemas';
import { DEFAULT_APPOINTMENT_TITLE, type HeimAppointment, type HeimCancellation } from './heim-assumptions';

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

export function toCancellationView(cancellation: HeimCancellation): CancellationView {
  return {
    id: cancellation.id,
    reasonCode: cancellation.reasonCode,
    causingEntity: cancellation.causingEntity,
    cancellingEntity: cancellation.cancellingEntity,
    createdAt: new Date(cancellation.createdAt).toISOString(),
    updatedAt: new Date(cancellation.updatedAt).toISOString(),
  };
}

export function etaMs(appointment: HeimAppointment): number | null {
  return appointment.estimatedTimeOfArrival ? Date.parse(appointment.estimatedTimeOfArrival) : null;
}
