/**
 * Locale-aware formatting through `Intl` only, so another language needs new messages, never new
 * string arithmetic. Formatters are cached: building an `Intl` object is far dearer than using one,
 * and the countdown formats every second.
 */

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat | Intl.PluralRules>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat | Intl.PluralRules>(
  key: string,
  create: () => T,
): T {
  let formatter = cache.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = create();
    cache.set(key, formatter);
  }
  return formatter;
}

/**
 * The locales to ask Intl for: the chosen one, then British English. Without the fallback, a
 * runtime that lacks the chosen locale's data (Chromium ships no Welsh dates, for one) falls back
 * to *its* default, often US English ("Wednesday, November 25 at 10:30 AM") — the one English a
 * UK patient never expects.
 */
const FALLBACK_LOCALE = 'en-GB';
function locales(locale: string): string[] {
  if (locale === FALLBACK_LOCALE) return [locale];
  try {
    Intl.getCanonicalLocales(locale);
    return [locale, FALLBACK_LOCALE];
  } catch {
    // Not a BCP 47 tag (`cy_GB`): Intl would throw and take the dialog down. British English,
    // as for a locale without data (development warns about it, messages-check.ts).
    return [FALLBACK_LOCALE];
  }
}

/**
 * A date and time in the appointment's zone with the zone's name, whatever the device's zone:
 * "Wednesday 25 November at 10:30 GMT" (en-GB). The zone name matters around clock changes.
 */
export function formatDateTime(locale: string, epochMs: number, timeZone: string): string {
  const formatter = cached(
    `dt|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locales(locale), {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        hour: 'numeric',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      }),
  );
  return formatter.format(epochMs);
}

export function formatNumber(locale: string, value: number): string {
  return cached(`n|${locale}`, () => new Intl.NumberFormat(locales(locale))).format(value);
}

export type DurationUnit = 'day' | 'hour' | 'minute' | 'second';

/**
 * One unit's long form in `locale`, cached: shared by single values and ranges. Durations are whole
 * units already; a configured charge window need not be (CHARGE_WINDOW_HOURS takes decimals), so
 * one fraction digit shows, rounded up, which keeps "less than 1.5 hours away" true for 1.45.
 */
function unitFormatter(locale: string, unit: DurationUnit): Intl.NumberFormat {
  return cached(
    `u|${locale}|${unit}`,
    () =>
      new Intl.NumberFormat(locales(locale), { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 1, roundingMode: 'ceil' }),
  );
}

/** "3 hours", "1 minute", "1.4 hours": plural forms come from CLDR, not from appending an "s". */
export function formatUnit(locale: string, value: number, unit: DurationUnit): string {
  return unitFormatter(locale, unit).format(value);
}

/** "0–1 minutes": a range of one unit, worded and pluralised by CLDR. */
export function formatUnitRange(locale: string, from: number, to: number, unit: DurationUnit): string {
  return unitFormatter(locale, unit).formatRange(from, to);
}

/** Picks the CLDR plural category ("one", "other"...) for messages that need a plural noun. */
export function pluralCategory(locale: string, value: number): Intl.LDMLPluralRule {
  return cached(`p|${locale}`, () => new Intl.PluralRules(locales(locale))).select(value);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One unit of a remaining time, as the default formatters word it: `{ unit: 'hour', value: 5 }`. */
export interface DurationPart {
  readonly unit: DurationUnit;
  readonly value: number;
}

/**
 * Seconds show only within the last hour (durationParts): the countdown then changes every second,
 * and that is when the widget offers "Hide seconds" (charge-status.tsx). One rule for both.
 */
export const SECONDS_SHOWN_WITHIN_MS = HOUR;

/**
 * A remaining time as the default formatters split it: at most two units, precise where it
 * matters, rounded down so it never promises more time than there is. 2 days 3 hours, 5 hours
 * 12 minutes, 12 minutes 5 seconds, 45 seconds: seconds only in the last hour. A zero second unit
 * is left out ("3 hours", not "3 hours, 0 minutes"). With `seconds: false` (the patient hid them)
 * it is whole minutes, and `[]` under a minute. Exported so a translation can word the units
 * itself (where `Intl` has no data for its language) and stay in step with "Hide seconds".
 */
export function durationParts(ms: number, { seconds = true }: { readonly seconds?: boolean } = {}): DurationPart[] {
  const step = seconds ? SECOND : MINUTE;
  const total = Math.max(0, Math.floor(ms / step) * step);
  if (total === 0 && !seconds) return [];
  const parts: Array<[number, DurationUnit]> =
    total >= DAY
      ? [[Math.floor(total / DAY), 'day'], [Math.floor((total % DAY) / HOUR), 'hour']]
      : total >= SECONDS_SHOWN_WITHIN_MS
        ? [[Math.floor(total / HOUR), 'hour'], [Math.floor((total % HOUR) / MINUTE), 'minute']]
        : total >= MINUTE
          ? [[Math.floor(total / MINUTE), 'minute'], [Math.floor((total % MINUTE) / SECOND), 'second']]
          : [[Math.floor(total / SECOND), 'second']];
  return parts.filter(([value], index) => index === 0 || value > 0).map(([value, unit]) => ({ unit, value }));
}

/**
 * What a message about the time left receives (`chargeFreeCountdown`, `chargeChargeableCountdown`,
 * `announceFreeRemaining`, `announceDueIn`): the time worded, and the same time as a number and as
 * units, for a language whose sentence agrees with the count (Polish "za 1 minutę", "Zostały
 * 2 minuty", "Zostało 5 minut").
 */
export interface RemainingTime {
  /**
   * Worded by `formatDuration`, or by `formatDurationWithoutSeconds` while the seconds are hidden:
   * "5 hours, 12 minutes". Intl's unit words are the nominative forms CLDR gives.
   */
  readonly remaining: string;
  /** The time `remaining` was worded from, in milliseconds, before rounding down: 18_720_400. */
  readonly remainingMs: number;
  /**
   * The same time split as the default formatters split it (durationParts), in step with "Hide
   * seconds": `[{ unit: 'hour', value: 5 }, { unit: 'minute', value: 12 }]`; `[]` under a minute
   * while the seconds are hidden.
   */
  readonly parts: readonly DurationPart[];
}

/** A message's values for the time left (RemainingTime): `format` words it, durationParts splits it. */
export function remainingTime(ms: number, format: (ms: number) => string, seconds = true): RemainingTime {
  return { remaining: format(ms), remainingMs: ms, parts: durationParts(ms, { seconds }) };
}

/** Parts worded in `locale`: "5 hours, 12 minutes" (each unit by CLDR, joined by Intl.ListFormat). */
export function formatDurationParts(locale: string, parts: readonly DurationPart[]): string {
  const list = cached(`l|${locale}`, () => new Intl.ListFormat(locales(locale), { type: 'unit', style: 'long' }));
  return list.format(parts.map(({ value, unit }) => formatUnit(locale, value, unit)));
}

/**
 * A remaining time in `locale` (durationParts): "2 days, 3 hours", "5 hours, 12 minutes",
 * "12 minutes, 5 seconds", "45 seconds".
 */
export function formatDuration(locale: string, ms: number): string {
  return formatDurationParts(locale, durationParts(ms));
}
