import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import { advance, advanceTimersForUserEvent, useFakeClock } from './support/fake-clock';
import { aliceAppointment, closeWidgetHarnesses, createWidgetHarness, TIME } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

/** Opens the dialog on an appointment whose ETA is `etaFromNowMs` away, with fake timers. */
async function openWithEtaIn(etaFromNowMs: number) {
  useFakeClock();
  const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
  const harness = await createWidgetHarness();
  harness.backend.simulator.addAppointment(aliceAppointment('apt_toggle', etaFromNowMs));
  harness.render(<CancelAppointmentButton appointmentId="apt_toggle" fetch={harness.fetch} />);
  await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByRole('group', { name: 'Why are you cancelling?' });
  return { user, dialog, harness };
}

/** The visible countdown sentence (never the live region, which may say something similar). */
function countdownOf(dialog: HTMLElement): HTMLElement {
  const [countdown] = within(dialog)
    .getAllByText(/^(Time left to cancel free of charge|The practitioner is due in)/)
    .filter((element) => element.closest('[role="status"]') === null);
  if (countdown === undefined) throw new Error('no countdown shown');
  return countdown;
}

describe('stopping the per-second countdown (WCAG 2.2.2)', () => {
  it('offers no control while the countdown shows no seconds, then offers it when the last hour begins', async () => {
    // Free until ETA − 24 h, which is 1 h 0 min 30 s away.
    const { dialog } = await openWithEtaIn(TIME.DAY + TIME.HOUR + 30_000);
    expect(countdownOf(dialog).textContent).toBe('Time left to cancel free of charge: 1 hour.');
    expect(within(dialog).queryByRole('button', { name: 'Hide seconds' })).toBeNull();

    await advance(31_000);
    expect(countdownOf(dialog).textContent).toMatch(/^Time left to cancel free of charge: 59 minutes, 5\d seconds\.$/);
    expect(within(dialog).getByRole('button', { name: 'Hide seconds' })).toBeVisible();
  });

  it('hides the seconds: the text then changes once a minute, and "Show seconds" brings them back', async () => {
    const { dialog, user } = await openWithEtaIn(TIME.DAY + 20 * TIME.MINUTE + 30_000);
    // With seconds shown it changes every second.
    const everySecond = new Set<string>();
    for (let second = 0; second < 5; second += 1) {
      await advance(1_000);
      everySecond.add(countdownOf(dialog).textContent ?? '');
    }
    expect(everySecond.size).toBe(5);

    await user.click(within(dialog).getByRole('button', { name: 'Hide seconds' }));
    expect(countdownOf(dialog).textContent).toBe('Time left to cancel free of charge: 20 minutes.');
    const hidden: string[] = [];
    for (let second = 0; second < 3 * 60; second += 1) {
      await advance(1_000);
      const text = countdownOf(dialog).textContent ?? '';
      if (hidden.at(-1) !== text) hidden.push(text);
    }
    expect(hidden).toEqual([
      'Time left to cancel free of charge: 20 minutes.',
      'Time left to cancel free of charge: 19 minutes.',
      'Time left to cancel free of charge: 18 minutes.',
      'Time left to cancel free of charge: 17 minutes.',
    ]);

    const show = within(dialog).getByRole('button', { name: 'Show seconds' });
    await user.click(show);
    expect(countdownOf(dialog).textContent).toMatch(/^Time left to cancel free of charge: 17 minutes, \d+ seconds?\.$/);
    expect(within(dialog).getByRole('button', { name: 'Hide seconds' })).toHaveFocus();
  });

  it('says "less than a minute" in the last minute rather than "0 minutes"', async () => {
    const { dialog, user } = await openWithEtaIn(TIME.DAY + 90_000);
    await user.click(within(dialog).getByRole('button', { name: 'Hide seconds' }));
    expect(countdownOf(dialog).textContent).toBe('Time left to cancel free of charge: 1 minute.');
    await advance(35_000);
    expect(countdownOf(dialog).textContent).toBe(
      `Time left to cancel free of charge: ${defaultMessages.formatDurationWithoutSeconds(59_000)}.`,
    );
    expect(countdownOf(dialog).textContent).toBe('Time left to cancel free of charge: less than a minute.');
  });

  it('keeps the choice and the control across free → chargeable, and keeps focus in the dialog when the countdown ends', async () => {
    const { dialog, user, harness } = await openWithEtaIn(TIME.DAY + 2 * TIME.MINUTE);
    await user.click(within(dialog).getByRole('button', { name: 'Hide seconds' }));
    await advance(2 * TIME.MINUTE + 1_000);
    expect(dialog).toHaveAttribute('data-charge', 'chargeable');
    // A day to the ETA shows no seconds, but the patient's choice and its control stay.
    expect(countdownOf(dialog).textContent).toBe('The practitioner is due in 23 hours, 59 minutes.');
    const toggle = within(dialog).getByRole('button', { name: 'Show seconds' });

    // Heim moves the ETA to a minute from now; the dialog's next read (every 30 s) follows it, and
    // at the ETA the countdown and its control go while the control has focus.
    toggle.focus();
    expect(toggle).toHaveFocus();
    harness.backend.simulator.moveEta('apt_toggle', new Date(Date.now() + 20_000).toISOString());
    // The dialog re-reads every 30 s; asked to re-read now, it need not wait for the next one.
    await act(() => harness.queryClient.invalidateQueries());
    // Seconds are still hidden, as the patient chose.
    await within(dialog).findByText('The practitioner is due in less than a minute.');
    for (let step = 0; step < 6 && dialog.getAttribute('data-charge') !== 'due'; step += 1) {
      await advance(10_000);
    }
    expect(dialog).toHaveAttribute('data-charge', 'due');
    expect(within(dialog).queryByRole('button', { name: /seconds/ })).toBeNull();
    // Focus lands on the charge status that replaced it, not on the page's body.
    expect(document.activeElement).toBe(within(dialog).getByText('The practitioner is due now').closest('section'));
  });
});
