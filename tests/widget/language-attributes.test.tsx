/**
 * The messages' language and direction reach the DOM: `lang` (from `locale`) and `dir` on the
 * dialog and on the news said beside the button once it is closed, so a screen reader reads a
 * Welsh dialog on an English page with a Welsh voice, and Urdu lays out right to left.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton } from '../../src/index';
import { useFakeClock } from './support/fake-clock';
import { confirmButton, openForm } from './support/flow-helpers';
import { quietUntranslatedWarnings } from './support/quiet-warnings';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

beforeEach(quietUntranslatedWarnings);

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

describe('lang and dir', () => {
  it('marks the dialog with the messages’ locale and leaves its direction to the page by default', async () => {
    const { dialog } = await openForm();
    expect(dialog).toHaveAttribute('lang', 'en-GB');
    expect(dialog).not.toHaveAttribute('dir');
  });

  it('marks a Welsh dialog on an English page as Welsh, and an Urdu one right to left', async () => {
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    const view = harness.render(
      <CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} messages={{ locale: 'cy', dialogTitle: 'Canslo eich apwyntiad?' }} />,
    );
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Canslo eich apwyntiad?' });
    expect(dialog).toHaveAttribute('lang', 'cy');
    expect(dialog).not.toHaveAttribute('dir');

    view.rerender(
      <CancelAppointmentButton
        appointmentId="apt_alice_3d"
        fetch={harness.fetch}
        messages={{ locale: 'ur', dir: 'rtl', dialogTitle: 'اپنی ملاقات منسوخ کریں؟' }}
      />,
    );
    const urdu = screen.getByRole('alertdialog', { name: 'اپنی ملاقات منسوخ کریں؟' });
    expect(urdu).toHaveAttribute('lang', 'ur');
    expect(urdu).toHaveAttribute('dir', 'rtl');
  });

  it('marks the news beside the button, once the dialog is closed, with the same language and direction', async () => {
    useFakeClock();
    const pendingClosedNote = 'Mae’r canslo wedi’i anfon. Rydym yn ei gadarnhau.';
    const { user, harness, dialog, trigger } = await openForm({ props: { messages: { locale: 'cy', dir: 'ltr', pendingClosedNote } } });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // Heim's answer is lost: the attempt is pending, and stays so once the dialog is closed.
    harness.backend.simulator.setFault({ route: 'cancel', status: 504, times: 1 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: "We're confirming your cancellation" });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    const news = [...trigger.parentElement!.children].find(
      (element) => element.getAttribute('role') === 'status' && element.textContent === pendingClosedNote,
    );
    expect(news).toHaveAttribute('lang', 'cy');
    expect(news).toHaveAttribute('dir', 'ltr');
    // The button itself renders before the dialog's code (and its messages) loads: the portal marks it.
    expect(trigger).not.toHaveAttribute('lang');
  });
});
