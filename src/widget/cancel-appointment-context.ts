/**
 * The heavy half of the widget's context: the API client, the server clock and the merged messages,
 * derived from the nearest provider's scope (cancel-appointment-scope.ts) when something first
 * reads them, which is inside the dialog or a portal's own use of the hooks. Kept apart from the
 * provider so a page that only shows the button never loads the client, the schemas or the copy.
 */
import { DEFAULT_NOTE_MAX_LENGTH, noteMaxLengthProblem } from '../core/note-limit';
import { createCancelApiClient, type CancelApiClient, type CancelApiClientOptions } from './api-client';
import { reportEventSafely, type CancelAppointmentEventHandler } from './cancel-appointment-events';
import {
  latestCallback,
  useCancelAppointmentScope,
  type CancelAppointmentConfig,
  type CancelAppointmentScope,
  type CancelledResult,
  type ProviderIdentity,
} from './cancel-appointment-scope';
import { defaultMessages, mergeMessages, type CancelAppointmentMessages } from './messages';
import { createServerClock, type ServerClock, type ServerClockSample } from './server-clock';

export type { CancelAppointmentConfig, CancelledResult } from './cancel-appointment-scope';

export interface CancelAppointmentContextValue {
  readonly client: CancelApiClient;
  readonly clock: ServerClock;
  readonly messages: CancelAppointmentMessages;
  readonly queryClient: CancelAppointmentScope['queryClient'];
  readonly onCancelled: ((result: CancelledResult) => void) | undefined;
  /** The portal's `onEvent`, made safe (it never throws); undefined when none is given. */
  readonly onEvent: CancelAppointmentEventHandler | undefined;
  readonly onReschedule: ((appointmentId: string) => void) | undefined;
  readonly onSignIn: ((appointmentId: string) => void) | undefined;
  /** `config.noteMaxLength`, checked, or the default. */
  readonly noteMaxLength: number;
  /** The unmerged configuration, so a nested provider can inherit what it does not set. */
  readonly config: CancelAppointmentConfig;
}

/** What one provider instance has made, each with the inputs it was made from. */
interface ProviderCache {
  client?: { readonly apiBaseUrl: string | undefined; readonly fetch: typeof fetch | undefined; readonly value: CancelApiClient };
  messages?: {
    readonly base: CancelAppointmentMessages;
    readonly override: CancelAppointmentScope['ownMessages'];
    readonly value: CancelAppointmentMessages;
  };
  context?: { readonly scope: CancelAppointmentScope; readonly value: CancelAppointmentContextValue };
}

// Weak, so a provider that unmounts takes its client and clock with it.
const caches = new WeakMap<ProviderIdentity, ProviderCache>();
const clocks = new WeakMap<ProviderIdentity, ServerClock>();

function cacheOf(provider: ProviderIdentity): ProviderCache {
  let cache = caches.get(provider);
  if (cache === undefined) caches.set(provider, (cache = {}));
  return cache;
}

/** One clock per widget tree: the proxy's time does not depend on which provider asked. */
function clockOf(scope: CancelAppointmentScope): ServerClock {
  let clock = clocks.get(scope.tree);
  if (clock === undefined) clocks.set(scope.tree, (clock = createServerClock()));
  return clock;
}

/** A nested provider that talks to the same proxy the same way shares its parent's client. */
function clientOf(scope: CancelAppointmentScope): CancelApiClient {
  const { apiBaseUrl, fetch: fetchImpl } = scope.config;
  const parent = scope.parent;
  if (parent !== null && parent.config.apiBaseUrl === apiBaseUrl && parent.config.fetch === fetchImpl) return clientOf(parent);
  const cache = cacheOf(scope.provider);
  const cached = cache.client;
  if (cached !== undefined && cached.apiBaseUrl === apiBaseUrl && cached.fetch === fetchImpl) return cached.value;
  const clock = clockOf(scope);
  // An undefined option takes the client's default; addSample passes over a sample whose
  // serverNowMs is not a number (null: the answer carried no serverNow).
  const value = createCancelApiClient({
    apiBaseUrl,
    fetch: fetchImpl,
    onRoundTrip: (sample) => clock.addSample(sample as ServerClockSample),
  } as CancelApiClientOptions);
  cache.client = { apiBaseUrl, fetch: fetchImpl, value };
  return value;
}

/** Providers nest: each one's overrides go over its parent's messages. */
function messagesOf(scope: CancelAppointmentScope): CancelAppointmentMessages {
  const base = scope.parent === null ? defaultMessages : messagesOf(scope.parent);
  const override = scope.ownMessages;
  const cache = cacheOf(scope.provider);
  if (cache.messages?.base === base && cache.messages.override === override) return cache.messages.value;
  const value = mergeMessages(base, override);
  cache.messages = { base, override, value };
  return value;
}

/** The whole context of a scope, the same object for as long as the scope is. */
/** Relays to the portal's latest `key` callback; undefined when it gave none. */
function relay<K extends 'onCancelled' | 'onReschedule' | 'onSignIn'>(
  scope: CancelAppointmentScope,
  key: K,
): CancelAppointmentConfig[K] {
  return (scope.config[key] && ((value: never) => (latestCallback(scope, key) as ((value: never) => void) | undefined)?.(value))) as CancelAppointmentConfig[K];
}

export function contextOf(scope: CancelAppointmentScope): CancelAppointmentContextValue {
  const cache = cacheOf(scope.provider);
  if (cache.context?.scope === scope) return cache.context.value;
  // In development the provider has already thrown over a wrong limit. In production a closed
  // dialog reads this too, on every button once the code has loaded, so throwing here would blank
  // the portal's page on a hover: log it, and use the proxy's default.
  const problem = noteMaxLengthProblem(scope.noteMaxLength);
  if (problem !== null) console.error(`heim-cancel: ${problem} The widget uses ${DEFAULT_NOTE_MAX_LENGTH} instead.`);
  const noteMaxLength = problem === null ? scope.noteMaxLength : DEFAULT_NOTE_MAX_LENGTH;
  // `config` says which callbacks are given (the scope changes when that does).
  const given = scope.config;
  const value: CancelAppointmentContextValue = {
    client: clientOf(scope),
    clock: clockOf(scope),
    messages: messagesOf(scope),
    queryClient: scope.queryClient,
    // Each relays to the portal's latest function; undefined when it gave none (then the dialog
    // offers nothing that would call it).
    onCancelled: relay(scope, 'onCancelled'),
    onEvent: given.onEvent && ((event) => reportEventSafely(latestCallback(scope, 'onEvent'), event)),
    onReschedule: relay(scope, 'onReschedule'),
    onSignIn: relay(scope, 'onSignIn'),
    noteMaxLength,
    config: scope.config,
  };
  cache.context = { scope, value };
  return value;
}

/** The widget's context, or a clear error naming the missing provider. */
export function useCancelAppointmentContext(hookName: string): CancelAppointmentContextValue {
  return contextOf(useCancelAppointmentScope(hookName));
}
