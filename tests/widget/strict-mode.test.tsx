import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, CancelAppointmentDialog } from '../../src/index';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

describe('under React StrictMode (double effects, as portals run in development)', () => {
  it('opens, cancels once and reports once', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    const onCancelled = vi.fn();
    harness.render(
      <StrictMode>
        <CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} onCancelled={onCancelled} />
      </StrictMode>,
    );
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    expect(within(dialog).getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
    await user.click(await within(dialog).findByRole('radio', { name: "I'm unwell" }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(onCancelled).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('a dialog open from the start still returns focus to what had it before', async () => {
    const harness = await createWidgetHarness();
    const before = document.createElement('button');
    before.textContent = 'Somewhere in the portal';
    document.body.append(before);
    before.focus();
    try {
      harness.render(
        <StrictMode>
          <CancelAppointmentDialog appointmentId="apt_alice_3d" defaultOpen fetch={harness.fetch} />
        </StrictMode>,
      );
      const dialog = screen.getByRole('alertdialog');
      expect(within(dialog).getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
      await within(dialog).findByText('Wound dressing');
      await userEvent.setup().keyboard('{Escape}');
      expect(dialog).not.toHaveAttribute('open');
      expect(before).toHaveFocus();
    } finally {
      before.remove();
    }
  });
});
