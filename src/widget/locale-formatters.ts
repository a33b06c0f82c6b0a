/**
 * The formatters of a messages object for any locale, all through `Intl` (format.ts). A messages
 * object that changes `locale` without bringing its own formatters gets these (mergeMessages, by
 * way of messages.ts's public `localeFormatters`, which gives en-GB its English words), so dates,
 * numbers and durations follow the language instead of staying en-GB.
 */
import { durationParts, formatDateTime, formatDuration, formatDurationParts, formatUnitRange } from './format';
import type { CancelAppointmentMessages } from './messages';

export type LocaleFormatters = Pick<
  CancelAppointmentMessages,
  'formatDateTime' | 'formatDuration' | 'formatDurationWithoutSeconds'
>;

export function intlFormatters(locale: string): LocaleFormatters {
  return {
    formatDateTime: (epochMs, timeZone) => formatDateTime(locale, epochMs, timeZone),
    formatDuration: (ms) => formatDuration(locale, ms),
    // "Less than a minute" has no Intl form; a range ("0–1 minutes") says the same in every
    // language. A translation can give its own words by overriding this formatter.
    formatDurationWithoutSeconds: (ms) => {
      const parts = durationParts(ms, { seconds: false });
      return parts.length === 0 ? formatUnitRange(locale, 0, 1, 'minute') : formatDurationParts(locale, parts);
    },
  };
}
