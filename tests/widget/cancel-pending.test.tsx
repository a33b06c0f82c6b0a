/**
 * A cancellation the proxy could not confirm (202 pending_confirmation) outlives the dialog: it is
 * still checked while the dialog is closed, reopening goes straight back to it, and a poll answer
 * from an earlier attempt never settles a later one.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultMessages } from '../../src/index';
import { useFakeClock } from './support/fake-clock';
import { advanceInSteps, cancelAtHeimAsOrganisation, cancellationPolls, confirmButton, idempotencyKeys, openForm } from './support/flow-helpers';
import { closeWidgetHarnesses } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

const PENDING = "We're confirming your cancellation";

describe('pending confirmation', () => {
  it('after the proxy forgot an attempt (not_cancelled), a new 202 shows pending, not the old "not cancelled"', async () => {
    useFakeClock();
    const { user, harness, dialog } = await openForm();
    const sim = harness.backend.simulator;
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // Heim's answer is lost and it did not cancel: pending, until the proxy restarts and forgets.
    sim.setFault({ route: 'cancel', status: 504, times: 1 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: PENDING });
    await harness.restartProxy();
    await advanceInSteps(2_500);
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(defaultMessages.pendingNotCancelled);
    expect(within(dialog).getByRole('radio', { name: "I'm unwell" })).toBeChecked();

    // The second try is lost too. The cached `not_cancelled` belongs to the first attempt.
    sim.setFault({ route: 'cancel', status: 504, times: 1 });
    const pollsBefore = cancellationPolls(harness).length;
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: PENDING });
    await advanceInSteps(7_000);
    expect(within(dialog).getByRole('heading', { name: PENDING })).toBeInTheDocument();
    expect(within(dialog).queryByText(defaultMessages.pendingNotCancelled)).not.toBeInTheDocument();
    expect(cancellationPolls(harness).length).toBeGreaterThan(pollsBefore + 1);
    // The same answers went with the same key; the restarted proxy posted them once more.
    const keys = idempotencyKeys(harness);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(harness.upstreamCancels()).toBe(2);
  });

  it('closing and reopening goes straight back to the pending panel, and success is reported once', async () => {
    useFakeClock();
    const onCancelled = vi.fn();
    const { user, harness, dialog, trigger } = await openForm({ onCancelled });
    const sim = harness.backend.simulator;
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // Heim cancels, but its answer is lost and its cancellation read keeps failing for now.
    sim.setFault({ route: 'cancel', status: 504, commit: true, times: 1 });
    sim.setFault({ route: 'cancellation', status: 500 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: PENDING });

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(dialog).not.toHaveAttribute('open');
    // Still checking while closed, as the panel promised.
    const pollsAtClose = cancellationPolls(harness).length;
    await advanceInSteps(7_000);
    expect(cancellationPolls(harness).length).toBeGreaterThan(pollsAtClose);

    await user.click(trigger);
    expect(within(dialog).getByRole('heading', { name: PENDING })).toBeInTheDocument();
    expect(within(dialog).queryByRole('radio')).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Cancel appointment' })).not.toBeInTheDocument();
    expect(onCancelled).not.toHaveBeenCalled();

    sim.clearFaults();
    await advanceInSteps(16_000);
    expect(await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' })).toHaveFocus();
    expect(onCancelled).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.getByRole('status')).toHaveTextContent('Appointment cancelled');
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(onCancelled).toHaveBeenCalledWith(
      expect.objectContaining({ cancellation: expect.objectContaining({ reasonCode: 'patient_unwell' }) }),
    );
    await advanceInSteps(40_000, 1_000);
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(harness.cancelRequests()).toHaveLength(1);
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('closed while pending: beside the button it says so, then that nothing was cancelled, until the dialog is opened again', async () => {
    useFakeClock();
    const { user, harness, dialog, trigger } = await openForm();
    // What the regions beside the button (outside the dialog) say: a screen reader hears it there.
    const besideButton = () =>
      [...trigger.parentElement!.children]
        .filter((element) => element.getAttribute('role') === 'status')
        .map((element) => element.textContent)
        .join('');
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // Heim's answer is lost and it did not cancel: pending, until the proxy restarts and forgets.
    harness.backend.simulator.setFault({ route: 'cancel', status: 504, times: 1 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: PENDING });
    expect(besideButton()).toBe('');

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(besideButton()).toBe(defaultMessages.pendingClosedNote);
    await harness.restartProxy();
    await advanceInSteps(7_000);
    // The button alone would still read "Cancel appointment", as if nothing had happened.
    expect(besideButton()).toBe(defaultMessages.pendingNotCancelled);

    await user.click(trigger);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(defaultMessages.pendingNotCancelled);
    expect(besideButton()).toBe('');
    await user.click(within(dialog).getByRole('button', { name: 'Keep appointment' }));
    expect(dialog).not.toHaveAttribute('open');
    // Told once: the patient has seen it in the dialog since.
    expect(besideButton()).toBe('');
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('reopened on the pending panel, then "not cancelled": the form comes back with focus on "Keep appointment", not the page\'s body', async () => {
    // Found by the model-based test (model.test.tsx): on a reopening the panel's heading took
    // focus before the dialog watched where focus was, so its going unnoticed.
    useFakeClock();
    const { user, harness, dialog, trigger } = await openForm();
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    harness.backend.simulator.setFault({ route: 'cancel', status: 504, times: 1 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: PENDING });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await user.click(trigger);
    expect(within(dialog).getByRole('heading', { name: PENDING })).toHaveFocus();

    // The proxy forgets the attempt: the poll says nothing was cancelled.
    await harness.restartProxy();
    await advanceInSteps(7_000);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(defaultMessages.pendingNotCancelled);
    expect(document.activeElement).not.toBe(document.body);
    expect(within(dialog).getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
  });

  it('confirmed while the dialog is closed: reported once, and the trigger becomes "Appointment cancelled"', async () => {
    useFakeClock();
    const onCancelled = vi.fn();
    const { user, harness, dialog } = await openForm({ onCancelled });
    const sim = harness.backend.simulator;
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    sim.setFault({ route: 'cancel', status: 504, commit: true, times: 1 });
    // Heim's cancellation read fails for the proxy's own check and the first polls.
    sim.setFault({ route: 'cancellation', status: 500, times: 3 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: PENDING });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onCancelled).not.toHaveBeenCalled();

    await advanceInSteps(10_000);
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: 'Cancel appointment' })).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Appointment cancelled');
    await advanceInSteps(40_000, 1_000);
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(harness.cancelRequests()).toHaveLength(1);
    expect(harness.upstreamCancels()).toBe(1);
  });

  it("Heim shows someone else's cancellation while ours is pending: asks with the same key, then 'already cancelled'", async () => {
    useFakeClock();
    const onCancelled = vi.fn();
    const { user, harness, dialog } = await openForm({ onCancelled });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    harness.backend.simulator.setFault({ route: 'cancel', status: 504, times: 1 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: PENDING });
    await cancelAtHeimAsOrganisation(harness, 'apt_alice_3d');

    await advanceInSteps(2_500);
    expect(await within(dialog).findByRole('heading', { name: 'This appointment is already cancelled' })).toHaveFocus();
    expect(dialog).toHaveTextContent('Reason: Cancelled by the organisation.');
    expect(onCancelled).not.toHaveBeenCalled();
    const keys = idempotencyKeys(harness);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    // Ours (lost) and the organisation's; asking again posted nothing more.
    expect(harness.upstreamCancels('apt_alice_3d')).toBe(2);
  });
});
