import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import { advanceTimersForUserEvent, useFakeClock } from './support/fake-clock';
import { advanceInSteps, cancellationPolls, confirmButton, idempotencyKeys, openForm } from './support/flow-helpers';
import { closeWidgetHarnesses, createWidgetHarness, TIME } from './support/widget-harness';

/**
 * Lets every task already queued run (promise chains, a resolver, react-query's zero-delay
 * notifications, a paused mutation resuming and calling fetch), rendering what they change.
 */
async function flushTasks(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

describe('failures', () => {
  it('after an upstream failure, "Try again" resends with the SAME Idempotency-Key and succeeds', async () => {
    const { user, harness, dialog } = await openForm();
    harness.backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(defaultMessages.upstreamError);
    expect(alert).not.toHaveTextContent(/502|upstream|Heim/);
    expect(harness.backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });

    const keys = idempotencyKeys(harness);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const upstream = harness.backend.simulator.ledger.filter((entry) => entry.method === 'POST');
    expect(upstream.map((entry) => entry.status)).toEqual([500, 200]);
  });

  it('asks again when the proxy says charges began since the warning was shown; never submits by itself', async () => {
    let skewMs = 0;
    const { user, harness, dialog } = await openForm({ appointmentId: 'apt_alice_30h', now: () => Date.now() + skewMs });
    expect(dialog).toHaveAttribute('data-charge', 'free');
    await user.click(within(dialog).getByRole('radio', { name: 'I need a different date or time' }));
    // The proxy's clock says the window opened (the widget last saw "free").
    skewMs = 7 * TIME.HOUR;
    await user.click(confirmButton(dialog));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(defaultMessages.acknowledgementNowRequired);
    expect(dialog).toHaveAttribute('data-charge', 'chargeable');
    const acknowledge = within(dialog).getByRole('checkbox', { name: 'I understand I may be charged for cancelling now' });
    expect(acknowledge).not.toBeChecked();
    // Read with the warning itself, not the ticking countdown or its control beside it.
    expect(acknowledge).toHaveAccessibleDescription(
      `${defaultMessages.chargeChargeableTitle} ${defaultMessages.chargeChargeableBody({ windowHours: 24 })}`,
    );
    // Raised ahead of the widget's clock, it still counts down to the visit.
    expect(within(dialog).getByText(/^The practitioner is due in /)).toBeInTheDocument();
    // Said once, by the alert: the polite charge announcer does not say it a second time.
    for (const region of within(dialog).queryAllByRole('status')) {
      expect(region).not.toHaveTextContent(defaultMessages.announceChargesBegin);
    }
    expect(harness.upstreamCancels()).toBe(0);
    expect(harness.cancelRequests()).toHaveLength(1);

    await user.click(acknowledge);
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(dialog).toHaveTextContent(defaultMessages.successMayBeCharged);
    expect(JSON.parse(harness.cancelRequests()[1]?.body ?? '{}')).toMatchObject({ acknowledgeCharge: true });
    // Different answers, different request: a new key.
    const keys = idempotencyKeys(harness);
    expect(keys[1]).not.toBe(keys[0]);
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('"Try again" after the appointment failed to load keeps focus in the dialog while it loads', async () => {
    useFakeClock();
    const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
    const harness = await createWidgetHarness();
    harness.backend.simulator.setFault({ route: 'appointment', status: 500 });
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    // After the read's own two retries (1 s, then 2 s), on the fake clock.
    await advanceInSteps(3_000);
    // On a loaded machine a read's answer can arrive after those 3 s of fake time; the fake clock
    // keeps moving by itself, so a longer wait (fake time too) lets the last retry come and fail.
    await within(dialog).findByRole('heading', { name: defaultMessages.loadErrorTitle }, { timeout: 5_000 });
    const reads = harness.requests.filter((request) => request.url.endsWith('/apt_alice_3d')).map((request) => request.at);
    expect(reads).toHaveLength(3);
    expect(reads[1]! - reads[0]!).toBeGreaterThanOrEqual(1_000);
    expect(reads[2]! - reads[1]!).toBeGreaterThanOrEqual(2_000);

    harness.backend.simulator.clearFaults();
    await user.click(within(dialog).getByRole('button', { name: 'Try again' }));
    // The button gives way to "Loading…": focus goes where the dialog starts, not to the page's body.
    const keep = within(dialog).getByRole('button', { name: 'Keep appointment' });
    expect(keep).toHaveFocus();
    expect(await within(dialog).findByText('Wound dressing')).toBeInTheDocument();
    expect(keep).toHaveFocus();
  });

  it('session expired: asks to sign in again and says nothing was cancelled', async () => {
    const { user, harness, dialog } = await openForm();
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    harness.backend.signOut();
    await user.click(confirmButton(dialog));

    expect(await within(dialog).findByRole('heading', { name: 'Your session has expired' })).toHaveFocus();
    expect(dialog).toHaveTextContent('please sign in again. Your appointment has not been cancelled.');
    // Without the portal's onSignIn there is nothing to offer but the words.
    expect(within(dialog).queryByRole('button', { name: defaultMessages.signIn })).toBeNull();
    expect(harness.upstreamCancels()).toBe(0);
  });

  it('session expired while the dialog is open, then signed in again: the form comes back with focus on "Keep appointment", not on the page\'s body', async () => {
    // Found by the model-based test (model.test.tsx): the panel's heading had focus, and the 30 s
    // re-read after the patient signed in again (another tab) swapped the panel for the form.
    useFakeClock();
    const { harness, dialog } = await openForm();
    harness.backend.signOut();
    await advanceInSteps(31_000, 1_000);
    expect(await within(dialog).findByRole('heading', { name: 'Your session has expired' })).toHaveFocus();

    await harness.backend.signInAs('p_demo_alice');
    await advanceInSteps(31_000, 1_000);
    expect(within(dialog).getByRole('radio', { name: "I'm unwell" })).toBeInTheDocument();
    expect(document.activeElement).not.toBe(document.body);
    expect(within(dialog).getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
  });

  it('session expired with the portal\'s onSignIn: offers "Sign in again", which closes the dialog and calls it', async () => {
    const onSignIn = vi.fn();
    const { user, harness, dialog, trigger } = await openForm({ props: { onSignIn } });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    harness.backend.signOut();
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: 'Your session has expired' });

    await user.click(within(dialog).getByRole('button', { name: defaultMessages.signIn }));
    expect(onSignIn).toHaveBeenCalledExactlyOnceWith('apt_alice_3d');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(trigger).toHaveFocus();
    expect(harness.upstreamCancels()).toBe(0);
  });

  it('opened offline: says so instead of "Loading" for ever, and loads the appointment once online', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      act(() => {
        window.dispatchEvent(new Event('offline'));
      });
      await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
      const dialog = screen.getByRole('alertdialog');
      expect(within(dialog).getByRole('status')).toHaveTextContent(defaultMessages.offline);
      expect(dialog).toHaveAccessibleDescription(defaultMessages.offline);
      expect(dialog).not.toHaveTextContent(defaultMessages.loading);
    } finally {
      onLine.mockRestore();
      act(() => {
        window.dispatchEvent(new Event('online'));
      });
    }
    const dialog = screen.getByRole('alertdialog');
    expect(await within(dialog).findByText('Wound dressing')).toBeInTheDocument();
    expect(dialog).not.toHaveTextContent(defaultMessages.offline);
  });

  it('offline: confirm is disabled with a clear message, and works again once online', async () => {
    const { user, harness, dialog } = await openForm();
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      act(() => {
        window.dispatchEvent(new Event('offline'));
      });
      const confirm = confirmButton(dialog);
      expect(confirm).toHaveAttribute('aria-disabled', 'true');
      expect(confirm).toHaveAccessibleDescription(defaultMessages.offline);
      expect(within(dialog).getByText(defaultMessages.offline)).toBeInTheDocument();
      await user.click(confirm);
      // A keyboard submit (Enter) goes through the form, not the button: it must be refused too,
      // not queued to go out by itself once the device is back online.
      fireEvent.submit((confirm as HTMLButtonElement).form!);
      await flushTasks();
      expect(harness.queryClient.getMutationCache().getAll()).toHaveLength(0);
    } finally {
      onLine.mockRestore();
      act(() => {
        window.dispatchEvent(new Event('online'));
      });
    }
    // Back online, before any click: nothing was sent, nothing is being sent.
    await flushTasks();
    expect(harness.cancelRequests()).toHaveLength(0);
    expect(harness.upstreamCancels()).toBe(0);
    expect(within(dialog).queryByText('Cancelling…')).toBeNull();
    expect(confirmButton(dialog)).toHaveAccessibleName('Cancel appointment');
    expect(confirmButton(dialog)).not.toHaveAttribute('aria-disabled');

    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(harness.cancelRequests()).toHaveLength(1);
  });

  it('pending confirmation: says not to cancel again, polls, and shows success once Heim confirms', async () => {
    useFakeClock();
    const onCancelled = vi.fn();
    const { user, harness, dialog } = await openForm({ onCancelled });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // Heim cancels but a gateway in front of it answers 504 and the check read fails: the proxy cannot tell
    // yet (202). Heim also answers slowly, which keeps the waiting screen up while we look at it.
    const sim = harness.backend.simulator;
    sim.setFault({ route: 'appointment', latencyMs: 2_000 });
    sim.setFault({ route: 'cancel', status: 504, commit: true, times: 1 });
    sim.setFault({ route: 'cancellation', status: 500, times: 1 });
    await user.click(confirmButton(dialog));
    // The proxy reads the appointment twice (before posting, and as a witness after the failed
    // check), each read taking 2 s.
    await advanceInSteps(4_200);

    const heading = await within(dialog).findByRole('heading', { name: "We're confirming your cancellation" });
    expect(heading).toHaveFocus();
    expect(dialog).toHaveTextContent("Please don't cancel again");
    expect(dialog).toHaveTextContent(defaultMessages.pendingMayClose);
    expect(within(dialog).queryByRole('button', { name: 'Cancel appointment' })).not.toBeInTheDocument();
    expect(onCancelled).not.toHaveBeenCalled();

    await advanceInSteps(2_200);
    expect(harness.requests.some((request) => request.url.endsWith('/apt_alice_3d/cancellation'))).toBe(true);
    expect(await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' })).toHaveFocus();
    // The portal hears of it once the patient has closed the news.
    expect(onCancelled).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(onCancelled).toHaveBeenCalledWith(
      expect.objectContaining({ cancellation: expect.objectContaining({ reasonCode: 'patient_unwell' }) }),
    );
    expect(harness.cancelRequests()).toHaveLength(1);
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('pending confirmation that Heim never confirms: stays pending without posting again, backs off, then adds guidance', async () => {
    useFakeClock();
    const { user, harness, dialog } = await openForm();
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // A gateway answers 504 and Heim did NOT cancel. The proxy cannot know that the lost POST
    // will never land, so it keeps answering pending and never posts this appointment again.
    harness.backend.simulator.setFault({ route: 'cancel', status: 504, times: 1 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: "We're confirming your cancellation" });
    const start = Date.now();

    await advanceInSteps(9_500);
    expect(cancellationPolls(harness).length).toBeGreaterThanOrEqual(3);
    expect(within(dialog).queryByText(defaultMessages.pendingLongWait)).not.toBeInTheDocument();

    await advanceInSteps(2 * TIME.MINUTE - 9_500, 1_000);
    const heading = within(dialog).getByRole('heading', { name: "We're confirming your cancellation" });
    expect(heading).toBeInTheDocument();
    // Polls back off (2 s, 4 s, 8 s… up to 30 s) instead of asking every few seconds for ever.
    const times = cancellationPolls(harness).map((request) => request.at - start);
    expect(times.length).toBeLessThanOrEqual(9);
    const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(29_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(32_000);
    for (const [index, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual((gaps[index - 1] ?? 0) - 1_000);
    // After two minutes: what to do if the visit still shows as booked, announced politely.
    expect(await within(dialog).findByText(defaultMessages.pendingLongWait)).toBeInTheDocument();
    expect(within(dialog).getByText(defaultMessages.pendingLongWait).closest('[role="status"]')).not.toBeNull();
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();

    expect(harness.cancelRequests()).toHaveLength(1);
    expect(harness.upstreamCancels()).toBe(1);
    expect(harness.backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  }, 20_000);
});
