/**
 * Reads an appointment from Heim on behalf of a patient. Another patient's appointment answers
 * exactly like a missing one, so ids cannot be probed.
 */
import type { HeimClient } from './heim-client';
import type { HeimAppointment } from './heim-assumptions';
import { ProxyError } from './responses';

export async function assertOwnsAppointment(heim: HeimClient, appointmentId: string, patientId: string): Promise<HeimAppointment> {
  const outcome = await heim.getAppointment(appointmentId);
  switch (outcome.kind) {
    case 'ok':
      if (outcome.value.patient.id !== patientId || outcome.value.id !== appointmentId) throw new ProxyError('not_found');
      return outcome.value;
    case 'not_found':
      throw new ProxyError('not_found');
    default:
      // Heim may have answered (a refused key is a 401): the proxy's log says which.
      throw new ProxyError('upstream_error', { message: 'Heim could not be read for this appointment (the proxy log says why); nothing was changed.' });
  }
}
