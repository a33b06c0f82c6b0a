/**
 * What opening the dialog says besides its question: the appointment summary and what cancelling
 * may cost now (the charge status's fixed sentences), never the countdown that changes each second.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChargeState } from '../../src/core/index';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import { advanceTimersForUserEvent, useFakeClock } from './support/fake-clock';
import { advanceInSteps } from './support/flow-helpers';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

const FREE_UNTIL = /^Free to cancel until .+\.$/;

const CASES: Array<{ state: ChargeState; appointmentId: string; charge: RegExp | string; countdown: RegExp | null }> = [
  { state: 'no_eta', appointmentId: 'apt_alice_noeta', charge: defaultMessages.chargeNoEta, countdown: null },
  { state: 'free', appointmentId: 'apt_alice_3d', charge: FREE_UNTIL, countdown: /^Time left to cancel free of charge/ },
  {
    state: 'chargeable',
    appointmentId: 'apt_alice_5h',
    charge: `${defaultMessages.chargeChargeableTitle} ${defaultMessages.chargeChargeableBody({ windowHours: 24 })}`,
    countdown: /^The practitioner is due in/,
  },
  { state: 'due', appointmentId: 'apt_alice_30m_ago', charge: `${defaultMessages.chargeDueTitle} ${defaultMessages.chargeDueBody}`, countdown: null },
];

describe("the dialog's description", () => {
  it.each(CASES)('$state: the summary, then what cancelling may cost, without the countdown', async ({ state, appointmentId, charge, countdown }) => {
    const harness = await createWidgetHarness();
    harness.render(<CancelAppointmentButton appointmentId={appointmentId} fetch={harness.fetch} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    await within(dialog).findByRole('group', { name: defaultMessages.reasonLegend });
    expect(dialog).toHaveAttribute('data-charge', state);

    const summary = dialog.querySelector('dl')!;
    const description = dialog.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent ?? '') ?? [];
    // Read as the summary, then the charge sentences.
    expect(description[0]).toBe(summary.textContent);
    const chargeText = description.slice(1).join(' ');
    if (typeof charge === 'string') expect(chargeText).toBe(charge);
    else expect(chargeText).toMatch(charge);
    expect(dialog).toHaveAccessibleDescription(expect.stringContaining(chargeText));
    if (countdown !== null) {
      const ticking = within(dialog).getByText(countdown);
      expect(dialog).not.toHaveAccessibleDescription(expect.stringContaining(ticking.textContent!));
    }
  });
});

describe('what cancelling may cost, when the appointment arrives after the dialog opened', () => {
  const statusTexts = (dialog: HTMLElement) => within(dialog).queryAllByRole('status').map((status) => status.textContent ?? '');

  it('is said once by a polite status as the form appears, and not on a reopening that has the appointment already', async () => {
    useFakeClock();
    const harness = await createWidgetHarness();
    // The first read of the appointment waits until the test lets it through.
    let letThrough!: () => void;
    const arrived = new Promise<void>((resolve) => (letThrough = resolve));
    let reads = 0;
    const held: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/appointments/apt_alice_5h') && (reads += 1) === 1) await arrived;
      return harness.fetch(input, init);
    };
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_5h" fetch={held} />);
    const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    let dialog = await screen.findByRole('alertdialog');
    // Opened before the appointment arrived: the description is only "Loading…".
    expect(dialog).toHaveAccessibleDescription(defaultMessages.loading);
    letThrough();
    await within(dialog).findByRole('group', { name: defaultMessages.reasonLegend });
    const said = defaultMessages.announceLoaded({
      charge: `${defaultMessages.chargeChargeableTitle} ${defaultMessages.chargeChargeableBody({ windowHours: 24 })}`,
    });
    await expect.poll(() => statusTexts(dialog).filter((text) => text === said)).toHaveLength(1);

    await user.click(within(dialog).getByRole('button', { name: defaultMessages.keep }));
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    dialog = screen.getByRole('alertdialog');
    // Reopened with the appointment in hand: the description says it, and no status repeats it.
    expect(dialog).toHaveAccessibleDescription(expect.stringContaining(defaultMessages.chargeChargeableTitle));
    await within(dialog).findByRole('group', { name: defaultMessages.reasonLegend });
    // Nothing said once the reopening's own read of the appointment has landed, nor in the seconds
    // after (fake time: whatever the announcer or the query had scheduled has run).
    await vi.waitFor(() => expect(reads).toBe(2));
    await vi.waitFor(() => expect(harness.queryClient.isFetching()).toBe(0));
    await advanceInSteps(5_000);
    expect(statusTexts(dialog).filter((text) => text.includes(defaultMessages.chargeChargeableTitle))).toEqual([]);
  });
});
