/**
 * `locale` drives the formatters: a messages override that changes it without bringing its own
 * formatters gets dates, durations and the minute-only countdown in that language through Intl.
 */
import { describe, expect, it } from 'vitest';
import { defaultMessages, localeFormatters } from '../../src/index';
import type { CancelAppointmentMessages } from '../../src/index';
import { mergeMessages } from '../../src/widget/messages';

const NOV_24_NOON_UTC = Date.UTC(2026, 10, 24, 12, 0);

describe('messages locale', () => {
  it('re-binds the default formatters to a new locale', () => {
    const welsh = mergeMessages(defaultMessages, { locale: 'cy', keep: 'Cadw’r apwyntiad' });
    expect(welsh.formatDateTime(NOV_24_NOON_UTC, 'Europe/London')).toMatch(/Tachwedd/);
    expect(welsh.formatDuration(2 * 3_600_000 + 5 * 60_000)).toMatch(/awr/);
    expect(welsh.formatDurationWithoutSeconds(30_000)).toMatch(/^0–1 munud$/);
    expect(welsh.keep).toBe('Cadw’r apwyntiad');
    // Strings it does not translate stay as they were.
    expect(welsh.close).toBe(defaultMessages.close);
  });

  it('keeps formatters the override brings, and leaves en-GB alone', () => {
    const own = (): string => 'own';
    const french = mergeMessages(defaultMessages, { locale: 'fr', formatDuration: own });
    expect(french.formatDuration(60_000)).toBe('own');
    expect(french.formatDateTime(NOV_24_NOON_UTC, 'Europe/London')).toMatch(/novembre/);
    expect(mergeMessages(defaultMessages, { close: 'Done' }).formatDateTime).toBe(defaultMessages.formatDateTime);
    expect(defaultMessages.formatDateTime(NOV_24_NOON_UTC, 'Europe/London')).toBe('Tuesday 24 November at 12:00 GMT');
  });

  it('falls back to British English, not the runtime default, for a locale the runtime lacks', () => {
    // No runtime has data for the private-use "qaa": without the fallback Intl answers in its own
    // default locale (US English on most), with the month first and a 12-hour clock.
    const unknown = mergeMessages(defaultMessages, { locale: 'qaa' });
    expect(unknown.formatDateTime(NOV_24_NOON_UTC, 'Europe/London')).toBe('Tuesday 24 November at 12:00 GMT');
    expect(unknown.formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe(defaultMessages.formatDuration(2 * 3_600_000 + 5 * 60_000));
  });

  it('re-binds the en-GB formatters a complete object brought in with `...defaultMessages`', () => {
    // Typed as the full messages, so tsc enforces every key: the obvious way to write it.
    const complete: CancelAppointmentMessages = { ...defaultMessages, locale: 'cy', keep: 'Cadw’r apwyntiad' };
    const welsh = mergeMessages(defaultMessages, complete);
    expect(welsh.formatDateTime(NOV_24_NOON_UTC, 'Europe/London')).toBe('Dydd Mawrth, 24 Tachwedd am 12:00 GMT');
    expect(welsh.formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 awr, 5 munud');
    expect(welsh.formatDurationWithoutSeconds(30_000)).toBe('0–1 munud');
    // Under a Welsh parent, a child that spreads the defaults again keeps the parent's formatters.
    const own = (): string => 'own';
    const parent = mergeMessages(defaultMessages, { locale: 'cy', formatDateTime: own });
    expect(mergeMessages(parent, complete).formatDateTime).toBe(own);
  });

  it('gives the default formatters in any locale, for a complete object written without the defaults', () => {
    const welsh = localeFormatters('cy');
    expect(welsh.formatDateTime(NOV_24_NOON_UTC, 'Europe/London')).toBe('Dydd Mawrth, 24 Tachwedd am 12:00 GMT');
    expect(welsh.formatDuration(90_000)).toBe('1 munud, 30 eiliad');
    // en-GB's are the defaults themselves, English words for the last minute included.
    expect(localeFormatters('en-GB')).toEqual({
      formatDateTime: defaultMessages.formatDateTime,
      formatDuration: defaultMessages.formatDuration,
      formatDurationWithoutSeconds: defaultMessages.formatDurationWithoutSeconds,
    });
    // So going back to en-GB under a Welsh parent says "less than a minute" again, not "0–1 minutes".
    const back = mergeMessages(mergeMessages(defaultMessages, { locale: 'cy' }), { locale: 'en-GB' });
    expect(back.formatDurationWithoutSeconds(30_000)).toBe('less than a minute');
  });
});
