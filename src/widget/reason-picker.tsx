import type { UseFormRegisterReturn } from 'react-hook-form';
import type { ReasonCode } from '../core/index';
import type { CancelAppointmentMessages } from './messages';

export interface ReasonPickerProps {
  /** Exactly the codes the proxy offered for this appointment now, in its order. */
  readonly reasons: readonly ReasonCode[];
  readonly registration: UseFormRegisterReturn<'reasonCode'>;
  /** Prefix for the radios' ids; the first radio's id is `${idPrefix}-${reasons[0]}`. */
  readonly idPrefix: string;
  readonly error: string | undefined;
  readonly messages: CancelAppointmentMessages;
}

export function reasonInputId(idPrefix: string, code: ReasonCode): string {
  return `${idPrefix}-${code}`;
}

/**
 * Native radios in a fieldset: the group's name comes from the legend, and arrow keys, required
 * state and forced-colours rendering all work with no script or style of ours.
 */
export function ReasonPicker({ reasons, registration, idPrefix, error, messages }: ReasonPickerProps) {
  const errorId = `${idPrefix}-error`;
  return (
    <fieldset className="hc-field hc-reasons" aria-describedby={error === undefined ? undefined : errorId}>
      <legend className="hc-field__legend">{messages.reasonLegend}</legend>
      {error === undefined ? null : (
        <p className="hc-field__error" id={errorId}>
          {error}
        </p>
      )}
      {reasons.map((code) => {
        const id = reasonInputId(idPrefix, code);
        return (
          <div className="hc-choice" key={code}>
            <input
              {...registration}
              className="hc-choice__input"
              type="radio"
              id={id}
              value={code}
              aria-invalid={error === undefined ? undefined : true}
              aria-describedby={error === undefined ? undefined : errorId}
            />
            <label className="hc-choice__label" htmlFor={id}>
              {messages.reasonLabels[code]}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}
