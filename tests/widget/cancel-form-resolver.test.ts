/**
 * The form's rules as react-hook-form sees them: which field each refusal lands on, with which
 * words, and the body the proxy receives when nothing is refused.
 */
import type { FieldValues, ResolverOptions } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import type { ReasonCode } from '../../src/core/index';
import { createCancelFormResolver, type CancelFormValues } from '../../src/widget/cancel-form-resolver';
import { defaultMessages } from '../../src/widget/messages';

const offered: ReasonCode[] = ['patient_unwell', 'patient_cancelled'];
// What react-hook-form passes beside the values; the rules read none of it.
const options = { fields: {}, shouldUseNativeValidation: undefined } as ResolverOptions<CancelFormValues>;

function check(values: Partial<CancelFormValues>, rules: { acknowledgementRequired?: boolean; noteMaxLength?: number } = {}) {
  const resolve = createCancelFormResolver({
    reasons: offered,
    acknowledgementRequired: rules.acknowledgementRequired ?? false,
    ...(rules.noteMaxLength === undefined ? {} : { noteMaxLength: rules.noteMaxLength }),
    messages: defaultMessages,
  });
  const result = resolve({ reasonCode: '', note: '', acknowledgeCharge: false, ...values }, undefined, options);
  return result as Exclude<typeof result, Promise<unknown>> & { errors: FieldValues };
}

describe('the cancel form resolver', () => {
  it('asks for a reason when none is chosen, also once the radios read null', () => {
    for (const reasonCode of ['', null]) {
      const { values, errors } = check({ reasonCode });
      expect(values).toEqual({});
      expect(errors).toEqual({ reasonCode: { type: 'custom', message: 'Choose why you are cancelling' } });
    }
  });

  it('refuses a real code that is not offered for this appointment', () => {
    expect(check({ reasonCode: 'patient_not_present' }).errors.reasonCode?.message).toBe('Choose why you are cancelling');
  });

  it('asks for a note for "Another reason" when the note is blank or only spaces', () => {
    const { values, errors } = check({ reasonCode: 'patient_cancelled', note: ' \n ' });
    expect(values).toEqual({});
    expect(errors).toEqual({ note: { type: 'custom', message: 'Tell us why you are cancelling' } });
  });

  it('counts the raw note against the limit and says by how much it is over', () => {
    const { errors } = check({ reasonCode: 'patient_unwell', note: 'abcdefg' }, { noteMaxLength: 5 });
    expect(errors.note?.message).toBe(defaultMessages.errorNoteTooLong({ max: 5, over: 2 }));
    // Characters, not UTF-16 units: five emoji are five characters.
    expect(check({ reasonCode: 'patient_unwell', note: '🙂🙂🙂🙂🙂' }, { noteMaxLength: 5 }).errors).toEqual({});
  });

  it('requires the acknowledgement only when cancelling may be charged', () => {
    const refused = check({ reasonCode: 'patient_unwell' }, { acknowledgementRequired: true });
    expect(refused.errors.acknowledgeCharge?.message).toBe('Tick the box to confirm you understand you may be charged');
    expect(check({ reasonCode: 'patient_unwell', acknowledgeCharge: true }, { acknowledgementRequired: true }).values).toEqual({
      reasonCode: 'patient_unwell',
      acknowledgeCharge: true,
    });
  });

  it('reports every refused field at once', () => {
    const { errors } = check({ reasonCode: null, note: 'x'.repeat(501) }, { acknowledgementRequired: true });
    expect(Object.keys(errors).sort()).toEqual(['acknowledgeCharge', 'note', 'reasonCode']);
  });

  it('builds the body: the note trimmed or left out, and no acknowledgement the rules did not ask for', () => {
    expect(check({ reasonCode: 'patient_cancelled', note: '  Moving house  ' })).toEqual({
      values: { reasonCode: 'patient_cancelled', note: 'Moving house', acknowledgeCharge: false },
      errors: {},
    });
    expect(check({ reasonCode: 'patient_unwell', note: '   ', acknowledgeCharge: true })).toEqual({
      values: { reasonCode: 'patient_unwell', acknowledgeCharge: false },
      errors: {},
    });
  });
});
