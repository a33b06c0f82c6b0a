/**
 * Development-only checks of the messages a dialog shows, each problem said once in the console.
 * The dialog calls `checkMessages` only when `process.env.NODE_ENV !== 'production'`, so a
 * production bundle leaves this module out (it costs the page and the dialog no bytes), as it
 * leaves out the provider's `noteMaxLength` check.
 *
 * Two ways a translation leaks English without anyone noticing:
 * - a key left out (or an en-GB default spread in) stays English, reason labels included: the
 *   already-cancelled panel shows all fifteen, where the form offers six;
 * - a runtime without date data for the locale (Chromium has none for Welsh) formats dates and
 *   durations in British English through the default formatters.
 */
import { REASON_CODES } from '../core/index';
import { intlFormatters } from './locale-formatters';
import { defaultMessages, type CancelAppointmentMessages } from './messages';

/** Not words: `locale` and `dir` are settings, and the formatters have their own check. */
const NOT_WORDS = new Set<string>(['locale', 'dir', 'formatDateTime', 'formatDuration', 'formatDurationWithoutSeconds', 'reasonLabels']);

/** Tuesday 24 November 2026, 12:00 UTC, and 5 hours 12 minutes: what the formatters are tried on. */
const SAMPLE_INSTANT = Date.UTC(2026, 10, 24, 12, 0);
const SAMPLE_DURATION = (5 * 60 + 12) * 60_000;

const told = new Set<string>();
const checked = new WeakSet<CancelAppointmentMessages>();

function tell(text: string): void {
  if (told.has(text)) return;
  told.add(text);
  console.warn(text);
}

/** The keys (and `reasonLabels.<code>`) still the en-GB default's, for a locale that is not English. */
export function untranslatedKeys(messages: CancelAppointmentMessages): string[] {
  const record = messages as unknown as Record<string, unknown>;
  const defaults = defaultMessages as unknown as Record<string, unknown>;
  const keys = Object.keys(defaultMessages).filter((key) => !NOT_WORDS.has(key) && record[key] === defaults[key]);
  const labels = REASON_CODES.filter((code) => messages.reasonLabels[code] === defaultMessages.reasonLabels[code]);
  return [...keys, ...labels.map((code) => `reasonLabels.${code}`)];
}

/**
 * The default formatters still in use (they word the samples exactly as `Intl` would for the
 * locale) where the runtime has no date data for it, so they fall back to British English.
 */
export function formattersWithoutData(messages: CancelAppointmentMessages): string[] {
  if (Intl.DateTimeFormat.supportedLocalesOf(messages.locale).length > 0) return [];
  const intl = intlFormatters(messages.locale);
  const tried = [
    ['formatDateTime', messages.formatDateTime(SAMPLE_INSTANT, 'UTC') === intl.formatDateTime(SAMPLE_INSTANT, 'UTC')],
    ['formatDuration', messages.formatDuration(SAMPLE_DURATION) === intl.formatDuration(SAMPLE_DURATION)],
    [
      'formatDurationWithoutSeconds',
      messages.formatDurationWithoutSeconds(SAMPLE_DURATION) === intl.formatDurationWithoutSeconds(SAMPLE_DURATION) &&
        messages.formatDurationWithoutSeconds(30_000) === intl.formatDurationWithoutSeconds(30_000),
    ],
  ] as const;
  return tried.filter(([, isDefault]) => isDefault).map(([key]) => key);
}

/**
 * Warns, once per problem, about what of `messages` will reach a patient in English, or be read
 * with the wrong voice. Never throws: it runs while the dialog renders, and a malformed tag
 * (`cy_GB`) or a portal's formatter that throws on the sample must not break the page.
 */
export function checkMessages(messages: CancelAppointmentMessages): void {
  if (checked.has(messages)) return;
  checked.add(messages);
  try {
    check(messages);
  } catch (error) {
    tell(`heim-cancel: the messages for locale "${messages.locale}" could not be checked (${String(error)}). Is "${messages.locale}" a BCP 47 tag, such as "cy-GB"?`);
  }
}

function check(messages: CancelAppointmentMessages): void {
  const { locale } = messages;
  if (/^en(-|$)/i.test(locale)) {
    // The dialog says `lang={locale}`: a translation that kept the default locale is read with an
    // English voice. Most words changed is the sign of one.
    const words = Object.keys(defaultMessages).filter((key) => !NOT_WORDS.has(key)).length;
    const unchanged = untranslatedKeys(messages).filter((key) => !key.startsWith('reasonLabels.')).length;
    if (words - unchanged > words / 2) {
      tell(
        `heim-cancel: most messages differ from the en-GB defaults and locale is "${locale}". The dialog declares lang="${locale}": ` +
          'if these messages are not in English, set locale to their language, or a screen reader reads them with an English voice (locale also formats dates).',
      );
    }
    return;
  }

  const untranslated = untranslatedKeys(messages);
  if (untranslated.length > 0) {
    tell(
      `heim-cancel: messages for locale "${locale}" leave ${untranslated.length} key(s) in English (identical to the en-GB defaults): ${untranslated.join(', ')}. ` +
        'Reason labels show for all fifteen codes, not only the six a patient can pick (in the already-cancelled panel). docs/languages.md lists every key.',
    );
  }

  const english = formattersWithoutData(messages);
  if (english.length > 0) {
    tell(
      `heim-cancel: this browser has no date data for locale "${locale}" (Intl.DateTimeFormat.supportedLocalesOf is empty: Chromium has none for Welsh, for one), ` +
        `so the default ${english.join(', ')} show dates and durations in British English. ` +
        'Pass your own formatDateTime and formatDuration (and formatDurationWithoutSeconds) in messages; durationParts gives the units to word. docs/languages.md has a Welsh example.',
    );
  }
}
