/**
 * Definite refusals from the proxy: shown where the patient can act on them, and never resent
 * behind their back, whatever the portal's QueryClient defaults.
 */
import { act, within } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cancelAppointmentKeys, defaultMessages } from '../../src/index';
import { useFakeClock } from './support/fake-clock';
import { advanceInSteps, cancelAtHeimAsOrganisation, confirmButton, openForm } from './support/flow-helpers';
import { closeWidgetHarnesses, TIME } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

describe('refusals of the proxy', () => {
  it('a note the proxy refuses (its limit is lower) is marked on the note and in the focused error summary', async () => {
    const { user, harness, dialog } = await openForm({ backend: { proxy: { noteMaxLength: 20 } } });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    const note = within(dialog).getByRole('textbox', { name: 'Anything else you want to tell us (optional)' });
    await user.type(note, 'Feeling far too dizzy to open the door');
    await user.click(confirmButton(dialog));

    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(summary).toHaveFocus();
    const link = within(summary).getByRole('link', { name: defaultMessages.errorNoteRejected });
    expect(link).toHaveAttribute('href', `#${note.id}`);
    expect(note).toHaveAttribute('aria-invalid', 'true');
    expect(note).toHaveAccessibleDescription(expect.stringContaining(defaultMessages.errorNoteRejected));
    expect(within(dialog).queryByText(defaultMessages.invalidRequest)).not.toBeInTheDocument();
    expect(harness.upstreamCancels()).toBe(0);
    // The refusal moves focus once: the dialog re-rendering (here, the appointment re-read) leaves it alone.
    await user.click(note);
    await act(() =>
      harness.queryClient.invalidateQueries({ queryKey: cancelAppointmentKeys.appointment('apt_alice_3d'), exact: true }),
    );
    expect(note).toHaveFocus();

    await user.clear(note);
    await user.type(note, 'Too dizzy today');
    expect(note).not.toHaveAttribute('aria-invalid');
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('a reason the proxy no longer allows is marked on the reasons', async () => {
    let skewMs = 0;
    // 30 minutes late: "The practitioner hasn't arrived" is offered (from 15 minutes late).
    const { user, harness, dialog } = await openForm({
      appointmentId: 'apt_alice_30m_ago',
      now: () => Date.now() + skewMs,
    });
    await user.click(within(dialog).getByRole('radio', { name: "The practitioner hasn't arrived" }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'I understand I may be charged for cancelling now' }));
    // By the proxy's clock the visit is now only 10 minutes late (as if Heim had moved the ETA).
    skewMs = -20 * TIME.MINUTE;
    await user.click(confirmButton(dialog));

    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(summary).toHaveFocus();
    expect(within(summary).getByRole('link', { name: defaultMessages.errorReasonRejected })).toBeInTheDocument();
    for (const radio of within(dialog).getAllByRole('radio')) expect(radio).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByText(defaultMessages.invalidRequest)).not.toBeInTheDocument();
    expect(harness.upstreamCancels()).toBe(0);
  });

  it('noteMaxLength: the form counts to and enforces the limit the portal configured', async () => {
    const { user, harness, dialog } = await openForm({ props: { noteMaxLength: 20 } });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    expect(within(dialog).getByText('0 of 20 characters')).toBeInTheDocument();
    const note = within(dialog).getByRole('textbox', { name: 'Anything else you want to tell us (optional)' });
    await user.type(note, 'x'.repeat(25));
    await user.click(confirmButton(dialog));
    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(
      within(summary).getByRole('link', { name: 'Your note must be 20 characters or fewer. You have 5 characters too many.' }),
    ).toBeInTheDocument();
    expect(harness.cancelRequests()).toHaveLength(0);
  });

  it('a portal QueryClient with mutations.retry = 3 does not resend a 409', async () => {
    useFakeClock();
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: 3 } } });
    const { user, harness, dialog } = await openForm({ props: { queryClient } });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await cancelAtHeimAsOrganisation(harness, 'apt_alice_3d');
    await user.click(confirmButton(dialog));
    await advanceInSteps(10_000);
    expect(within(dialog).getByRole('heading', { name: 'This appointment is already cancelled' })).toBeInTheDocument();
    expect(harness.cancelRequests()).toHaveLength(1);
    queryClient.clear();
  });
});
