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
  return locale === FALLBACK_LOCALE ? [locale] : [locale, FALLBACK_LOCALE];
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

/** One unit's long form in `locale`, cached: shared by single values and ranges. */
function unitFormatter(locale: string, unit: DurationUnit): Intl.NumberFormat {
  return cached(
    `u|${locale}|${unit}`,
    () => new Intl.NumberFormat(locales(locale), { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 0 }),
  );
}

/** "3 hours", "1 minute": plural forms come from CLDR, not from appending an "s". */
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

/**
 * A remaining time as at most two units, precise where it matters: "2 days, 3 hours",
 * "5 hours, 12 minutes", "12 minutes, 5 seconds", "45 seconds". Rounded down, so it never
 * promises more time than there is.
 */
export function formatDuration(locale: string, ms: number): string {
  const total = Math.max(0, Math.floor(ms / SECOND) * SECOND);
  const parts: Array<[number, DurationUnit]> = [];
  if (total >= DAY) {
    parts.push([Math.floor(total / DAY), 'day'], [Math.floor((total % DAY) / HOUR), 'hour']);
  } else if (total >= HOUR) {
    parts.push([Math.floor(total / HOUR), 'hour'], [Math.floor((total % HOUR) / MINUTE), 'minute']);
  } else if (total >= MINUTE) {
    parts.push([Math.floor(total / MINUTE), 'minute'], [Math.floor((total % MINUTE) / SECOND), 'second']);
  } else {
    parts.push([Math.floor(total / SECOND), 'second']);
  }
  const shown = parts.filter(([value], index) => index === 0 || value > 0);
  const list = cached(`l|${locale}`, () => new Intl.ListFormat(locales(locale), { type: 'unit', style: 'long' }));
  return list.format(shown.map(([value, unit]) => formatUnit(locale, value, unit)));
}
