/**
 * Messages about the time left receive it as words, as milliseconds and as units (RemainingTime),
 * so a language whose sentence agrees with the count can be written: Polish takes the accusative
 * after "za" ("za 1 minutę", "za 2 minuty", "za 5 minut") and a verb that agrees ("Została
 * 1 minuta", "Zostały 2 minuty", "Zostało 5 minut"). The units follow "Hide seconds".
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, defaultMessages, durationParts } from '../../src/index';
import type { CancelAppointmentMessagesOverride, DurationPart, DurationUnit } from '../../src/index';
import { advance, advanceTimersForUserEvent, useFakeClock } from './support/fake-clock';
import { quietUntranslatedWarnings } from './support/quiet-warnings';
import { aliceAppointment, closeWidgetHarnesses, createWidgetHarness, TIME } from './support/widget-harness';

beforeEach(quietUntranslatedWarnings);

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

const plural = new Intl.PluralRules('pl');
type Forms = Partial<Record<Intl.LDMLPluralRule, string>>;
/** Accusative, after "za": za 1 minutę, za 2 minuty, za 5 minut. */
const ACCUSATIVE: Record<DurationUnit, Forms> = {
  day: { one: 'dzień', few: 'dni', many: 'dni' },
  hour: { one: 'godzinę', few: 'godziny', many: 'godzin' },
  minute: { one: 'minutę', few: 'minuty', many: 'minut' },
  second: { one: 'sekundę', few: 'sekundy', many: 'sekund' },
};
const accusative = ({ unit, value }: DurationPart) => `${value} ${ACCUSATIVE[unit][plural.select(value)]}`;
/** "Zostało/Została/Zostały …": the verb agrees with the number of minutes. */
const LEFT: Forms = { one: 'Została 1 minuta', few: 'Zostały {n} minuty', many: 'Zostało {n} minut' };

const polish: CancelAppointmentMessagesOverride = {
  locale: 'pl',
  chargeFreeCountdown: ({ parts }) =>
    parts.length === 0
      ? 'Bezpłatne anulowanie kończy się za niecałą minutę.'
      : `Bezpłatne anulowanie kończy się za ${parts.map(accusative).join(' i ')}.`,
  announceFreeRemaining: ({ remainingMs }) => {
    const minutes = Math.floor(remainingMs / TIME.MINUTE);
    return `${LEFT[plural.select(minutes)]!.replace('{n}', String(minutes))} na bezpłatne anulowanie.`;
  },
};

/** Opens the dialog in Polish on a visit whose free window ends `freeForMs` from now, with fake timers. */
async function openFreeFor(freeForMs: number) {
  useFakeClock();
  const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
  const harness = await createWidgetHarness();
  harness.backend.simulator.addAppointment(aliceAppointment('apt_polish', TIME.DAY + freeForMs));
  harness.render(<CancelAppointmentButton appointmentId="apt_polish" fetch={harness.fetch} messages={polish} />);
  await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByRole('group', { name: 'Why are you cancelling?' });
  return { user, dialog };
}

describe('the time left, as a number and as units', () => {
  it('splits as the default formatters do: two units, seconds only in the last hour, none while hidden', () => {
    expect(durationParts(2 * TIME.DAY + 3 * TIME.HOUR + 59_000)).toEqual([
      { unit: 'day', value: 2 },
      { unit: 'hour', value: 3 },
    ]);
    expect(durationParts(5 * TIME.HOUR)).toEqual([{ unit: 'hour', value: 5 }]);
    expect(durationParts(TIME.HOUR - 1)).toEqual([
      { unit: 'minute', value: 59 },
      { unit: 'second', value: 59 },
    ]);
    expect(durationParts(45_999)).toEqual([{ unit: 'second', value: 45 }]);
    expect(durationParts(0)).toEqual([{ unit: 'second', value: 0 }]);
    expect(durationParts(TIME.HOUR - 1, { seconds: false })).toEqual([{ unit: 'minute', value: 59 }]);
    expect(durationParts(59_999, { seconds: false })).toEqual([]);
    // The default formatter words exactly these parts.
    expect(defaultMessages.formatDuration(12 * TIME.MINUTE + 5_000)).toBe('12 minutes, 5 seconds');
  });

  it('the countdown: a Polish sentence in the accusative, whose units follow "Hide seconds"', async () => {
    const { dialog, user } = await openFreeFor(2 * TIME.MINUTE + 30_000);
    expect(within(dialog).getByText(/^Bezpłatne anulowanie kończy się za 2 minuty i \d+ sekund[ye]?\.$/)).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Hide seconds' }));
    expect(within(dialog).getByText('Bezpłatne anulowanie kończy się za 2 minuty.')).toBeInTheDocument();
    await advance(60_000);
    expect(within(dialog).getByText('Bezpłatne anulowanie kończy się za 1 minutę.')).toBeInTheDocument();
    await advance(60_000);
    expect(within(dialog).getByText('Bezpłatne anulowanie kończy się za niecałą minutę.')).toBeInTheDocument();
  });

  it('the announcement: a verb that agrees with the number of minutes', async () => {
    const { dialog } = await openFreeFor(5 * TIME.MINUTE + 30_000);
    await advance(31_000);
    expect(within(dialog).getByText('Zostało 5 minut na bezpłatne anulowanie.')).toHaveAttribute('role', 'status');
    await advance(4 * TIME.MINUTE);
    expect(within(dialog).getByText('Została 1 minuta na bezpłatne anulowanie.')).toHaveAttribute('role', 'status');
  });
});
