/**
 * Every word the widget shows, in one en-GB object a portal can override in part. Strings that
 * take values are functions, so a translation can reorder the sentence instead of concatenating
 * fragments. Reason labels come from the core catalogue, never a copy of it.
 */
import { REASON_CODES, REASONS } from '../core/index';
import type { ReasonCode } from '../core/index';
import { formatHours, formatNumber, pluralCategory, type RemainingTime } from './format';
import { TRIGGER_DEFAULTS } from './cancel-appointment-scope';
import { intlFormatters, type LocaleFormatters } from './locale-formatters';

/**
 * Every user-facing string. Defaults: `defaultMessages` (en-GB). Functions receive already
 * formatted values (dates with their zone, durations), so a translation only rearranges words.
 */
export interface CancelAppointmentMessages {
  /**
   * BCP 47 locale used by the default formatters. An override that changes it without giving its
   * own formatters gets the default ones in the new locale (docs/languages.md). Default `'en-GB'`.
   */
  readonly locale: string;
  /**
   * The messages' direction, set with `locale` as the `dir` of the dialog and of the news beside
   * the button once it is closed (as `locale` is their `lang`). Give `'rtl'` for Urdu, Arabic or
   * Hebrew on a page that is not right-to-left itself. Default: none (the page's direction).
   */
  readonly dir?: 'ltr' | 'rtl';
  /** Formats an instant in the appointment's zone, with the zone's name. */
  readonly formatDateTime: (epochMs: number, timeZone: string) => string;
  /** Formats a remaining duration ("5 hours, 12 minutes"). */
  readonly formatDuration: (ms: number) => string;
  /**
   * Formats a remaining duration to the whole minute, for a patient who has hidden the seconds
   * ("12 minutes", "less than a minute"). Rounded down, like `formatDuration`.
   */
  readonly formatDurationWithoutSeconds: (ms: number) => string;

  readonly trigger: string;
  readonly cancelledStatus: string;
  /** Beside the button when a click waits more than a moment for the dialog's code (a slow network). */
  readonly triggerOpening: string;
  /** Beside the button, as an alert, when the dialog's code could not load; the next click tries again. */
  readonly triggerLoadError: string;
  readonly dialogTitle: string;
  readonly loading: string;

  readonly summaryWhat: string;
  readonly summaryWhen: string;
  readonly summaryWhere: string;
  readonly etaNotSet: string;

  readonly chargeNoEta: string;
  readonly chargeFree: (values: { until: string }) => string;
  readonly chargeFreeCountdown: (values: RemainingTime) => string;
  readonly chargeChargeableTitle: string;
  readonly chargeChargeableCountdown: (values: RemainingTime) => string;
  readonly chargeChargeableBody: (values: { windowHours: number }) => string;
  readonly chargeDueTitle: string;
  readonly chargeDueBody: string;
  readonly announceChargesBegin: string;
  readonly announceDue: string;
  readonly announceFreeRemaining: (values: RemainingTime) => string;
  readonly announceDueIn: (values: RemainingTime) => string;
  /** Said once when the appointment arrives after the dialog opened: `charge` is the charge status's fixed sentences. */
  readonly announceLoaded: (values: { charge: string }) => string;
  /** The control that stops the countdown changing every second (WCAG 2.2.2), while seconds show. */
  readonly hideSeconds: string;
  /** The same control once seconds are hidden. */
  readonly showSeconds: string;

  readonly reasonLegend: string;
  readonly reasonLabels: Readonly<Record<ReasonCode, string>>;
  readonly noteLabel: string;
  readonly noteLabelRequired: string;
  readonly noteHint: string;
  readonly noteCount: (values: { count: number; max: number }) => string;
  readonly acknowledgeCharge: string;

  readonly keep: string;
  readonly confirm: string;
  readonly confirming: string;
  /** Said by a polite status region while a cancel is being sent (the button's own "Cancelling…" is not spoken). */
  readonly cancellingStatus: string;
  readonly reschedule: string;
  readonly close: string;
  readonly tryAgain: string;

  readonly errorSummaryTitle: string;
  readonly errorReasonRequired: string;
  readonly errorNoteRequired: string;
  readonly errorNoteTooLong: (values: { max: number; over: number }) => string;
  readonly errorAcknowledgeRequired: string;
  /** The proxy refused the note (its limit can be lower than the widget's). */
  readonly errorNoteRejected: string;
  /** The proxy refused the reason (no longer offered for this appointment). */
  readonly errorReasonRejected: string;

  readonly offline: string;
  readonly acknowledgementNowRequired: string;
  readonly networkError: string;
  readonly upstreamError: string;
  readonly rateLimited: string;
  readonly invalidRequest: string;
  /** On the form when an earlier request got no answer (for example after reopening the dialog). */
  readonly unconfirmedNotice: string;
  readonly unexpectedError: string;
  readonly loadErrorTitle: string;
  readonly loadErrorBody: string;

  readonly successTitle: string;
  readonly successBody: (values: { title: string; when: string | null }) => string;
  readonly successNext: string;
  readonly successMayBeCharged: string;
  readonly successNoCharge: string;

  readonly alreadyCancelledTitle: string;
  readonly alreadyCancelledBody: (values: { reason: string | null; date: string | null }) => string;
  readonly notCancellableTitle: string;
  readonly notCancellableBody: string;
  readonly notFoundTitle: string;
  readonly notFoundBody: string;
  readonly sessionExpiredTitle: string;
  readonly sessionExpiredBody: string;
  /** Session expired after a request that got no answer, which may have cancelled the appointment. */
  readonly sessionExpiredBodyUnconfirmed: string;
  /** The session-expired panel's button, shown when the portal passes `onSignIn`. */
  readonly signIn: string;
  readonly pendingTitle: string;
  readonly pendingBody: string;
  /** That the patient may close the dialog and we keep checking. */
  readonly pendingMayClose: string;
  /** Added when confirmation has taken a long time (2 minutes). */
  readonly pendingLongWait: string;
  readonly pendingNotCancelled: string;
  /** Beside the button once the dialog is closed, while the attempt is still being confirmed. */
  readonly pendingClosedNote: string;
  /** While asking the proxy whether a cancellation it now shows was our unanswered request. */
  readonly checkingTitle: string;
  readonly checkingBody: string;
  /** Asking that failed too. */
  readonly unconfirmedTitle: string;
  readonly unconfirmedBody: string;
}

/** A partial override: any message, and any subset of the reason labels. */
export type CancelAppointmentMessagesOverride = Partial<Omit<CancelAppointmentMessages, 'reasonLabels'>> & {
  readonly reasonLabels?: Partial<Record<ReasonCode, string>>;
};

const LOCALE = 'en-GB';
const MINUTE_MS = 60_000;
const en = intlFormatters(LOCALE);

const reasonLabels = Object.fromEntries(REASON_CODES.map((code) => [code, REASONS[code].patientLabel])) as Record<
  ReasonCode,
  string
>;

/** The en-GB defaults. */
export const defaultMessages: CancelAppointmentMessages = {
  locale: LOCALE,
  ...en,
  // English has words for the last minute; other locales get Intl's range (locale-formatters.ts).
  formatDurationWithoutSeconds: (ms) => (ms < MINUTE_MS ? 'less than a minute' : en.formatDurationWithoutSeconds(ms)),

  // The button's words, which it must have before this module loads (cancel-appointment-scope.ts).
  ...TRIGGER_DEFAULTS,
  dialogTitle: 'Cancel your appointment?',
  loading: 'Loading appointment…',

  summaryWhat: 'Appointment',
  summaryWhen: 'When',
  summaryWhere: 'Where',
  etaNotSet: 'Arrival time not set yet',

  chargeNoEta: "No charge to cancel: an arrival time hasn't been set yet.",
  chargeFree: ({ until }) => `Free to cancel until ${until}.`,
  chargeFreeCountdown: ({ remaining }) => `Time left to cancel free of charge: ${remaining}.`,
  chargeChargeableTitle: 'Cancelling now may be charged',
  chargeChargeableCountdown: ({ remaining }) => `The practitioner is due in ${remaining}.`,
  chargeChargeableBody: ({ windowHours }) =>
    `Your visit is less than ${formatHours(LOCALE, windowHours)} away, so you may be charged if you cancel now.`,
  chargeDueTitle: 'The practitioner is due now',
  chargeDueBody: 'The practitioner is due now or may be on the way. You may be charged if you cancel now.',
  announceChargesBegin: 'Charges may now apply. If you cancel from now on, you may be charged.',
  announceDue: 'The practitioner is due now. If you cancel now, you may be charged.',
  announceFreeRemaining: ({ remaining }) => `${remaining} left to cancel free of charge.`,
  announceDueIn: ({ remaining }) => `The practitioner is due in ${remaining}.`,
  announceLoaded: ({ charge }) => `Appointment loaded. ${charge}`,
  hideSeconds: 'Hide seconds',
  showSeconds: 'Show seconds',

  reasonLegend: 'Why are you cancelling?',
  reasonLabels,
  noteLabel: 'Anything else you want to tell us (optional)',
  noteLabelRequired: 'Tell us why you are cancelling',
  noteHint: 'The team that arranges your home visits will read this. Do not include medical details.',
  noteCount: ({ count, max }) => `${formatNumber(LOCALE, count)} of ${formatNumber(LOCALE, max)} characters`,
  acknowledgeCharge: 'I understand I may be charged for cancelling now',

  keep: 'Keep appointment',
  confirm: 'Cancel appointment',
  confirming: 'Cancelling…',
  cancellingStatus: 'Cancelling your appointment…',
  reschedule: 'Rearrange instead',
  close: 'Close',
  tryAgain: 'Try again',

  errorSummaryTitle: 'There is a problem',
  errorReasonRequired: 'Choose why you are cancelling',
  errorNoteRequired: 'Tell us why you are cancelling',
  errorNoteTooLong: ({ max, over }) =>
    `Your note must be ${formatNumber(LOCALE, max)} characters or fewer. You have ${formatNumber(LOCALE, over)} ${
      pluralCategory(LOCALE, over) === 'one' ? 'character' : 'characters'
    } too many.`,
  errorAcknowledgeRequired: 'Tick the box to confirm you understand you may be charged',
  errorNoteRejected: "Your note couldn't be accepted. Make it shorter, then try again.",
  errorReasonRejected: "This reason can't be used for this appointment now. Choose another reason.",

  offline: "You're offline. Connect to the internet to cancel your appointment.",
  acknowledgementNowRequired:
    'Charges may now apply to this appointment. Read the warning and tick the box, then cancel again if you still want to.',
  networkError:
    "We couldn't reach the booking service, so we can't confirm whether your appointment was cancelled. Check your connection and try again. It's safe: your appointment can never be cancelled twice.",
  upstreamError:
    "Something went wrong on our side, so we can't confirm whether your appointment was cancelled. Please try again. It's safe: your appointment can never be cancelled twice.",
  rateLimited: "You've tried several times in a short while. Wait a minute, then try again.",
  invalidRequest: "We couldn't accept these answers. Check them and try again.",
  unconfirmedNotice:
    "We couldn't confirm whether your last attempt cancelled your appointment. Trying again is safe: your appointment can never be cancelled twice.",
  unexpectedError:
    'Something went wrong and your appointment has not been cancelled. Please try again later or contact your care provider.',
  loadErrorTitle: "We couldn't load your appointment",
  loadErrorBody: 'Check your connection and try again. Your appointment has not been changed.',

  successTitle: 'Your appointment is cancelled',
  successBody: ({ title, when }) =>
    when === null ? `We've cancelled your appointment: ${title}.` : `We've cancelled your appointment: ${title}, ${when}.`,
  successNext: "The practitioner won't visit. You don't need to do anything else. If you still need care, book a new appointment.",
  successMayBeCharged:
    'You cancelled close to the visit, so you may be charged under your agreement. Your care provider will tell you if you are.',
  successNoCharge: 'There is no charge for this cancellation.',

  alreadyCancelledTitle: 'This appointment is already cancelled',
  alreadyCancelledBody: ({ reason, date }) =>
    [date === null ? 'It has been cancelled.' : `It was cancelled on ${date}.`, reason === null ? '' : `Reason: ${reason}.`]
      .filter(Boolean)
      .join(' '),
  notCancellableTitle: "This appointment can't be cancelled",
  // Not "it has already taken place": Heim may add statuses (a visit under way), and the proxy's
  // 409 not_cancellable covers any final one.
  notCancellableBody: 'It can no longer be cancelled online. If you need to change it, or something is wrong, contact your care provider.',
  notFoundTitle: "We couldn't find this appointment",
  notFoundBody: "It may have been removed, or it isn't linked to your account. Contact your care provider if you need help.",
  sessionExpiredTitle: 'Your session has expired',
  sessionExpiredBody: 'To keep your details safe, please sign in again. Your appointment has not been cancelled.',
  sessionExpiredBodyUnconfirmed:
    'To keep your details safe, please sign in again. Then check whether your appointment shows as cancelled before trying again.',
  signIn: 'Sign in again',
  pendingTitle: "We're confirming your cancellation",
  pendingBody:
    "We've sent your cancellation but couldn't confirm it straight away. Please don't cancel again: we're checking and this message will update.",
  pendingMayClose: "You can close this window. We'll keep checking while this page is open.",
  pendingLongWait:
    "This is taking longer than usual. If your visit still shows as booked later, contact your care provider. Please don't cancel it again here.",
  pendingNotCancelled: 'Your appointment was not cancelled. You can try again.',
  pendingClosedNote: "Cancellation sent. We're confirming it.",
  checkingTitle: 'Checking your cancellation',
  checkingBody: 'Your appointment now shows as cancelled. We are checking that it was your request.',
  unconfirmedTitle: "We couldn't confirm your cancellation",
  unconfirmedBody:
    "Your appointment shows as cancelled, but we couldn't check that it was your request. Trying again is safe: your appointment can never be cancelled twice.",
};

/**
 * The default formatters (`formatDateTime`, `formatDuration`, `formatDurationWithoutSeconds`) in
 * `locale`, through `Intl`: what a messages object that sets `locale` without formatters gets, for
 * a complete object typed as `CancelAppointmentMessages` without spreading `defaultMessages`.
 * `'en-GB'` gives `defaultMessages`' own. Where the runtime has no data for `locale` (Chromium has
 * none for Welsh dates and units) they fall back to British English: bring your own then.
 */
export function localeFormatters(locale: string): LocaleFormatters {
  if (locale !== LOCALE) return intlFormatters(locale);
  const { formatDateTime, formatDuration, formatDurationWithoutSeconds } = defaultMessages;
  return { formatDateTime, formatDuration, formatDurationWithoutSeconds };
}

/**
 * Defaults with the portal's overrides on top; reason labels merge one by one. An override's
 * formatter that is `defaultMessages`' own (it came in with `{ ...defaultMessages, locale: 'cy' }`)
 * counts as not given, so it is re-bound to the new locale like a missing one.
 */
export function mergeMessages(
  base: CancelAppointmentMessages,
  override: CancelAppointmentMessagesOverride | undefined,
): CancelAppointmentMessages {
  if (override === undefined) return base;
  const { reasonLabels: labels, ...rest } = override;
  const enFormatters: unknown[] = [defaultMessages.formatDateTime, defaultMessages.formatDuration, defaultMessages.formatDurationWithoutSeconds];
  const defined = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined && !enFormatters.includes(value)),
  );
  // A new locale re-binds the formatters it does not replace, so dates and durations follow it.
  const relocalised =
    override.locale !== undefined && override.locale !== base.locale ? localeFormatters(override.locale) : {};
  return {
    ...base,
    ...relocalised,
    ...(defined as Partial<CancelAppointmentMessages>),
    reasonLabels: { ...base.reasonLabels, ...stripUndefined(labels) },
  };
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
