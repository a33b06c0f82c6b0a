/**
 * What the provider hands to every part of the widget. Kept apart from the provider component so
 * hooks can read it without importing React components.
 */
import { createContext, useContext } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { CancellationView, Charge } from '../core/index';
import type { CancelApiClient } from './api-client';
import type { CancelAppointmentMessages, CancelAppointmentMessagesOverride } from './messages';
import type { ServerClock } from './server-clock';

/** What `onCancelled` receives once the cancellation is confirmed. */
export interface CancelledResult {
  readonly appointmentId: string;
  /** The cancellation as the proxy reports it; null when it confirmed the cancellation without its details. */
  readonly cancellation: CancellationView | null;
  /** The charge when cancelling: the proxy's, or what the patient was shown if Heim confirmed only later. */
  readonly charge: Charge | null;
}

/** Options shared by the provider, the button and the dialog; the nearest one wins. */
export interface CancelAppointmentConfig {
  /**
   * Where the proxy is mounted.
   * @default '/api'
   */
  readonly apiBaseUrl?: string;
  /**
   * The fetch used for every call to the proxy.
   * @default globalThis.fetch
   */
  readonly fetch?: typeof fetch;
  /**
   * Overrides for any user-facing string (merged over the en-GB defaults).
   * @default defaultMessages (en-GB)
   */
  readonly messages?: CancelAppointmentMessagesOverride;
  /**
   * Called once when a cancellation is confirmed.
   * @default undefined (nothing is called)
   */
  readonly onCancelled?: (result: CancelledResult) => void;
  /**
   * When given, the dialog offers "Rearrange instead", which calls it and closes.
   * @default undefined (no "Rearrange instead")
   */
  readonly onReschedule?: (appointmentId: string) => void;
  /**
   * The react-query client.
   * @default the host app's (QueryClientProvider), else one the widget owns
   */
  readonly queryClient?: QueryClient;
  /**
   * The longest note the form accepts, in characters (a positive whole number); 500 is the proxy's
   * default. Set it to the proxy's `noteMaxLength` when that is configured lower, so the patient
   * sees the real limit while typing instead of a refusal after confirming.
   * @default 500
   */
  readonly noteMaxLength?: number;
}

export interface CancelAppointmentContextValue {
  readonly client: CancelApiClient;
  readonly clock: ServerClock;
  readonly messages: CancelAppointmentMessages;
  readonly queryClient: QueryClient;
  readonly onCancelled: ((result: CancelledResult) => void) | undefined;
  readonly onReschedule: ((appointmentId: string) => void) | undefined;
  /** `config.noteMaxLength`, checked, or the default. */
  readonly noteMaxLength: number;
  /** The unmerged configuration, so a nested provider can inherit what it does not set. */
  readonly config: CancelAppointmentConfig;
}

export const CancelAppointmentContext = createContext<CancelAppointmentContextValue | null>(null);
CancelAppointmentContext.displayName = 'CancelAppointmentContext';

/** The widget's context, or a clear error naming the missing provider. */
export function useCancelAppointmentContext(hookName: string): CancelAppointmentContextValue {
  const value = useContext(CancelAppointmentContext);
  if (value === null) {
    throw new Error(`${hookName} must be used within <CancelAppointmentProvider>.`);
  }
  return value;
}
