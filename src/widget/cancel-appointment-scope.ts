/**
 * The light half of the widget's context: what a provider knows before anyone opens a dialog
 * (configuration, the react-query client, callbacks). It imports no network client, no clock and
 * no copy, so a page that only shows the button pays for none of them; the heavy half
 * (cancel-appointment-context.ts) derives those from a scope once the dialog's code has loaded.
 */
import { createContext, useContext } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { CancellationView, Charge } from '../core/index';
import type { CancelAppointmentEventHandler } from './cancel-appointment-events';
import type { CancelAppointmentMessagesOverride } from './messages';

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
   * Called once a cancellation is confirmed and the patient has closed the confirmation (at once
   * if it was confirmed while the dialog was closed, or if the widget unmounts first), so a list
   * refreshed here cannot take the confirmation away mid-read. `onEvent`'s `cancelled` comes at
   * the moment of confirmation.
   * @default undefined (nothing is called)
   */
  readonly onCancelled?: (result: CancelledResult) => void;
  /**
   * Analytics: called at each step of a cancellation (`opened`, `reason_chosen`, `submitted`,
   * `cancelled`, `failed`) with the appointment id, the reason code, the charge state and, on
   * `failed`, the error code; never the note or any detail of the patient or the visit. `cancelled`
   * comes once per cancellation, like `onCancelled`. A handler that throws is ignored.
   * @default undefined (nothing is called)
   */
  readonly onEvent?: CancelAppointmentEventHandler;
  /**
   * When given, the dialog offers "Rearrange instead", which calls it and closes.
   * @default undefined (no "Rearrange instead")
   */
  readonly onReschedule?: (appointmentId: string) => void;
  /**
   * When given, "Your session has expired" offers "Sign in again", which closes the dialog and
   * calls it (open the portal's sign-in, then let the patient come back to the appointment).
   * @default undefined (the patient is only told to sign in again)
   */
  readonly onSignIn?: (appointmentId: string) => void;
  /**
   * The react-query client.
   * @default the host app's (QueryClientProvider), else one the widget owns
   */
  readonly queryClient?: QueryClient;
  /**
   * The longest note the form accepts, in characters (a positive whole number); 500 is the proxy's
   * default. Set it to the proxy's `noteMaxLength` when that is configured lower, so the patient
   * sees the real limit while typing instead of a refusal after confirming. The proxy's is at most
   * 896 (`NOTE_MAX_LENGTH_LIMIT`), so a larger value here only lets the patient type a note the
   * proxy refuses.
   * @default 500
   */
  readonly noteMaxLength?: number;
}

/**
 * An identity that lives as long as one provider instance. The heavy half keys its caches on it
 * (the API client, the merged messages, the clock), so they are made once per provider, not once
 * per component that reads them, without this file knowing their types.
 */
export type ProviderIdentity = object;

export interface CancelAppointmentScope {
  /** The merged configuration: this provider's props over its parent's. */
  readonly config: CancelAppointmentConfig;
  /** This provider's own `messages` prop, merged over the parent's messages by the heavy half. */
  readonly ownMessages: CancelAppointmentMessagesOverride | undefined;
  readonly parent: CancelAppointmentScope | null;
  readonly queryClient: QueryClient;
  /**
   * This provider's own props as of its latest render. Callbacks are read from them when they are
   * called (`latestCallback`), so a portal passing inline functions does not rebuild the scope on
   * each of its renders, and an inner provider never holds an outer one's old function. The scope
   * (and so `config`) changes only when a callback comes or goes.
   */
  readonly own: { readonly current: CancelAppointmentConfig };
  /**
   * `config.noteMaxLength`, or the default. Checked by the provider in development; in production
   * the heavy half replaces a wrong one with the default.
   */
  readonly noteMaxLength: number;
  /** This provider instance. */
  readonly provider: ProviderIdentity;
  /** The outermost provider instance: one server clock per widget tree. */
  readonly tree: ProviderIdentity;
}

export const CancelAppointmentScopeContext = createContext<CancelAppointmentScope | null>(null);
// A name for React DevTools, which only development builds need: every page with a button pays
// for what this chunk carries (the before-open budget, 2 KB).
if (process.env.NODE_ENV !== 'production') CancelAppointmentScopeContext.displayName = 'CancelAppointmentContext';

/** The nearest provider's scope, or a clear error naming the missing provider. */
export function useCancelAppointmentScope(hookName: string): CancelAppointmentScope {
  const scope = useContext(CancelAppointmentScopeContext);
  if (scope === null) throw new Error(`${hookName} must be used within <CancelAppointmentProvider>.`);
  return scope;
}

/** The portal's callbacks: read when called, never kept. */
export type CancelAppointmentCallback = 'onCancelled' | 'onEvent' | 'onReschedule' | 'onSignIn';

/** The function the nearest provider that sets `key` was last rendered with, if any. */
export function latestCallback<K extends CancelAppointmentCallback>(
  scope: CancelAppointmentScope,
  key: K,
): CancelAppointmentConfig[K] | undefined {
  for (let current: CancelAppointmentScope | null = scope; current !== null; current = current.parent) {
    const callback = current.own.current[key];
    if (callback !== undefined) return callback;
  }
  return undefined;
}

/**
 * The en-GB words the button shows before the dialog's code (and its messages) has loaded, or
 * when that code cannot load: then messages.ts is out of reach too. messages.ts's defaults spread
 * these, so the dialog's chunk carries no second copy (tests/widget/lazy-dialog.test.tsx checks both).
 */
export const TRIGGER_DEFAULTS = {
  trigger: 'Cancel appointment',
  cancelledStatus: 'Appointment cancelled',
  triggerOpening: 'Opening…',
  triggerLoadError:
    "We couldn't open the cancellation form. Check your connection and try again, or reload the page. Your appointment has not been changed.",
} as const;

/** One of the trigger's words: the nearest provider's override, else the default. */
export function triggerMessage(scope: CancelAppointmentScope, key: keyof typeof TRIGGER_DEFAULTS): string {
  for (let current: CancelAppointmentScope | null = scope; current !== null; current = current.parent) {
    const value = current.ownMessages?.[key];
    if (value !== undefined) return value;
  }
  return TRIGGER_DEFAULTS[key];
}
