import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, CancelAppointmentDialog, CancelAppointmentProvider, useAppointment } from '../../src/index';
import { aliceAppointment, closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(closeWidgetHarnesses);

async function openDialog(appointmentId: string, options: { slowHeim?: boolean } = {}) {
  const user = userEvent.setup();
  const harness = await createWidgetHarness();
  // Heim answering slowly keeps the loading state on screen long enough to look at it.
  if (options.slowHeim) harness.backend.simulator.setFault({ route: 'appointment', latencyMs: 300, times: 1 });
  harness.render(<CancelAppointmentButton appointmentId={appointmentId} fetch={harness.fetch} />);
  const trigger = screen.getByRole('button', { name: 'Cancel appointment' });
  await user.click(trigger);
  const dialog = screen.getByRole('alertdialog', { name: 'Cancel your appointment?' });
  return { user, harness, trigger, dialog };
}

describe('opening and closing', () => {
  it('opens a native modal alertdialog with focus on Keep appointment and a polite loading message', async () => {
    const { dialog } = await openDialog('apt_alice_3d', { slowHeim: true });

    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog).toHaveAttribute('open');
    expect(dialog).toHaveAttribute('data-state', 'open');
    expect(within(dialog).getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
    // Before the proxy answers, a polite status says what is happening.
    expect(within(dialog).getByText('Loading appointment…')).toHaveAttribute('role', 'status');

    expect(await within(dialog).findByText('Wound dressing')).toBeInTheDocument();
    expect(dialog).toHaveAccessibleDescription(/Wound dressing/);
    expect(dialog).toHaveAttribute('data-charge', 'free');
    // Loading the data did not move focus away from the safe choice.
    expect(within(dialog).getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
  });

  it('Escape keeps the appointment, closes the dialog and returns focus to the trigger', async () => {
    const { user, harness, trigger, dialog } = await openDialog('apt_alice_3d');
    await within(dialog).findByText('Wound dressing');

    await user.keyboard('{Escape}');

    expect(dialog).not.toHaveAttribute('open');
    expect(dialog).toHaveAttribute('data-state', 'closed');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(trigger).toHaveFocus();
    expect(harness.cancelRequests()).toHaveLength(0);
    expect(harness.upstreamCancels()).toBe(0);
    expect(harness.backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  });

  it('Keep appointment closes without cancelling and returns focus to the trigger', async () => {
    const { user, harness, trigger, dialog } = await openDialog('apt_alice_3d');
    await within(dialog).findByText('Wound dressing');

    await user.click(within(dialog).getByRole('button', { name: 'Keep appointment' }));

    expect(dialog).not.toHaveAttribute('open');
    expect(trigger).toHaveFocus();
    expect(harness.cancelRequests()).toHaveLength(0);
  });
});

describe('appointment summary', () => {
  it('shows what, where and when, in Europe/London with the zone name whatever the device zone', async () => {
    const previousTz = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const user = userEvent.setup();
      const harness = await createWidgetHarness();
      harness.backend.simulator.addAppointment(
        aliceAppointment('apt_winter', null, { status: 'scheduled', estimatedTimeOfArrival: '2031-01-14T10:30:00.000Z', serviceName: 'Winter visit' }),
      );
      harness.backend.simulator.addAppointment(
        aliceAppointment('apt_summer', null, { status: 'scheduled', estimatedTimeOfArrival: '2031-07-15T10:30:00.000Z', serviceName: 'Summer visit' }),
      );
      harness.render(
        <>
          <CancelAppointmentButton appointmentId="apt_winter" fetch={harness.fetch}>
            Cancel winter visit
          </CancelAppointmentButton>
          <CancelAppointmentButton appointmentId="apt_summer" fetch={harness.fetch}>
            Cancel summer visit
          </CancelAppointmentButton>
        </>,
      );

      await user.click(screen.getByRole('button', { name: 'Cancel winter visit' }));
      let dialog = screen.getByRole('alertdialog');
      expect(await within(dialog).findByText('Winter visit')).toBeInTheDocument();
      expect(within(dialog).getByText('Tuesday 14 January at 10:30 GMT')).toBeInTheDocument();
      expect(within(dialog).getByText('12 Example Road, London')).toBeInTheDocument();
      await user.keyboard('{Escape}');

      await user.click(screen.getByRole('button', { name: 'Cancel summer visit' }));
      dialog = screen.getByRole('alertdialog');
      expect(await within(dialog).findByText('Summer visit')).toBeInTheDocument();
      // 10:30 UTC is 11:30 in London in July, never 06:30 (the device's New York time).
      expect(within(dialog).getByText('Tuesday 15 July at 11:30 BST')).toBeInTheDocument();
    } finally {
      process.env.TZ = previousTz;
    }
  });

  it('says when no arrival time is set yet', async () => {
    const { dialog } = await openDialog('apt_alice_noeta');
    expect(await within(dialog).findByText('Arrival time not set yet')).toBeInTheDocument();
  });
});

describe('configuration', () => {
  it('applies a partial messages override, keeping the other defaults', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(
      <CancelAppointmentProvider
        fetch={harness.fetch}
        messages={{ keep: 'No, keep it', dialogTitle: 'Cancel this visit?', reasonLabels: { patient_unwell: 'I feel ill' } }}
      >
        <CancelAppointmentButton appointmentId="apt_alice_3d" />
      </CancelAppointmentProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Cancel this visit?' });
    expect(within(dialog).getByRole('button', { name: 'No, keep it' })).toHaveFocus();
    expect(await within(dialog).findByRole('radio', { name: 'I feel ill' })).toBeInTheDocument();
    expect(within(dialog).getByRole('radio', { name: 'I need a different date or time' })).toBeInTheDocument();
  });

  it('lets the button override the provider (props win)', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(
      <CancelAppointmentProvider fetch={harness.fetch} messages={{ trigger: 'From provider' }}>
        <CancelAppointmentButton appointmentId="apt_alice_3d" messages={{ trigger: 'From props' }} />
      </CancelAppointmentProvider>,
    );
    expect(screen.getByRole('button', { name: 'From props' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'From props' }));
    expect(await screen.findByText('Wound dressing')).toBeInTheDocument();
  });

  it("passes aria-describedby to the trigger, so buttons in a list of visits are told apart", async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(
      <CancelAppointmentProvider fetch={harness.fetch}>
        <ul>
          <li>
            <h3 id="visit-1">Wound dressing</h3>
            <CancelAppointmentButton appointmentId="apt_alice_3d" aria-describedby="visit-1" />
          </li>
          <li>
            <h3 id="visit-2">Blood pressure check</h3>
            <CancelAppointmentButton appointmentId="apt_alice_30h" aria-describedby="visit-2" />
          </li>
        </ul>
      </CancelAppointmentProvider>,
    );
    const [first, second] = screen.getAllByRole('button', { name: 'Cancel appointment' });
    expect(first).toHaveAccessibleDescription('Wound dressing');
    expect(second).toHaveAccessibleDescription('Blood pressure check');
    // Still the same button: it opens the dialog for its own visit.
    await user.click(second!);
    expect(await within(screen.getByRole('alertdialog')).findByText('Blood pressure check', { selector: 'dd' })).toBeInTheDocument();
  });

  it('works as a controlled dialog without any provider of the host', async () => {
    const harness = await createWidgetHarness();
    const changes: boolean[] = [];
    // No QueryClientProvider around it: the widget brings its own client.
    const view = render(
      <CancelAppointmentDialog appointmentId="apt_alice_3d" open fetch={harness.fetch} onOpenChange={(next) => changes.push(next)} />,
    );
    const dialog = screen.getByRole('alertdialog');
    expect(await within(dialog).findByText('Wound dressing')).toBeInTheDocument();
    await userEvent.setup().keyboard('{Escape}');
    expect(changes).toEqual([false]);
    // Controlled: it stays open until the owner says otherwise.
    expect(dialog).toHaveAttribute('open');
    view.rerender(<CancelAppointmentDialog appointmentId="apt_alice_3d" open={false} fetch={harness.fetch} />);
    expect(dialog).not.toHaveAttribute('open');
  });

  it('explains a missing provider when a hook that needs one is used outside it', () => {
    function Orphan() {
      useAppointment('apt_alice_3d');
      return null;
    }
    const quiet = console.error;
    console.error = () => {};
    try {
      expect(() => render(<Orphan />)).toThrow('useAppointment must be used within <CancelAppointmentProvider>.');
    } finally {
      console.error = quiet;
    }
  });

  it('in development, refuses a note limit that is not a positive whole number, naming the prop, as the provider renders', () => {
    const quiet = console.error;
    console.error = () => {};
    try {
      for (const noteMaxLength of [0, -5, 2.5, Number.NaN]) {
        expect(() => render(<CancelAppointmentButton appointmentId="apt_alice_3d" noteMaxLength={noteMaxLength} />)).toThrow(
          `noteMaxLength must be a positive whole number; got ${String(noteMaxLength)}.`,
        );
      }
    } finally {
      console.error = quiet;
    }
  });

  it('in production, a wrong note limit never breaks the page: the dialog logs it and uses the proxy default', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const harness = await createWidgetHarness();
      harness.render(
        <main>
          <p>Your visits</p>
          <CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} noteMaxLength={0} />
        </main>,
      );
      await userEvent.setup().click(screen.getByRole('button', { name: 'Cancel appointment' }));
      const dialog = await screen.findByRole('alertdialog', { name: 'Cancel your appointment?' });
      expect(await within(dialog).findByText('0 of 500 characters')).toBeInTheDocument();
      expect(screen.getByText('Your visits')).toBeInTheDocument();
      expect(logged).toHaveBeenCalledWith('heim-cancel: noteMaxLength must be a positive whole number; got 0. The widget uses 500 instead.');
    } finally {
      logged.mockRestore();
      vi.unstubAllEnvs();
    }
  });

  it('shows not found for an appointment of another patient, exactly like an unknown one', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(
      <>
        <CancelAppointmentButton appointmentId="apt_bilal_3d" fetch={harness.fetch}>
          Bilal
        </CancelAppointmentButton>
        <CancelAppointmentButton appointmentId="apt_nobody" fetch={harness.fetch}>
          Nobody
        </CancelAppointmentButton>
      </>,
    );
    for (const name of ['Bilal', 'Nobody']) {
      await user.click(screen.getByRole('button', { name }));
      const dialog = screen.getByRole('alertdialog');
      const heading = await within(dialog).findByRole('heading', { name: "We couldn't find this appointment" });
      expect(heading).toHaveFocus();
      expect(within(dialog).queryByRole('button', { name: 'Cancel appointment' })).not.toBeInTheDocument();
      await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    }
  });
});
