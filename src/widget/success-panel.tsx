import { requiresChargeAcknowledgement } from '../core/index';
import type { AppointmentView } from '../core/index';
import type { CancelledResult } from './cancel-appointment-context';
import type { CancelAppointmentMessages } from './messages';
import { StatusPanel } from './status-panel';

export interface SuccessPanelProps {
  readonly result: CancelledResult;
  /** The appointment as last read, for saying what was cancelled. */
  readonly appointment: AppointmentView | null;
  readonly titleId: string;
  readonly descriptionId: string;
  readonly messages: CancelAppointmentMessages;
}

/** What happened, what happens next, and whether a charge may follow. Its heading takes focus. */
export function SuccessPanel({ result, appointment, titleId, descriptionId, messages }: SuccessPanelProps) {
  const eta = appointment?.estimatedTimeOfArrival ?? null;
  const when = eta === null || appointment === null ? null : messages.formatDateTime(Date.parse(eta), appointment.timeZone);
  const chargeState = result.charge?.state;
  return (
    <StatusPanel title={messages.successTitle} tone="success" titleId={titleId} descriptionId={descriptionId}>
      {appointment === null ? null : <p>{messages.successBody({ title: appointment.summary.title, when })}</p>}
      <p>{messages.successNext}</p>
      {chargeState === undefined ? null : (
        <p className="hc-panel__charge">
          {requiresChargeAcknowledgement(chargeState) ? messages.successMayBeCharged : messages.successNoCharge}
        </p>
      )}
    </StatusPanel>
  );
}
