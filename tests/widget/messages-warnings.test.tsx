/**
 * In development the dialog tells the portal's developer, once, in the console, what of its
 * messages would reach a patient in English: keys (reason labels included) left as the en-GB
 * defaults under another locale, and default formatters where the runtime has no date data for
 * the locale (Chromium has none for Welsh). Production bundles leave the check out.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import type { CancelAppointmentMessagesOverride } from '../../src/index';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await closeWidgetHarnesses();
});

/** Every key and label translated (here: marked), so only what a test takes out is left in English. */
function everyKeyIn(locale: string, mark: string): CancelAppointmentMessagesOverride {
  const words = Object.fromEntries(
    Object.entries(defaultMessages)
      .filter(([key]) => !['locale', 'formatDateTime', 'formatDuration', 'formatDurationWithoutSeconds', 'reasonLabels'].includes(key))
      .map(([key, value]) => [key, typeof value === 'function' ? (...args: never[]) => `${mark} ${(value as (...a: never[]) => string)(...args)}` : `${mark} ${value}`]),
  );
  const reasonLabels = Object.fromEntries(Object.entries(defaultMessages.reasonLabels).map(([code, label]) => [code, `${mark} ${label}`]));
  return { ...words, locale, reasonLabels } as CancelAppointmentMessagesOverride;
}

async function openWith(messages: CancelAppointmentMessagesOverride) {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  warn.mockClear(); // A second opening in the same test gets the same spy.
  const user = userEvent.setup();
  const harness = await createWidgetHarness();
  const view = harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} messages={messages} />);
  await user.click(screen.getByRole('button', { name: String(messages.trigger ?? defaultMessages.trigger) }));
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByRole('group');
  const said = () => warn.mock.calls.map((args) => String(args[0])).filter((text) => text.startsWith('heim-cancel:'));
  return { user, dialog, view, harness, said };
}

describe('development warnings about messages left in English', () => {
  it('names the keys and reason labels a Welsh translation left as the en-GB defaults, once', async () => {
    const { close: _close, reasonLabels, ...rest } = everyKeyIn('cy', '[cy]');
    const { organisation_cancelled: _organisation, ...labels } = reasonLabels!;
    const { user, dialog, view, harness, said } = await openWith({ ...rest, reasonLabels: labels });
    expect(said()).toHaveLength(1);
    expect(said()[0]).toMatch(/^heim-cancel: messages for locale "cy" leave 2 key\(s\) in English .*: close, reasonLabels\.organisation_cancelled\./);

    // Closing, reopening and re-rendering with the same words says nothing more.
    await user.click(within(dialog).getByRole('button', { name: '[cy] Keep appointment' }));
    await user.click(screen.getByRole('button', { name: '[cy] Cancel appointment' }));
    view.rerender(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} messages={{ ...rest, reasonLabels: labels }} />);
    expect(said()).toHaveLength(1);
  });

  it('says nothing for a complete translation, nor for English', async () => {
    const { said, view } = await openWith(everyKeyIn('pl', '[pl]'));
    expect(said()).toEqual([]);
    view.unmount();
    await closeWidgetHarnesses();
    const english = await openWith({ locale: 'en-US', keep: 'Keep my appointment' });
    expect(english.said()).toEqual([]);
  });

  it('tells a locale the runtime has no date data for that the default formatters show British English', async () => {
    // Node has no data for Scots ("sco"), as Chromium has none for Welsh.
    expect(Intl.DateTimeFormat.supportedLocalesOf('sco')).toEqual([]);
    const { said, view } = await openWith(everyKeyIn('sco', '[sco]'));
    expect(said()).toHaveLength(1);
    expect(said()[0]).toMatch(
      /^heim-cancel: this browser has no date data for locale "sco" .* the default formatDateTime, formatDuration, formatDurationWithoutSeconds show dates and durations in British English\. Pass your own formatDateTime and formatDuration/,
    );
    view.unmount();
    await closeWidgetHarnesses();

    // With its own formatters, nothing to say.
    const own = await openWith({
      ...everyKeyIn('sco', '[sco own]'),
      formatDateTime: () => 'Tysday 24 November at 12:00',
      formatDuration: () => '5 oors an 12 minutes',
      formatDurationWithoutSeconds: () => '5 oors an 12 minutes',
    });
    expect(own.said()).toEqual([]);
  });

  it('is development only: a production build says nothing', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const { said } = await openWith({ locale: 'cy', dialogTitle: 'Canslo eich apwyntiad?' });
    expect(said()).toEqual([]);
  });

  it('tells a translation that kept the English locale that its dialog is read with an English voice', async () => {
    const { said, dialog } = await openWith(everyKeyIn('en-GB', '[de]'));
    expect(dialog.getAttribute('lang')).toBe('en-GB');
    expect(said()).toHaveLength(1);
    expect(said()[0]).toMatch(/^heim-cancel: most messages differ from the en-GB defaults and locale is "en-GB"\..*if these messages are not in English, set locale/);
  });

  it('warns instead of throwing on a locale that is no BCP 47 tag, and the dialog works', async () => {
    const { said, dialog } = await openWith({ ...everyKeyIn('cy', '[cy]'), locale: 'cy_GB', formatDateTime: () => 'Dydd Mawrth' });
    expect(said()).toEqual([expect.stringMatching(/^heim-cancel: the messages for locale "cy_GB" could not be checked \(RangeError/)]);
    expect(within(dialog).getByRole('group')).toBeInTheDocument();
  });
});
