/**
 * The widget in the pseudo-locale (src/widget/pseudo-locale.ts), state by state: every piece of
 * text on screen or in an attribute a screen reader reads must come from the messages, so it is
 * accented. Plain English left over is hard-coded text a translation could not reach. Only the
 * appointment's own data from Heim (its title and address) may stay as it is.
 */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import { pseudoLocalize, pseudoLocalizeMessages } from '../../src/pseudo-locale';
import type { AppointmentResponse } from '../../src/index';
import { advanceTimersForUserEvent, useFakeClock } from './support/fake-clock';
import { advanceInSteps } from './support/flow-helpers';
import { closeWidgetHarnesses, createWidgetHarness, type WidgetHarness } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await closeWidgetHarnesses();
});

const pseudo = pseudoLocalizeMessages(defaultMessages);
/** Attributes whose text is read out or shown (names, descriptions, hints). */
const TEXT_ATTRIBUTES = ['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt'];

/** What Heim says about the visit, which is data, not copy: it is shown as it is. */
async function heimData(harness: WidgetHarness, appointmentId: string): Promise<string[]> {
  const response = await harness.fetch(`/api/appointments/${appointmentId}`);
  if (!response.ok) return [];
  const { appointment } = (await response.json()) as AppointmentResponse;
  return [appointment.summary.title, appointment.summary.addressLine];
}

/** Every text a patient can see or hear under `root` that is still plain English. */
function plainEnglish(root: HTMLElement, data: readonly string[]): string[] {
  const texts: string[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    // Not inside <style> or <script>: those are not text for people.
    if (node.parentElement?.closest('style, script') === null) texts.push(node.nodeValue ?? '');
  }
  for (const element of root.querySelectorAll('*')) {
    for (const name of TEXT_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value !== null) texts.push(value);
    }
    if (element instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(element.type)) texts.push(element.value);
  }
  return texts.filter((text) => {
    const rest = data.reduce((left, value) => left.split(value).join(''), text);
    return /[A-Za-z]/.test(rest);
  });
}

async function openInPseudo(appointmentId: string, options: { noteMaxLength?: number; latencyMs?: number } = {}) {
  const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
  const harness = await createWidgetHarness();
  const data = await heimData(harness, appointmentId);
  if (options.latencyMs !== undefined) {
    harness.backend.simulator.setFault({ route: 'appointment', latencyMs: options.latencyMs, times: 1 });
  }
  const view = harness.render(
    <CancelAppointmentButton
      appointmentId={appointmentId}
      fetch={harness.fetch}
      messages={pseudo}
      {...(options.noteMaxLength === undefined ? {} : { noteMaxLength: options.noteMaxLength })}
    />,
  );
  await user.click(screen.getByRole('button', { name: pseudo.trigger }));
  const dialog = screen.getByRole('alertdialog');
  const expectAllPseudo = () => expect(plainEnglish(view.container, data)).toEqual([]);
  return { user, harness, dialog, container: view.container, data, expectAllPseudo };
}

describe('pseudo-locale', () => {
  it('transforms every string and function of the messages, keeping interpolated values as they are', () => {
    expect(pseudo.trigger).toMatch(/^\[Çåñçéļ åþþöîñţɱéñţ ~+\]$/);
    expect(pseudo.locale).toBe(defaultMessages.locale);
    // `dir` is an attribute's value, not words: it stays as it is.
    expect(pseudoLocalizeMessages({ ...defaultMessages, dir: 'rtl' }).dir).toBe('rtl');
    for (const [key, value] of Object.entries(pseudo)) {
      if (typeof value === 'string' && key !== 'locale') expect(value, key).toMatch(/^\[[^A-Za-z]*\]$/);
    }
    const body = pseudo.successBody({ title: 'Wound dressing', when: null });
    expect(body).toContain('Wound dressing');
    expect(body.replace('Wound dressing', '')).not.toMatch(/[A-Za-z]/);
    expect(pseudo.formatDuration(90_000)).toMatch(/^\[1 ɱîñûţé, 30 šéçöñðš ~+\]$/);
    // About 40 % longer, so truncation and tight layouts show before a real translation does.
    const long = defaultMessages.networkError;
    expect(pseudoLocalize(long).length / long.length).toBeGreaterThanOrEqual(1.35);
    expect(pseudoLocalize(long).length / long.length).toBeLessThanOrEqual(1.45);
    // The padding breaks like words do: no run of it longer than a long word.
    expect(pseudoLocalize(long)).not.toMatch(/~{6}/);
  });

  it('the check finds English that did not come through the messages', async () => {
    const harness = await createWidgetHarness();
    // As if "Keep appointment" were hard-coded: the one string the messages do not reach.
    const view = harness.render(
      <CancelAppointmentButton
        appointmentId="apt_alice_3d"
        fetch={harness.fetch}
        messages={{ ...pseudo, keep: defaultMessages.keep }}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: pseudo.trigger }));
    await within(screen.getByRole('alertdialog')).findByRole('radio', { name: pseudo.reasonLabels.patient_unwell });
    expect(plainEnglish(view.container, await heimData(harness, 'apt_alice_3d'))).toEqual(['Keep appointment']);
  });

  it('loading, the form, validation errors, a failure notice, success and the cancelled status', async () => {
    const { user, harness, dialog, data, expectAllPseudo } = await openInPseudo('apt_alice_3d', {
      noteMaxLength: 10,
      latencyMs: 300,
    });
    expect(within(dialog).getByRole('status')).toHaveTextContent(pseudo.loading);
    expectAllPseudo();

    await within(dialog).findByRole('radio', { name: pseudo.reasonLabels.patient_unwell });
    expect(data).toHaveLength(2);
    expect(dialog).toHaveTextContent(data[0] ?? 'no title');
    expectAllPseudo();

    const confirm = within(dialog).getByRole('button', { name: pseudo.confirm });
    await user.click(confirm);
    await within(dialog).findByRole('heading', { name: pseudo.errorSummaryTitle });
    expectAllPseudo();

    // "Another reason" needs a note; digits keep the patient's own text out of the check.
    await user.click(within(dialog).getByRole('radio', { name: pseudo.reasonLabels.patient_cancelled }));
    await user.type(within(dialog).getByRole('textbox'), '123456789012345');
    await user.click(confirm);
    await within(dialog).findByText(pseudo.errorNoteTooLong({ max: 10, over: 5 }), { selector: 'p' });
    expectAllPseudo();

    await user.clear(within(dialog).getByRole('textbox'));
    await user.type(within(dialog).getByRole('textbox'), '1234');
    harness.backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    await user.click(confirm);
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(pseudo.upstreamError);
    expectAllPseudo();

    await user.click(within(alert).getByRole('button', { name: pseudo.tryAgain }));
    await within(dialog).findByRole('heading', { name: pseudo.successTitle });
    expectAllPseudo();

    await user.click(within(dialog).getByRole('button', { name: pseudo.close }));
    expect(screen.getByRole('status')).toHaveTextContent(pseudo.cancelledStatus);
    expectAllPseudo();
  });

  it('chargeable with the seconds control and the acknowledgement, hidden seconds, and offline', async () => {
    const { user, dialog, expectAllPseudo } = await openInPseudo('apt_alice_20m');
    const toggle = await within(dialog).findByRole('button', { name: pseudo.hideSeconds });
    expect(within(dialog).getByRole('checkbox', { name: pseudo.acknowledgeCharge })).toBeInTheDocument();
    expectAllPseudo();
    await user.click(toggle);
    expect(within(dialog).getByRole('button', { name: pseudo.showSeconds })).toBeInTheDocument();
    expectAllPseudo();

    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    act(() => {
      window.dispatchEvent(new Event('offline'));
    });
    expect(dialog).toHaveTextContent(pseudo.offline);
    expectAllPseudo();
    onLine.mockRestore();
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
  });

  it.each([
    ['due', 'apt_alice_30m_ago', pseudo.chargeDueTitle],
    ['no ETA', 'apt_alice_noeta', pseudo.chargeNoEta],
    ['already cancelled', 'apt_alice_cancelled', pseudo.alreadyCancelledTitle],
    ['not cancellable', 'apt_alice_completed', pseudo.notCancellableTitle],
    ['not found', 'apt_nobody_here', pseudo.notFoundTitle],
  ])('%s', async (_state, appointmentId, expected) => {
    const { dialog, expectAllPseudo } = await openInPseudo(appointmentId);
    await within(dialog).findByText(expected);
    expectAllPseudo();
  });

  it('pending confirmation', async () => {
    useFakeClock();
    const { user, harness, dialog, expectAllPseudo } = await openInPseudo('apt_alice_3d');
    await user.click(await within(dialog).findByRole('radio', { name: pseudo.reasonLabels.patient_unwell }));
    harness.backend.simulator.setFault({ route: 'cancel', status: 504, times: 1 });
    await user.click(within(dialog).getByRole('button', { name: pseudo.confirm }));
    await within(dialog).findByRole('heading', { name: pseudo.pendingTitle });
    await advanceInSteps(1_000);
    expectAllPseudo();
  });
});
