import type { AppointmentView } from '../core/index';
import type { CancelAppointmentMessages } from './messages';

export interface AppointmentSummaryProps {
  readonly appointment: AppointmentView;
  readonly messages: CancelAppointmentMessages;
  /** Referenced by the dialog's `aria-describedby`. */
  readonly id?: string;
}

/** What, when and where: enough for the patient to know at a glance which visit this is. */
export function AppointmentSummary({ appointment, messages, id }: AppointmentSummaryProps) {
  const eta = appointment.estimatedTimeOfArrival;
  return (
    <dl className="hc-summary" id={id}>
      <div className="hc-summary__row">
        <dt>{messages.summaryWhat}</dt>
        <dd>{appointment.summary.title}</dd>
      </div>
      <div className="hc-summary__row">
        <dt>{messages.summaryWhen}</dt>
        <dd>
          {eta === null ? (
            messages.etaNotSet
          ) : (
            <time dateTime={eta}>{messages.formatDateTime(Date.parse(eta), appointment.timeZone)}</time>
          )}
        </dd>
      </div>
      <div className="hc-summary__row">
        <dt>{messages.summaryWhere}</dt>
        <dd>{appointment.summary.addressLine}</dd>
      </div>
    </dl>
  );
}
