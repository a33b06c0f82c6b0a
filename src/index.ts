/**
 * The browser entry of the package: the cancellation widget and what a portal needs around it.
 * Every export is listed by name; anything not here is internal and may change. Server code lives
 * behind `src/server/index.ts` and never reaches a browser bundle from here; the pseudo-locale, a
 * translators' tool, is `heim-cancel/pseudo-locale` (src/pseudo-locale.ts).
 */
export { CancelAppointmentButton } from './widget/cancel-appointment-button';
export { CancelAppointmentDialog } from './widget/cancel-appointment-dialog';
export { CancelAppointmentProvider } from './widget/cancel-appointment-provider';
export { useAppointment } from './widget/use-appointment';
export { useCancelAppointment } from './widget/use-cancel-appointment';
export { useCancellationStatus } from './widget/use-cancellation-status';
export { useChargeCountdown } from './widget/use-charge-countdown';
export { useServerClock } from './widget/use-server-clock';
export { appointmentQueryOptions, cancellationQueryOptions, cancelAppointmentKeys } from './widget/query-options';
export { createCancelApiClient, CancelApiError, isCancelApiError } from './widget/api-client';
export { createServerClock } from './widget/server-clock';
export { defaultMessages, localeFormatters } from './widget/messages';
export { durationParts } from './widget/format';

export type { CancelAppointmentButtonProps } from './widget/cancel-appointment-button';
export type { CancelAppointmentDialogProps } from './widget/cancel-appointment-dialog';
export type { CancelAppointmentProviderProps } from './widget/cancel-appointment-provider';
export type { CancelAppointmentConfig, CancelledResult } from './widget/cancel-appointment-context';
export type { CancelAppointmentEvent, CancelAppointmentEventType } from './widget/cancel-appointment-events';
export type { UseAppointmentOptions } from './widget/use-appointment';
export type { UseCancellationStatusOptions } from './widget/use-cancellation-status';
export type { UseChargeCountdownOptions, ChargeCountdown } from './widget/use-charge-countdown';
export type { AppointmentQueryKey, AppointmentQueryOptionsInput, CancellationQueryKey, HeimQueryOptions } from './widget/query-options';
export type {
  CancelApiClient,
  CancelApiClientOptions,
  CancelApiErrorCode,
  RequestOptions,
  RoundTripSample,
} from './widget/api-client';
export type { ServerClock, ServerClockOptions, ServerClockSample } from './widget/server-clock';
export type { CancelAppointmentMessages, CancelAppointmentMessagesOverride } from './widget/messages';
export type { LocaleFormatters } from './widget/locale-formatters';
export type { DurationPart, DurationUnit, RemainingTime } from './widget/format';
export type {
  AppointmentResponse,
  AppointmentView,
  CancellationView,
  CancelRequestBody,
  CancelResponse,
  CancellationStatusResponse,
  Charge,
  ChargeState,
  ReasonCode,
} from './core/index';
