import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelAppointmentButton } from '../../src/index';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

/**
 * axe on the open dialog; rules needing layout (contrast, target size) run in the browser suite.
 * Inside act(): axe takes real seconds, and the countdown's tick in that time is rendered when it
 * is done, not under it (and not outside act).
 */
async function violations(element: Element): Promise<string[]> {
  const result = await act(() =>
    axe.run(element, {
      rules: { 'color-contrast': { enabled: false }, 'target-size': { enabled: false }, region: { enabled: false } },
    }),
  );
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(' | ')}`);
}

describe('accessibility (axe, jsdom)', () => {
  it('has no violations in the loaded, error and success states', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_5h" fetch={harness.fetch} onReschedule={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    await within(dialog).findByRole('group', { name: 'Why are you cancelling?' });
    expect(await violations(dialog)).toEqual([]);

    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    await within(dialog).findByRole('alert', { name: 'There is a problem' });
    expect(await violations(dialog)).toEqual([]);

    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'I understand I may be charged for cancelling now' }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(await violations(dialog)).toEqual([]);
  });
});
