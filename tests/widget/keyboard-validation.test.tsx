import { within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { openForm } from './support/flow-helpers';
import { closeWidgetHarnesses } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

describe('validation after moving through the form by keyboard', () => {
  it('says "Choose why you are cancelling" when focus has passed through the reasons with none chosen', async () => {
    const { user, harness, dialog } = await openForm();
    await within(dialog).findByRole('group', { name: 'Why are you cancelling?' });

    // Tab onto the radio group and on past it, choosing nothing: react-hook-form now reads null.
    within(dialog).getByRole('radio', { name: "I'm unwell" }).focus();
    await user.tab();
    expect(within(dialog).getByRole('textbox')).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));

    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(summary).toHaveFocus();
    expect(within(summary).getByRole('link', { name: 'Choose why you are cancelling' })).toBeInTheDocument();
    expect(dialog).not.toHaveTextContent(/Invalid input/);
    expect(harness.cancelRequests()).toHaveLength(0);
  });
});
