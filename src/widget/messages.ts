/**
 * Every word the widget shows, in one en-GB object a portal can override in part. Strings that
 * take values are functions, so a translation can reorder the sentence instead of concatenating
 * fragments. Reason labels come from the core catalogue, never a copy of it.
 */
import { REASON_CODES, REASONS } from '../core/index';
import type { ReasonCode } from '../core/index';
import { formatNumber, formatUnit, pluralCategory, type RemainingTime } from './format';
import { TRIGGER_DEFAULTS } from './cancel-appointment-scope';
import { intlFormatters, type LocaleFormatters } from './locale-formatters';

/**
 * Every user-facing string. Defaults: `defaultMessages` (en-GB). Functions receive already
 * formatted values (dates with their zone, durations), so a translation only rearranges words.
 *
 * Each key's JSDoc says where it appears, what it is (heading, button, label, alert, polite live
 * region, visible text only), whether a screen reader says it, and what its values look like.
 * "Spoken when it appears" means an alert or a polite live region; "the dialog's description"
 * means it is read with the dialog's name as it opens. Lengths: the dialog is 320 px wide on a
 * small phone; buttons then take the full width and wrap, so keep button labels to a few words.
 */
export interface CancelAppointmentMessages {
  /**
   * BCP 47 locale used by the default formatters, and the `lang` of the dialog and of the news
   * beside the button. An override that changes it without giving its own formatters gets the
   * default ones in the new locale (docs/languages.md). Default `'en-GB'`.
   */
  readonly locale: string;
  /**
   * The messages' direction, set with `locale` as the `dir` of the dialog and of the news beside
   * the button once it is closed (as `locale` is their `lang`). Give `'rtl'` for Urdu, Arabic or
   * Hebrew on a page that is not right-to-left itself. Default: none (the page's direction). An
   * inner provider inherits it like every key; give `'ltr'` there for left-to-right messages under
   * a right-to-left provider (leaving it out does not reset it).
   */
  readonly dir?: 'ltr' | 'rtl';
  /**
   * Formats an instant in the appointment's zone, with the zone's name: "Tuesday 24 November at
   * 10:30 GMT". Fills `until`, `when` and `date`, and the summary's "When".
   */
  readonly formatDateTime: (epochMs: number, timeZone: string) => string;
  /**
   * Formats a remaining duration, at most two units, seconds only in the last hour, rounded down:
   * "5 hours, 12 minutes", "12 minutes, 5 seconds". `durationParts(ms)` gives the same split.
   */
  readonly formatDuration: (ms: number) => string;
  /**
   * Formats a remaining duration to the whole minute, for a patient who has hidden the seconds
   * ("12 minutes", "less than a minute"). Rounded down, like `formatDuration`;
   * `durationParts(ms, { seconds: false })` gives the split (`[]` under a minute).
   */
  readonly formatDurationWithoutSeconds: (ms: number) => string;

  /**
   * The button on the portal's page that opens the dialog ("Cancel appointment"). Same English as
   * `confirm`, a different control: this one only opens the dialog, nothing is sent. Read before
   * the dialog's code loads, from the nearest provider's own `messages`.
   */
  readonly trigger: string;
  /**
   * Replaces the button on the page once the cancellation is confirmed ("Appointment cancelled"):
   * a polite status, spoken when it appears, and focused if the button had focus.
   */
  readonly cancelledStatus: string;
  /** Beside the button when a click waits more than a moment for the dialog's code (a slow network). A polite status: spoken. */
  readonly triggerOpening: string;
  /** Beside the button, as an alert (spoken at once), when the dialog's code could not load; the next click tries again. */
  readonly triggerLoadError: string;
  /**
   * The dialog's heading (h2) and accessible name while the patient decides: spoken as it opens.
   * A question ("Cancel your appointment?"); after the outcome the outcome's heading replaces it.
   */
  readonly dialogTitle: string;
  /** While the appointment loads: a polite status in the dialog, spoken, and its description meanwhile ("Loading appointment…"). */
  readonly loading: string;

  /** Term (`<dt>`) in the appointment summary, before the visit's name from Heim (in Heim's words, often English). Part of the dialog's description. */
  readonly summaryWhat: string;
  /** Term (`<dt>`) in the summary, before the visit's date and time (`formatDateTime`). Part of the dialog's description. */
  readonly summaryWhen: string;
  /** Term (`<dt>`) in the summary, before the visit's address (from Heim, as it is). Part of the dialog's description. */
  readonly summaryWhere: string;
  /** The summary's "When" while Heim has no arrival time for the visit. Part of the dialog's description. */
  readonly etaNotSet: string;

  /** The charge box while there is no arrival time (no charge can apply yet). Visible, and part of the dialog's description. */
  readonly chargeNoEta: string;
  /**
   * The charge box while cancelling is free. Visible, and part of the dialog's description.
   * `until`: when charges may begin, with its zone ("Tuesday 24 November at 10:30 GMT").
   */
  readonly chargeFree: (values: { until: string }) => string;
  /**
   * The free countdown under `chargeFree`: visible only (never spoken: it changes every second in
   * the last hour). Values: RemainingTime, `remaining` "5 hours, 12 minutes", `remainingMs`, `parts`.
   */
  readonly chargeFreeCountdown: (values: RemainingTime) => string;
  /** The charge box's heading (h3) once a charge may apply. Visible, and part of the dialog's description. */
  readonly chargeChargeableTitle: string;
  /**
   * The countdown to the practitioner's arrival under `chargeChargeableTitle`: visible only, never
   * spoken. Values: RemainingTime, `remaining` "4 hours, 59 minutes", `remainingMs`, `parts`.
   */
  readonly chargeChargeableCountdown: (values: RemainingTime) => string;
  /**
   * The charge box's sentence once a charge may apply. Visible, part of the dialog's description.
   * `windowHours`: the organisation's window as a number, 24, possibly fractional (1.5).
   */
  readonly chargeChargeableBody: (values: { windowHours: number }) => string;
  /** The charge box's heading (h3) once the practitioner is due. Visible, and part of the dialog's description. */
  readonly chargeDueTitle: string;
  /** The charge box's sentence once the practitioner is due. Visible, and part of the dialog's description. */
  readonly chargeDueBody: string;
  /** Spoken only (hidden polite live region), once, when charges begin while the dialog is open. */
  readonly announceChargesBegin: string;
  /** Spoken only (hidden polite live region), once, when the practitioner becomes due while the dialog is open. */
  readonly announceDue: string;
  /**
   * Spoken only (hidden polite live region) 60, 30, 15, 10, 5 and 1 minutes before charges begin.
   * Values: RemainingTime, `remaining` "5 minutes", `remainingMs` 300000, `parts` [{ unit: 'minute', value: 5 }].
   */
  readonly announceFreeRemaining: (values: RemainingTime) => string;
  /**
   * Spoken only (hidden polite live region) 60, 30, 15, 10, 5 and 1 minutes before the
   * practitioner is due. Values: RemainingTime, as `announceFreeRemaining`.
   */
  readonly announceDueIn: (values: RemainingTime) => string;
  /**
   * Spoken only, once, when the appointment arrives after the dialog opened (its description then
   * said only "Loading…"). `charge`: the charge box's fixed sentences, "Free to cancel until …".
   */
  readonly announceLoaded: (values: { charge: string }) => string;
  /** A button under the countdown, in its last hour, that stops it changing every second (WCAG 2.2.2). Names the action. */
  readonly hideSeconds: string;
  /** The same button once the seconds are hidden ("Show seconds"). */
  readonly showSeconds: string;

  /** The legend of the reason radio group: the group's accessible name, spoken on entering it. A question. */
  readonly reasonLegend: string;
  /**
   * One label per reason code, all fifteen. Six a patient may pick show as the radios' labels
   * (`patient_unwell`, `patient_requested_reschedule`, `no_longer_required`, `practitioner_late`,
   * `incorrect_patient_information`, `patient_cancelled`, as the proxy offers them); every one of
   * the fifteen may show after "Reason:" in the already-cancelled panel (`alreadyCancelledBody`'s
   * `reason`), since Heim Operations or the organisation may have cancelled with any code. Give
   * all fifteen: a label left out stays English (docs/languages.md lists them).
   */
  readonly reasonLabels: Readonly<Record<ReasonCode, string>>;
  /** The note's label (a textarea) while the note is optional. Spoken as the field's name. */
  readonly noteLabel: string;
  /**
   * The note's label when the chosen reason needs one ("Another reason"): the field's name, shown
   * before anything is wrong. Same English as `errorNoteRequired`, which is the error once the
   * patient confirms with the note empty; in your language one may ask and the other tell.
   */
  readonly noteLabelRequired: string;
  /** Under the note's label: part of the textarea's description, spoken with it. */
  readonly noteHint: string;
  /**
   * Under the note: visible, part of its description, and also spoken politely once the note
   * passes 90 % of the limit (as typing pauses). `count`: characters typed (Unicode code points:
   * a letter is 1, some emoji 2 or more), 12; `max`: the limit, 500. Choose the plural form from `count`.
   */
  readonly noteCount: (values: { count: number; max: number }) => string;
  /** The checkbox's label when a charge may apply ("I understand I may be charged …"). Spoken as its name. */
  readonly acknowledgeCharge: string;

  /**
   * The dialog's secondary button while the patient decides: focused on opening, so spoken first
   * after the dialog's name. Closes and cancels nothing ("Keep appointment"). After the outcome
   * the same button says `close`.
   */
  readonly keep: string;
  /**
   * The dialog's confirm button (destructive, red): sends the cancellation. Same English as
   * `trigger`, a different control: that one opens the dialog, this one acts.
   */
  readonly confirm: string;
  /** The confirm button's text while the cancel is being sent: visible, not reliably spoken (see `cancellingStatus`). */
  readonly confirming: string;
  /** Spoken only (hidden polite live region) while a cancel is being sent; the button's own `confirming` is not spoken. */
  readonly cancellingStatus: string;
  /** A link-styled button beside the confirm, only when the portal passes `onReschedule`: closes and hands over to the portal. */
  readonly reschedule: string;
  /** The dialog's secondary button once there is an outcome (success, pending, an error panel): only closes. See `keep`. */
  readonly close: string;
  /** A button: in the alerts after a lost or failed request, on "We couldn't load your appointment", and on the unconfirmed panel. */
  readonly tryAgain: string;

  /** The error summary's heading (h3): the summary is an alert, focused after a failed confirm, and named by this. */
  readonly errorSummaryTitle: string;
  /** In the error summary (a link to the radios) and above the radios, after confirming with no reason chosen. */
  readonly errorReasonRequired: string;
  /** In the error summary (a link) and above the note, after confirming a reason that needs a note with none. See `noteLabelRequired`. */
  readonly errorNoteRequired: string;
  /**
   * In the error summary and above the note when it is too long. `max`: the limit, 500; `over`:
   * characters too many, 3. Choose the plural form from `over`.
   */
  readonly errorNoteTooLong: (values: { max: number; over: number }) => string;
  /** In the error summary and above the checkbox, after confirming unticked while a charge may apply. */
  readonly errorAcknowledgeRequired: string;
  /** The proxy refused the note (its limit can be lower than the widget's): in the error summary and above the note. */
  readonly errorNoteRejected: string;
  /** The proxy refused the reason (no longer offered for this appointment): in the error summary and above the radios. */
  readonly errorReasonRejected: string;

  /** The device is offline: under the form in a polite status (spoken), as the confirm button's description, and instead of `loading`. */
  readonly offline: string;
  /** An alert under the form (spoken at once): a charge began while the patient was confirming, so the box must be ticked now. */
  readonly acknowledgementNowRequired: string;
  /** An alert under the form (spoken at once), with `tryAgain`: no answer came, so whether it cancelled is unknown. Says retrying is safe. */
  readonly networkError: string;
  /** An alert under the form (spoken at once), with `tryAgain`: the service failed, so whether it cancelled is unknown. Says retrying is safe. */
  readonly upstreamError: string;
  /** An alert under the form (spoken at once): too many attempts in a short while. */
  readonly rateLimited: string;
  /** An alert under the form (spoken at once): the proxy refused the answers without naming a field. */
  readonly invalidRequest: string;
  /** An alert under the form (spoken at once), with `tryAgain`, when an earlier request got no answer (for example after reopening the dialog). */
  readonly unconfirmedNotice: string;
  /** An alert under the form (spoken at once) for any other failure: the appointment has not been cancelled. */
  readonly unexpectedError: string;
  /** The heading (h2, focused, so spoken) when the appointment could not load; the dialog keeps `dialogTitle` as its name. */
  readonly loadErrorTitle: string;
  /** Under `loadErrorTitle`, with `tryAgain`. */
  readonly loadErrorBody: string;

  /** The heading (h2) once cancelled: focused, so spoken, and the dialog's name from then on. */
  readonly successTitle: string;
  /**
   * Under `successTitle`, the dialog's description. `title`: the visit's name from Heim, as Heim has
   * it ("Wound dressing", usually English); `when`: its date and time with zone, or null (no ETA).
   */
  readonly successBody: (values: { title: string; when: string | null }) => string;
  /** Under `successBody`: what happens next. */
  readonly successNext: string;
  /** Under `successNext` when the cancellation came inside the charge window ("may be", never "will be"). */
  readonly successMayBeCharged: string;
  /** Under `successNext` when it came while free. */
  readonly successNoCharge: string;

  /** The heading (h2, focused, so spoken; the dialog's name) when someone had already cancelled it. */
  readonly alreadyCancelledTitle: string;
  /**
   * Under `alreadyCancelledTitle`. `reason`: your `reasonLabels` entry for Heim's code, any of the
   * fifteen ("Cancelled by the organisation"), or null; `date`: when it was cancelled, with zone,
   * or null.
   */
  readonly alreadyCancelledBody: (values: { reason: string | null; date: string | null }) => string;
  /** The heading (h2, focused, so spoken; the dialog's name) when Heim no longer lets it be cancelled. */
  readonly notCancellableTitle: string;
  /** Under `notCancellableTitle`. */
  readonly notCancellableBody: string;
  /** The heading (h2, focused, so spoken; the dialog's name) when the appointment is not found or not the patient's. */
  readonly notFoundTitle: string;
  /** Under `notFoundTitle`. */
  readonly notFoundBody: string;
  /** The heading (h2, focused, so spoken; the dialog's name) when the portal's session has expired. */
  readonly sessionExpiredTitle: string;
  /** Under `sessionExpiredTitle`: nothing was cancelled. */
  readonly sessionExpiredBody: string;
  /** Session expired after a request that got no answer, which may have cancelled the appointment. Under `sessionExpiredTitle`. */
  readonly sessionExpiredBodyUnconfirmed: string;
  /** The session-expired panel's button, shown when the portal passes `onSignIn`. */
  readonly signIn: string;
  /** The heading (h2, focused, so spoken; the dialog's name) while the cancellation is being confirmed with Heim. */
  readonly pendingTitle: string;
  /** Under `pendingTitle`: sent, not yet confirmed, do not cancel again. */
  readonly pendingBody: string;
  /** Under `pendingBody`: that the patient may close the dialog and we keep checking. */
  readonly pendingMayClose: string;
  /** Added after 2 minutes of confirming, in a polite status (spoken when it appears). */
  readonly pendingLongWait: string;
  /**
   * It turned out nothing was cancelled: an alert under the form (spoken at once), and, if the dialog
   * was closed meanwhile, a polite status beside the button on the page.
   */
  readonly pendingNotCancelled: string;
  /** Beside the button on the page, in a polite status (spoken), once the dialog is closed while the attempt is still being confirmed. */
  readonly pendingClosedNote: string;
  /** The heading (h2, focused, so spoken) while asking the proxy whether a cancellation it now shows was our unanswered request. */
  readonly checkingTitle: string;
  /** Under `checkingTitle`. */
  readonly checkingBody: string;
  /** The heading (h2, focused, so spoken) when that asking failed too; `tryAgain` follows. */
  readonly unconfirmedTitle: string;
  /** Under `unconfirmedTitle`: retrying is safe. */
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
    `Your visit is less than ${formatUnit(LOCALE, windowHours, 'hour')} away, so you may be charged if you cancel now.`,
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
