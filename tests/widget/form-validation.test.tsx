import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

async function openForm(appointmentId = 'apt_alice_3d') {
  const user = userEvent.setup();
  const harness = await createWidgetHarness();
  harness.render(<CancelAppointmentButton appointmentId={appointmentId} fetch={harness.fetch} />);
  await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByRole('group', { name: 'Why are you cancelling?' });
  const confirm = within(dialog).getByRole('button', { name: 'Cancel appointment' });
  return { user, harness, dialog, confirm };
}

/**
 * In a browser the microtasks queued by a submit's listener run inside that listener, while
 * `window.event` is still the submit, so React renders their updates at once (discrete priority).
 * jsdom dispatches from a script and runs them after, as default-priority work React batches. This
 * keeps `window.event` for the submit's microtasks, as a browser does, so the form's order of
 * renders is the browser's.
 */
function submitsWithBrowserTiming(root: HTMLElement): void {
  root.addEventListener(
    'submit',
    (event) => {
      Object.defineProperty(window, 'event', { configurable: true, get: () => event });
      setTimeout(() => Reflect.deleteProperty(window, 'event'));
    },
    true,
  );
}

describe('validation', () => {
  it('shows an error summary that takes focus and links to the reason', async () => {
    const { user, harness, dialog, confirm } = await openForm();

    await user.click(confirm);

    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(summary).toHaveFocus();
    const link = within(summary).getByRole('link', { name: 'Choose why you are cancelling' });
    const firstRadio = within(dialog).getByRole('radio', { name: "I'm unwell" });
    expect(link).toHaveAttribute('href', `#${firstRadio.id}`);
    for (const radio of within(dialog).getAllByRole('radio')) {
      expect(radio).toHaveAttribute('aria-invalid', 'true');
      expect(radio).toHaveAccessibleDescription('Choose why you are cancelling');
    }
    expect(within(dialog).getByRole('group', { name: 'Why are you cancelling?' })).toHaveAccessibleDescription(
      'Choose why you are cancelling',
    );

    await user.click(link);
    expect(firstRadio).toHaveFocus();
    expect(harness.cancelRequests()).toHaveLength(0);

    // Choosing a reason clears the error at once.
    await user.click(within(dialog).getByRole('radio', { name: 'I no longer need this visit' }));
    expect(within(dialog).queryByRole('alert', { name: 'There is a problem' })).not.toBeInTheDocument();
    expect(firstRadio).not.toHaveAttribute('aria-invalid');
  });

  it('requires a note for "Another reason", and the link focuses the note', async () => {
    const { user, harness, dialog, confirm } = await openForm();
    expect(within(dialog).getByRole('textbox', { name: 'Anything else you want to tell us (optional)' })).not.toBeRequired();

    await user.click(within(dialog).getByRole('radio', { name: 'Another reason (please tell us more)' }));
    const note = within(dialog).getByRole('textbox', { name: 'Tell us why you are cancelling' });
    expect(note).toBeRequired();
    await user.type(note, '   ');
    await user.click(confirm);

    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(summary).toHaveFocus();
    const link = within(summary).getByRole('link', { name: 'Tell us why you are cancelling' });
    expect(note).toHaveAttribute('aria-invalid', 'true');
    expect(note).toHaveAccessibleDescription(expect.stringContaining('Tell us why you are cancelling'));
    await user.click(link);
    expect(note).toHaveFocus();
    expect(harness.cancelRequests()).toHaveLength(0);

    await user.type(note, 'My daughter will take me to the clinic instead.');
    await user.click(confirm);
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(JSON.parse(harness.cancelRequests()[0]?.body ?? '{}')).toEqual({
      reasonCode: 'patient_cancelled',
      note: 'My daughter will take me to the clinic instead.',
      acknowledgeCharge: false,
    });
  });

  it('a second submit brings the summary up to date with every problem it found, including one that is new', async () => {
    // Inside the charge window: an empty submit finds the reason and the tick-box.
    const { user, harness, dialog, confirm } = await openForm('apt_alice_5h');
    submitsWithBrowserTiming(dialog);
    await user.click(confirm);
    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    const links = () => within(summary).getAllByRole('link').map((link) => link.textContent);
    expect(links()).toEqual([defaultMessages.errorReasonRequired, defaultMessages.errorAcknowledgeRequired]);

    // "Another reason" needs a note: the next submit finds the note and the tick-box.
    await user.click(within(dialog).getByRole('radio', { name: 'Another reason (please tell us more)' }));
    await user.click(confirm);
    const note = within(dialog).getByRole('textbox', { name: 'Tell us why you are cancelling' });
    await waitFor(() => expect(note).toHaveAttribute('aria-invalid', 'true'));
    await waitFor(() => expect(links()).toEqual([defaultMessages.errorNoteRequired, defaultMessages.errorAcknowledgeRequired]));
    expect(summary).toHaveFocus();
    expect(harness.cancelRequests()).toHaveLength(0);
  });

  it('counts characters, speaks the count only near the limit, and refuses more than 500', async () => {
    const { user, harness, dialog, confirm } = await openForm();
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    const note = within(dialog).getByRole('textbox', { name: 'Anything else you want to tell us (optional)' });
    expect(note).not.toHaveAttribute('maxlength');
    expect(within(dialog).getByText('0 of 500 characters')).toBeInTheDocument();

    await user.type(note, 'Feeling dizzy');
    expect(within(dialog).getByText('13 of 500 characters')).toBeInTheDocument();
    expect(note).toHaveAccessibleDescription(expect.stringContaining('13 of 500 characters'));
    // Far from the limit: nothing is spoken.
    expect(within(dialog).getAllByRole('status').some((region) => region.textContent?.includes('characters'))).toBe(false);

    await user.clear(note);
    await user.click(note);
    await user.paste('x'.repeat(480));
    // Spoken once typing pauses, not on each keystroke.
    expect(within(dialog).getAllByRole('status').some((region) => region.textContent === '480 of 500 characters')).toBe(false);
    await waitFor(() => expect(within(dialog).getAllByRole('status').some((region) => region.textContent === '480 of 500 characters')).toBe(true));

    await user.paste('y'.repeat(23));
    expect(within(dialog).getAllByText('503 of 500 characters').length).toBeGreaterThan(0);
    await user.click(confirm);
    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(
      within(summary).getByRole('link', { name: 'Your note must be 500 characters or fewer. You have 3 characters too many.' }),
    ).toBeInTheDocument();
    expect(note).toHaveAttribute('aria-invalid', 'true');
    expect(harness.cancelRequests()).toHaveLength(0);

    await user.type(note, '{Backspace}{Backspace}');
    // The summary is an alert: it stays as it was at the submit, so typing is not interrupted by it;
    // the field's own message follows the typing.
    expect(summary).toHaveTextContent('You have 3 characters too many.');
    expect(within(dialog).getByText('Your note must be 500 characters or fewer. You have 1 character too many.', { selector: 'p' })).toBeInTheDocument();
    await user.click(confirm);
    // react-hook-form validates asynchronously: the new submit's summary comes a moment later.
    expect(await within(summary).findByRole('link', { name: 'Your note must be 500 characters or fewer. You have 1 character too many.' })).toBeInTheDocument();
    // Fixed: the summary goes.
    await user.type(note, '{Backspace}');
    expect(within(dialog).queryByRole('alert', { name: 'There is a problem' })).not.toBeInTheDocument();
  });
});
