/**
 * The dialog's code loads on intent (issue 6): the button renders without it, and a click that
 * arrives before it still opens the dialog. Fresh modules per test, so the loader starts empty.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

async function freshWidget() {
  vi.resetModules();
  const widget = await import('../../src/widget/cancel-appointment-button');
  const loader = await import('../../src/widget/load-cancel-dialog');
  return { ...widget, ...loader };
}

describe('the dialog loaded on intent', () => {
  it('renders the trigger alone until intent, then opens on a click that came before the code', async () => {
    const { CancelAppointmentButton } = await freshWidget();
    const harness = await createWidgetHarness();
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
    // Nothing of the dialog yet: no <dialog> element, no request to the proxy.
    expect(document.querySelector('dialog')).toBeNull();

    // A keyboard user: Enter on the focused trigger is the click; focus itself was the intent.
    const user = userEvent.setup();
    await user.tab();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('alertdialog', { name: 'Cancel your appointment?' });
    expect(dialog).toHaveAttribute('open');
    expect(within(dialog).getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
  });

  it('starts loading on pointer intent, before any click', async () => {
    const { CancelAppointmentButton, loadCancelDialog } = await freshWidget();
    const harness = await createWidgetHarness();
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
    await userEvent.setup().hover(screen.getByRole('button', { name: 'Cancel appointment' }));
    // Loaded (closed) and mounted, still without a click: the next click opens at once.
    await loadCancelDialog();
    expect(await screen.findByRole('alertdialog', { hidden: true })).not.toHaveAttribute('open');
  });

  it('starts afresh, closed, when the button is reused for another appointment while its dialog is open', async () => {
    const { CancelAppointmentButton } = await freshWidget();
    const harness = await createWidgetHarness();
    const view = harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Cancel your appointment?' });
    expect(await within(dialog).findByText('Wound dressing')).toBeInTheDocument();

    // The portal re-sorts its list and this row now stands for the INR test.
    view.rerender(<CancelAppointmentButton appointmentId="apt_alice_5h" fetch={harness.fetch} />);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByText('Wound dressing')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const next = await screen.findByRole('alertdialog', { name: 'Cancel your appointment?' });
    expect(await within(next).findByText('INR blood test')).toBeInTheDocument();
    expect(within(next).queryByText('Wound dressing')).toBeNull();
  });

  // The dialog's code arrives when the test says, as a slow network would deliver it; the real code.
  async function widgetWithCodeOnHold() {
    let deliver!: () => void;
    let refuse!: () => void;
    const network = new Promise<void>((resolve, reject) => {
      deliver = resolve;
      refuse = () => reject(new Error('Failed to fetch dynamically imported module'));
    });
    vi.resetModules();
    vi.doMock('../../src/widget/cancel-appointment-dialog', async (importOriginal) => {
      await network;
      return importOriginal();
    });
    const { CancelAppointmentButton } = await import('../../src/widget/cancel-appointment-button');
    const { loadCancelDialog } = await import('../../src/widget/load-cancel-dialog');
    return { CancelAppointmentButton, loadCancelDialog, deliver, refuse };
  }

  it.each([
    ['arrives', true],
    ['cannot arrive', false],
  ])('drops a click still waiting for the code when its button is reused for another appointment (the code %s)', async (_, arrives) => {
    const { CancelAppointmentButton, loadCancelDialog, deliver, refuse } = await widgetWithCodeOnHold();
    try {
      const harness = await createWidgetHarness();
      const view = harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
      await userEvent.setup().click(screen.getByRole('button', { name: 'Cancel appointment' }));
      // The click is waiting for the code: after a moment it says so.
      expect(await screen.findByText('Opening…')).toBeInTheDocument();

      // The portal re-sorts its list and this row now stands for the INR test; then the code comes, or fails.
      view.rerender(<CancelAppointmentButton appointmentId="apt_alice_5h" fetch={harness.fetch} />);
      expect(screen.queryByText('Opening…')).toBeNull();
      await act(async () => {
        if (arrives) deliver();
        else refuse();
        // Settles after the button's own handlers on the same load have run.
        await loadCancelDialog().catch(() => undefined);
      });

      // Nobody clicked for the INR test: no dialog opens for it, and no alert speaks of it.
      if (arrives) {
        // The code is here: the button's dialog is mounted, closed.
        await waitFor(() => expect(document.querySelector('dialog')).not.toBeNull());
        expect(document.querySelector('dialog')).not.toHaveAttribute('open');
      }
      expect(screen.queryByRole('alert')).toBeNull();
      // Nothing beside the button says anything (the trigger's region, and the dialog's once loaded).
      for (const region of screen.getAllByRole('status')) expect(region).toHaveTextContent('');
    } finally {
      vi.doUnmock('../../src/widget/cancel-appointment-dialog');
    }
  });

  it('shows the trigger words from the nearest provider before the messages load, and the defaults match messages.ts', async () => {
    const { CancelAppointmentButton } = await freshWidget();
    const { TRIGGER_DEFAULTS } = await import('../../src/widget/cancel-appointment-scope');
    const { defaultMessages } = await import('../../src/widget/messages');
    expect(TRIGGER_DEFAULTS).toEqual({
      trigger: defaultMessages.trigger,
      cancelledStatus: defaultMessages.cancelledStatus,
      triggerOpening: defaultMessages.triggerOpening,
      triggerLoadError: defaultMessages.triggerLoadError,
    });

    render(<CancelAppointmentButton appointmentId="apt_x" messages={{ trigger: 'Cancel visit' }} />);
    expect(screen.getByRole('button', { name: 'Cancel visit' })).toHaveAttribute('aria-haspopup', 'dialog');
  });
});
