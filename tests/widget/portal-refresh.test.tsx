/**
 * What a portal naturally does in `onCancelled`: refresh its list of visits, which drops the one
 * just cancelled. The button (and the dialog inside it) then unmounts; the patient must have read
 * "Your appointment is cancelled" first, not lose it mid-sentence with focus falling to the body.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, CancelAppointmentProvider, type CancelledResult } from '../../src/index';
import { confirmButton } from './support/flow-helpers';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

const SUCCESS = 'Your appointment is cancelled';

/** A portal page that lists scheduled visits only and refreshes on every cancellation. */
function VisitList({ fetch, onRefresh }: { fetch: typeof globalThis.fetch; onRefresh: (result: CancelledResult) => void }) {
  const [visits, setVisits] = useState(['apt_alice_3d', 'apt_alice_30h']);
  return (
    <CancelAppointmentProvider
      fetch={fetch}
      onCancelled={(result) => {
        onRefresh(result);
        setVisits((current) => current.filter((id) => id !== result.appointmentId));
      }}
    >
      <h1 tabIndex={-1}>Your visits</h1>
      <ul>
        {visits.map((id) => (
          <li key={id} data-testid={id}>
            <CancelAppointmentButton appointmentId={id} />
          </li>
        ))}
      </ul>
    </CancelAppointmentProvider>
  );
}

describe('a portal that refreshes its list in onCancelled', () => {
  it('keeps the confirmation on screen until the patient closes it, then refreshes', async () => {
    const harness = await createWidgetHarness();
    const onRefresh = vi.fn();
    harness.render(<VisitList fetch={harness.fetch} onRefresh={onRefresh} />);
    const user = userEvent.setup();
    const row = screen.getByTestId('apt_alice_3d');
    await user.click(within(row).getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(await within(dialog).findByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));

    const heading = await within(dialog).findByRole('heading', { name: SUCCESS });
    expect(harness.upstreamCancels('apt_alice_3d')).toBe(1);
    // Confirmed at Heim, and the news is still there for the patient to read, with focus on it.
    expect(heading).toHaveFocus();
    expect(dialog).toHaveAttribute('open');
    expect(onRefresh).not.toHaveBeenCalled();
    expect(screen.getByTestId('apt_alice_3d')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    expect(onRefresh).toHaveBeenCalledWith(expect.objectContaining({ appointmentId: 'apt_alice_3d' }));
    expect(screen.queryByTestId('apt_alice_3d')).toBeNull();
    expect(screen.getByTestId('apt_alice_30h')).toBeInTheDocument();
  });

  it('still reports a confirmation held for an open dialog when the widget goes away (the portal navigates)', async () => {
    const harness = await createWidgetHarness();
    const onCancelled = vi.fn();
    const view = harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} onCancelled={onCancelled} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(await within(dialog).findByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: SUCCESS });
    expect(onCancelled).not.toHaveBeenCalled();

    view.unmount();
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(onCancelled).toHaveBeenCalledWith(expect.objectContaining({ appointmentId: 'apt_alice_3d' }));
  });

  it('holds the report for the dialog the patient is looking at when two buttons show the same visit', async () => {
    const harness = await createWidgetHarness();
    const onCancelled = vi.fn();
    harness.render(
      <CancelAppointmentProvider fetch={harness.fetch} onCancelled={onCancelled}>
        <section data-testid="next-visit">
          <CancelAppointmentButton appointmentId="apt_alice_3d" />
        </section>
        <section data-testid="list">
          <CancelAppointmentButton appointmentId="apt_alice_3d" />
        </section>
      </CancelAppointmentProvider>,
    );
    const user = userEvent.setup();
    // The card above has loaded its dialog (closed) too: both watch the same attempt.
    await user.hover(within(screen.getByTestId('next-visit')).getByRole('button', { name: 'Cancel appointment' }));
    const list = screen.getByTestId('list');
    await user.click(within(list).getByRole('button', { name: 'Cancel appointment' }));
    const dialog = within(list).getByRole('alertdialog');
    await user.click(await within(dialog).findByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: SUCCESS });
    expect(onCancelled).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onCancelled).toHaveBeenCalledTimes(1);
    // The button the patient used says so, and has focus.
    expect(within(list).getByRole('status')).toHaveTextContent('Appointment cancelled');
    expect(within(list).getByRole('status')).toHaveFocus();
  });

  it('gives the status focus after closing even where a click does not focus the button (Safari, iOS)', async () => {
    const harness = await createWidgetHarness();
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
    const trigger = screen.getByRole('button', { name: 'Cancel appointment' });
    // A click event alone, focus staying on the body, as Safari does for buttons.
    act(() => {
      fireEvent.click(trigger);
    });
    expect(document.activeElement).not.toBe(trigger);
    const dialog = await screen.findByRole('alertdialog');
    const user = userEvent.setup();
    await user.click(await within(dialog).findByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: SUCCESS });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.getByRole('status')).toHaveTextContent('Appointment cancelled');
    expect(screen.getByRole('status')).toHaveFocus();
  });

  it('keeps the trigger, and its focus, when a row is reused for another visit', async () => {
    const harness = await createWidgetHarness();
    const view = harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
    const trigger = screen.getByRole('button', { name: 'Cancel appointment' });
    trigger.focus();
    view.rerender(<CancelAppointmentButton appointmentId="apt_alice_5h" fetch={harness.fetch} />);
    expect(screen.getByRole('button', { name: 'Cancel appointment' })).toBe(trigger);
    expect(trigger).toHaveFocus();
  });
});
