import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import { cancelAtHeimAsOrganisation, confirmButton, openForm } from './support/flow-helpers';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

/** Opens the form with every cancel POST held until `answerCancel()` lets the oldest one go on. */
async function openWithCancelsHeld() {
  const user = userEvent.setup();
  const harness = await createWidgetHarness();
  const waiting: Array<() => void> = [];
  const held: typeof fetch = async (input, init) => {
    if (init?.method === 'POST') await new Promise<void>((resolve) => waiting.push(resolve));
    return harness.fetch(input, init);
  };
  harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={held} />);
  await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
  const dialog = screen.getByRole('alertdialog');
  const form = (await within(dialog).findByRole('group', { name: 'Why are you cancelling?' })).closest('form')!;
  return {
    user,
    harness,
    dialog,
    form,
    /** The status regions saying that the cancel is being sent. */
    sending: () => within(dialog).queryAllByRole('status').filter((region) => region.textContent === defaultMessages.cancellingStatus),
    answerCancel: async () => {
      await waitFor(() => expect(waiting).not.toHaveLength(0));
      waiting.shift()?.();
    },
  };
}

describe('confirming', () => {
  it('sends exactly one request however many clicks, then shows success with focus on its heading', async () => {
    const onCancelled = vi.fn();
    const { user, harness, dialog } = await openForm({ onCancelled });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));

    const confirm = confirmButton(dialog);
    await user.dblClick(confirm);
    await user.click(confirm);

    const heading = await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(heading).toHaveFocus();
    // The news replaces the question as the dialog's title and name.
    expect(within(dialog).queryByText(defaultMessages.dialogTitle)).not.toBeInTheDocument();
    expect(dialog).toHaveAccessibleName('Your appointment is cancelled');
    expect(dialog).toHaveTextContent("The practitioner won't visit.");
    expect(dialog).toHaveTextContent('There is no charge for this cancellation.');
    expect(harness.cancelRequests()).toHaveLength(1);
    expect(harness.upstreamCancels('apt_alice_3d')).toBe(1);
    expect(harness.backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
    expect(harness.backend.simulator.getCancellation('apt_alice_3d')).toMatchObject({
      reasonCode: 'patient_unwell',
      cancellingEntity: 'patient',
    });
    // Not yet: a portal refreshing its list here could take the news away while it is read.
    expect(onCancelled).not.toHaveBeenCalled();

    // The request followed the contract.
    const [request] = harness.cancelRequests();
    expect(request?.url).toBe('/api/appointments/apt_alice_3d/cancel');
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(request?.headers.get('Accept')).toBe('application/json');
    expect(request?.headers.get('X-Requested-With')).toBe('heim-cancel-widget');
    expect(request?.headers.get('Idempotency-Key')).toMatch(/^[A-Za-z0-9_-]{8,128}$/);

    // Closing the success panel replaces the trigger with a status, which takes focus.
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(dialog).not.toHaveAttribute('open');
    expect(screen.queryByRole('button', { name: 'Cancel appointment' })).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Appointment cancelled');
    expect(screen.getByRole('status')).toHaveFocus();
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(onCancelled).toHaveBeenCalledWith(
      expect.objectContaining({
        appointmentId: 'apt_alice_3d',
        cancellation: expect.objectContaining({ reasonCode: 'patient_unwell' }),
      }),
    );
  });

  it('shows "Cancelling…" and ignores clicks while the request is in flight', async () => {
    const { user, harness, dialog } = await openForm();
    harness.backend.simulator.setFault({ route: 'cancel', latencyMs: 300, times: 1 });
    await user.click(within(dialog).getByRole('radio', { name: 'I no longer need this visit' }));
    await user.click(confirmButton(dialog));

    const busy = await within(dialog).findByRole('button', { name: 'Cancelling…' });
    expect(busy).toHaveAttribute('aria-disabled', 'true');
    await user.click(busy);
    await user.keyboard('{Escape}');
    expect(dialog).toHaveAttribute('open');

    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(harness.cancelRequests()).toHaveLength(1);
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('says "Cancelling your appointment…" once, politely, and marks the form busy while the cancel is out', async () => {
    const { user, dialog, form, sending, answerCancel } = await openWithCancelsHeld();
    expect(sending()).toHaveLength(0);
    expect(form).not.toHaveAttribute('aria-busy');
    // What the live regions hold before the confirm (the appointment's arrival was said): none may change.
    const heldBefore = new Map(within(dialog).getAllByRole('status').map((status) => [status, status.textContent]));

    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('button', { name: 'Cancelling…' });
    const [region, ...more] = sending();
    expect(more).toHaveLength(0);
    expect(region).not.toHaveAttribute('aria-live', 'assertive');
    expect(form).toHaveAttribute('aria-busy', 'true');
    // Nothing else speaks meanwhile: no alert, and the charge announcer is quiet while a cancel is out.
    expect(within(dialog).queryAllByRole('alert')).toHaveLength(0);
    const changed = within(dialog)
      .getAllByRole('status')
      .filter((status) => status !== region && status.textContent !== '' && status.textContent !== heldBefore.get(status));
    expect(changed).toHaveLength(0);

    await answerCancel();
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(sending()).toHaveLength(0);
  });

  it('after a refused cancel only the alert speaks; "Try again" says "Cancelling…" again and leaves the alert as it was', async () => {
    const { user, harness, dialog, form, sending, answerCancel } = await openWithCancelsHeld();
    harness.backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('button', { name: 'Cancelling…' });
    await answerCancel();
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(defaultMessages.upstreamError);
    expect(sending()).toHaveLength(0);
    expect(form).not.toHaveAttribute('aria-busy');

    const notice = alert.querySelector('p');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await within(dialog).findByRole('button', { name: 'Cancelling…' });
    expect(sending()).toHaveLength(1);
    expect(form).toHaveAttribute('aria-busy', 'true');
    // The alert is not re-written while it sends, so it is not spoken a second time.
    expect(alert.querySelector('p')).toBe(notice);
    await answerCancel();
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
  });

  it('offers "Rearrange instead" only with onReschedule, and it cancels nothing', async () => {
    const onReschedule = vi.fn();
    const { user, harness, dialog, trigger } = await openForm({ onReschedule });
    await user.click(within(dialog).getByRole('button', { name: 'Rearrange instead' }));
    expect(onReschedule).toHaveBeenCalledWith('apt_alice_3d');
    expect(dialog).not.toHaveAttribute('open');
    expect(trigger).toHaveFocus();
    expect(harness.cancelRequests()).toHaveLength(0);
  });

  it('has no "Rearrange instead" without onReschedule', async () => {
    const { dialog } = await openForm();
    expect(within(dialog).queryByRole('button', { name: 'Rearrange instead' })).not.toBeInTheDocument();
  });
});

describe('when it cannot be cancelled', () => {
  it('already cancelled on opening: information with the (amended) reason and date, not an error', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_cancelled" fetch={harness.fetch} />);
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');

    const heading = await within(dialog).findByRole('heading', { name: 'This appointment is already cancelled' });
    expect(heading).toHaveFocus();
    const createdAt = harness.backend.simulator.getCancellation('apt_alice_cancelled')!.createdAt;
    const date = defaultMessages.formatDateTime(Date.parse(createdAt), 'Europe/London');
    expect(dialog).toHaveTextContent(`It was cancelled on ${date}. Reason: The practitioner hasn't arrived.`);
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Cancel appointment' })).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeInTheDocument();
  });

  it('already cancelled with a code outside the fifteen and no time from Heim: says so without a reason or date it cannot name', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    // Heim Operations set a code of their own; Heim's answer carries no timestamps.
    harness.backend.simulator.setFault({
      route: 'cancellation',
      status: 200,
      body: JSON.stringify({ reasonCode: 'visit_merged', causingEntity: 'organisation', cancellingEntity: 'organisation' }),
    });
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_cancelled" fetch={harness.fetch} />);
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');

    expect(await within(dialog).findByRole('heading', { name: 'This appointment is already cancelled' })).toHaveFocus();
    expect(dialog).toHaveTextContent('It has been cancelled.');
    expect(dialog).not.toHaveTextContent('Reason:');
    expect(dialog).not.toHaveTextContent('visit_merged');
  });

  it('cancelled elsewhere after opening: the 409 becomes the same information', async () => {
    const { user, harness, dialog } = await openForm();
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // Someone else (another tab, the organisation) cancels straight at Heim meanwhile.
    await cancelAtHeimAsOrganisation(harness, 'apt_alice_3d');
    await user.click(confirmButton(dialog));

    expect(await within(dialog).findByRole('heading', { name: 'This appointment is already cancelled' })).toHaveFocus();
    expect(dialog).toHaveTextContent('Reason: Cancelled by the organisation.');
    expect(harness.upstreamCancels('apt_alice_3d')).toBe(1);
  });

  it('completed: says it can no longer be cancelled', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_completed" fetch={harness.fetch} />);
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    expect(await within(dialog).findByRole('heading', { name: "This appointment can't be cancelled" })).toHaveFocus();
    expect(within(dialog).queryByRole('radio')).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Cancel appointment' })).not.toBeInTheDocument();
  });
});
