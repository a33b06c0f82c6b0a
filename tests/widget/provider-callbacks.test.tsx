/**
 * A portal passes its callbacks inline, so each of its renders hands the widget new functions. The
 * widget calls the latest one, and offers what a callback enables (e.g. "Rearrange instead") as
 * soon as the callback is given, and no longer once it is taken away.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, CancelAppointmentProvider, type CancelAppointmentEvent } from '../../src/index';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

describe('the portal’s callbacks', () => {
  it('calls the function from the latest render, and shows or hides what a callback enables as it comes and goes', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    const seen: string[] = [];
    const page = (version: string, onReschedule?: (appointmentId: string) => void) => (
      <CancelAppointmentProvider
        fetch={harness.fetch}
        onEvent={(event: CancelAppointmentEvent) => seen.push(`${version}:${event.type}`)}
        {...(onReschedule ? { onReschedule } : {})}
      >
        <CancelAppointmentButton appointmentId="apt_alice_3d" />
      </CancelAppointmentProvider>
    );

    const view = harness.render(page('first'));
    view.rerender(page('second'));
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    await within(dialog).findByText('Wound dressing');
    await vi.waitFor(() => expect(seen).toEqual(['second:opened']));
    expect(within(dialog).queryByRole('button', { name: 'Rearrange instead' })).toBeNull();

    const onReschedule = vi.fn();
    view.rerender(page('third', onReschedule));
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    expect(seen.at(-1)).toBe('third:reason_chosen');
    await user.click(within(dialog).getByRole('button', { name: 'Rearrange instead' }));
    expect(onReschedule).toHaveBeenCalledExactlyOnceWith('apt_alice_3d');

    view.rerender(page('fourth'));
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    expect(within(await screen.findByRole('alertdialog')).queryByRole('button', { name: 'Rearrange instead' })).toBeNull();
  });
});
