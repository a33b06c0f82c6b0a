import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import { REASONS } from '../../src/core/index';
import type { TestBackendOptions } from '../support/backend';
import { advance, advanceTimersForUserEvent, useFakeClock } from './support/fake-clock';
import { aliceAppointment, closeWidgetHarnesses, createWidgetHarness, TIME } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

async function openLoaded(appointmentId: string, options: TestBackendOptions & { setup?: (h: Awaited<ReturnType<typeof createWidgetHarness>>) => void } = {}) {
  const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
  const { setup, ...backendOptions } = options;
  const harness = await createWidgetHarness(backendOptions);
  setup?.(harness);
  harness.render(<CancelAppointmentButton appointmentId={appointmentId} fetch={harness.fetch} />);
  await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByRole('group', { name: 'Why are you cancelling?' });
  return { user, harness, dialog };
}

function radioNames(dialog: HTMLElement): string[] {
  return within(dialog)
    .getAllByRole('radio')
    .map((radio) => radio.getAttribute('value') ?? '');
}

describe('charge status', () => {
  it('no ETA: says there is no charge and asks for no acknowledgement', async () => {
    const { dialog } = await openLoaded('apt_alice_noeta');
    expect(dialog).toHaveAttribute('data-charge', 'no_eta');
    expect(within(dialog).getByText("No charge to cancel: an arrival time hasn't been set yet.")).toBeInTheDocument();
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
  });

  it('free: says until when (zone named) and counts down, with no acknowledgement', async () => {
    const { dialog, harness } = await openLoaded('apt_alice_3d');
    expect(dialog).toHaveAttribute('data-charge', 'free');
    const eta = Date.parse(harness.backend.simulator.getAppointment('apt_alice_3d')!.estimatedTimeOfArrival!);
    const until = defaultMessages.formatDateTime(eta - 24 * TIME.HOUR, 'Europe/London');
    expect(until).toMatch(/ (GMT|BST)$/);
    expect(within(dialog).getByText(`Free to cancel until ${until}.`)).toBeInTheDocument();
    // Two days minus a few ms of test time: "1 day, 23 hours" or "2 days" depending on rounding down.
    expect(within(dialog).getByText(/^Time left to cancel free of charge: 1 day, 23 hours\.$/)).toBeInTheDocument();
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
  });

  it('chargeable: warns that cancelling may be charged, counts down to the visit and needs the acknowledgement', async () => {
    const { dialog, user, harness } = await openLoaded('apt_alice_5h');
    expect(dialog).toHaveAttribute('data-charge', 'chargeable');
    expect(within(dialog).getByRole('heading', { name: 'Cancelling now may be charged' })).toBeInTheDocument();
    expect(within(dialog).getByText(/^The practitioner is due in 4 hours, 59 minutes\.$/)).toBeInTheDocument();
    expect(dialog).toHaveTextContent('may be charged');
    expect(dialog).not.toHaveTextContent(/will be charged/i);

    const acknowledge = within(dialog).getByRole('checkbox', { name: 'I understand I may be charged for cancelling now' });
    expect(acknowledge).not.toBeChecked();
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));

    const summary = await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(within(summary).getByRole('link', { name: 'Tick the box to confirm you understand you may be charged' })).toBeInTheDocument();
    expect(acknowledge).toHaveAttribute('aria-invalid', 'true');
    expect(harness.cancelRequests()).toHaveLength(0);
  });

  it('chargeable under a fractional window: says "1.4 hours", never rounds it to a whole hour', async () => {
    // The proxy's window is 1.4 h and the visit 1 h away: "less than 1 hour away" would be untrue.
    const user = userEvent.setup();
    const harness = await createWidgetHarness({ windowHours: 1.4 });
    harness.backend.simulator.addAppointment(aliceAppointment('apt_window', TIME.HOUR + 5 * TIME.MINUTE));
    harness.render(<CancelAppointmentButton appointmentId="apt_window" fetch={harness.fetch} />);
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    expect(await within(dialog).findByRole('heading', { name: 'Cancelling now may be charged' })).toBeInTheDocument();
    expect(
      within(dialog).getByText('Your visit is less than 1.4 hours away, so you may be charged if you cancel now.'),
    ).toBeInTheDocument();
    // Whole windows read as before; a second decimal rounds up, so "less than" stays true.
    expect(defaultMessages.chargeChargeableBody({ windowHours: 24 })).toMatch(/less than 24 hours away/);
    expect(defaultMessages.chargeChargeableBody({ windowHours: 1 })).toMatch(/less than 1 hour away/);
    expect(defaultMessages.chargeChargeableBody({ windowHours: 1.45 })).toMatch(/less than 1.5 hours away/);
  });

  it('due: says the practitioner is due now, still "may", and offers "hasn\'t arrived" once 15 minutes late', async () => {
    const { dialog } = await openLoaded('apt_alice_30m_ago');
    expect(dialog).toHaveAttribute('data-charge', 'due');
    expect(within(dialog).getByRole('heading', { name: 'The practitioner is due now' })).toBeInTheDocument();
    expect(
      within(dialog).getByText('The practitioner is due now or may be on the way. You may be charged if you cancel now.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('checkbox', { name: 'I understand I may be charged for cancelling now' })).toBeInTheDocument();
    expect(within(dialog).getByRole('radio', { name: "The practitioner hasn't arrived" })).toBeInTheDocument();
  });
});

describe('reasons', () => {
  it('renders exactly the reasons of the response: no "hasn\'t arrived" before the ETA', async () => {
    const { dialog } = await openLoaded('apt_alice_3d');
    expect(radioNames(dialog)).toEqual(['patient_unwell', 'patient_requested_reschedule', 'no_longer_required', 'patient_cancelled']);
    for (const code of ['patient_unwell', 'patient_requested_reschedule', 'no_longer_required', 'patient_cancelled'] as const) {
      expect(within(dialog).getByRole('radio', { name: REASONS[code].patientLabel })).toBeInTheDocument();
    }
  });

  it('follows the organisation narrowing the list in the proxy', async () => {
    const { dialog } = await openLoaded('apt_alice_3d', {
      proxy: { reasonCodes: ['no_longer_required', 'incorrect_patient_information', 'patient_cancelled'] },
    });
    expect(radioNames(dialog)).toEqual(['no_longer_required', 'incorrect_patient_information', 'patient_cancelled']);
    expect(within(dialog).getByRole('radio', { name: 'My details are wrong (for example the address)' })).toBeInTheDocument();
  });
});

describe('live state while the dialog is open', () => {
  it('flips free → chargeable exactly at the window, announces it once, and neither closes nor submits', async () => {
    useFakeClock();
    const { dialog, harness } = await openLoaded('apt_soon_chargeable', {
      setup: (h) => h.backend.simulator.addAppointment(aliceAppointment('apt_soon_chargeable', 24 * TIME.HOUR + 8_000)),
    });
    expect(dialog).toHaveAttribute('data-charge', 'free');
    expect(within(dialog).getByText(/^Time left to cancel free of charge: \d seconds?\.$/)).toBeInTheDocument();
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
    // Opened before the appointment arrived, so its arrival said the charge once; nothing else has spoken.
    const liveRegions = within(dialog).getAllByRole('status');
    expect(liveRegions.map((region) => region.textContent).filter(Boolean)).toEqual([
      defaultMessages.announceLoaded({ charge: within(dialog).getByText(/^Free to cancel until /).textContent! }),
    ]);

    await advance(10_000);

    expect(dialog).toHaveAttribute('data-charge', 'chargeable');
    expect(dialog).toHaveAttribute('open');
    expect(within(dialog).getByRole('heading', { name: 'Cancelling now may be charged' })).toBeInTheDocument();
    expect(within(dialog).getByText(/^The practitioner is due in 23 hours, 59 minutes\.$/)).toBeInTheDocument();
    expect(within(dialog).getByRole('checkbox', { name: 'I understand I may be charged for cancelling now' })).not.toBeChecked();
    expect(within(dialog).getByText(defaultMessages.announceChargesBegin)).toHaveAttribute('role', 'status');
    // The countdown itself is never a live region.
    const countdown = within(dialog).getByText(/^The practitioner is due in/);
    expect(countdown.closest('[aria-live], [role="status"], [role="alert"], [role="timer"]')).toBeNull();
    expect(harness.cancelRequests()).toHaveLength(0);
    expect(harness.upstreamCancels()).toBe(0);
  });

  it('ticks the countdown from the clock, second by second', async () => {
    useFakeClock();
    const { dialog } = await openLoaded('apt_soon_due', {
      setup: (h) => h.backend.simulator.addAppointment(aliceAppointment('apt_soon_due', 90_000)),
    });
    // The visible countdown, not the live region that may say something similar at a threshold.
    const read = () =>
      within(dialog)
        .getAllByText(/^The practitioner is due in/)
        .filter((element) => element.closest('[role="status"]') === null)
        .map((element) => element.textContent)
        .join('|');
    expect(read()).toMatch(/^The practitioner is due in 1 minute, (29|30) seconds\.$/);
    await advance(60_000);
    expect(read()).toMatch(/^The practitioner is due in (29|30) seconds\.$/);
    // Crossing the one-minute threshold was spoken, once.
    expect(within(dialog).getAllByText('The practitioner is due in 1 minute.')).toHaveLength(1);
    await advance(31_000);
    expect(dialog).toHaveAttribute('data-charge', 'due');
    expect(within(dialog).getByText(defaultMessages.announceDue)).toBeInTheDocument();
  });
});
