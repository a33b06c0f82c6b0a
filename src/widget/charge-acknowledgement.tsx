import type { UseFormRegisterReturn } from 'react-hook-form';
import type { CancelAppointmentMessages } from './messages';

export interface ChargeAcknowledgementProps {
  readonly id: string;
  readonly registration: UseFormRegisterReturn<'acknowledgeCharge'>;
  readonly error: string | undefined;
  /** Describes the checkbox with the visible charge warning, so it is read together. */
  readonly warningId?: string;
  readonly messages: CancelAppointmentMessages;
}

/** The explicit "I understand I may be charged" tick that chargeable and due cancellations need. */
export function ChargeAcknowledgement({ id, registration, error, warningId, messages }: ChargeAcknowledgementProps) {
  const errorId = `${id}-error`;
  const describedBy = [error === undefined ? null : errorId, warningId ?? null].filter(Boolean).join(' ');
  return (
    <div className="hc-field hc-acknowledge">
      {error === undefined ? null : (
        <p className="hc-field__error" id={errorId}>
          {error}
        </p>
      )}
      <div className="hc-choice">
        <input
          {...registration}
          className="hc-choice__input"
          type="checkbox"
          id={id}
          aria-required="true"
          aria-invalid={error === undefined ? undefined : true}
          aria-describedby={describedBy === '' ? undefined : describedBy}
        />
        <label className="hc-choice__label" htmlFor={id}>
          {messages.acknowledgeCharge}
        </label>
      </div>
    </div>
  );
}
