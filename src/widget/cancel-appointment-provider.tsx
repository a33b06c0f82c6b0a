/**
 * Wires the widget: the API client, the server clock, messages, callbacks and a react-query
 * client. A portal with its own QueryClientProvider shares it; one without gets a private client,
 * so the button can be dropped into any React tree. Providers nest: an inner one (or a button's
 * own props) overrides only what it sets.
 */
import { useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { DEFAULT_NOTE_MAX_LENGTH } from '../core/index';
import { createCancelApiClient } from './api-client';
import {
  CancelAppointmentContext,
  type CancelAppointmentConfig,
  type CancelAppointmentContextValue,
  type CancelledResult,
} from './cancel-appointment-context';
import { defaultMessages, mergeMessages } from './messages';
import { createServerClock } from './server-clock';

export interface CancelAppointmentProviderProps extends CancelAppointmentConfig {
  readonly children?: ReactNode;
}

function createWidgetQueryClient(): QueryClient {
  // Retries are decided per query (only failures where nothing was decided are retried).
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/** Provides configuration to every `CancelAppointment*` component and hook below it. */
export function CancelAppointmentProvider({ children, ...props }: CancelAppointmentProviderProps) {
  const parent = useContext(CancelAppointmentContext);
  const ambientQueryClient = useContext(QueryClientContext);

  const config: CancelAppointmentConfig = {
    ...parent?.config,
    ...Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined)),
  };
  const apiBaseUrl = config.apiBaseUrl;
  const fetchImpl = config.fetch;
  const noteMaxLength = config.noteMaxLength ?? DEFAULT_NOTE_MAX_LENGTH;
  // A wrong limit is a portal's configuration mistake: say so at once rather than guess.
  if (!Number.isInteger(noteMaxLength) || noteMaxLength < 1) {
    throw new RangeError(`noteMaxLength must be a positive whole number; got ${String(noteMaxLength)}.`);
  }

  // One clock per widget tree: the proxy's time does not depend on which provider asked.
  const [ownClock] = useState(createServerClock);
  const clock = parent?.clock ?? ownClock;

  const client = useMemo(() => {
    if (parent && parent.config.apiBaseUrl === apiBaseUrl && parent.config.fetch === fetchImpl) return parent.client;
    return createCancelApiClient({
      ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
      ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
      onRoundTrip: (sample) => {
        if (sample.serverNowMs !== null) {
          clock.addSample({ serverNowMs: sample.serverNowMs, startedAt: sample.startedAt, endedAt: sample.endedAt });
        }
      },
    });
  }, [parent, apiBaseUrl, fetchImpl, clock]);

  const ownQueryClient = useRef<QueryClient | null>(null);
  let queryClient = props.queryClient ?? ambientQueryClient ?? parent?.queryClient;
  if (queryClient === undefined) {
    ownQueryClient.current ??= createWidgetQueryClient();
    queryClient = ownQueryClient.current;
  }

  const messages = useMemo(
    () => mergeMessages(parent?.messages ?? defaultMessages, props.messages),
    [parent?.messages, props.messages],
  );

  // Callbacks are read through refs so a portal passing inline functions does not rebuild the
  // context (and re-render every consumer) on each of its renders.
  const onCancelledRef = useRef(config.onCancelled);
  onCancelledRef.current = config.onCancelled;
  const onRescheduleRef = useRef(config.onReschedule);
  onRescheduleRef.current = config.onReschedule;
  const hasOnCancelled = config.onCancelled !== undefined;
  const hasOnReschedule = config.onReschedule !== undefined;

  const value = useMemo<CancelAppointmentContextValue>(
    () => ({
      client,
      clock,
      messages,
      queryClient,
      onCancelled: hasOnCancelled ? (result: CancelledResult) => onCancelledRef.current?.(result) : undefined,
      onReschedule: hasOnReschedule ? (appointmentId: string) => onRescheduleRef.current?.(appointmentId) : undefined,
      noteMaxLength,
      config,
    }),
    // `config` is a new object each render; the parts of it that matter are listed one by one.
    [
      client,
      clock,
      messages,
      queryClient,
      hasOnCancelled,
      hasOnReschedule,
      noteMaxLength,
      apiBaseUrl,
      fetchImpl,
      props.messages,
    ],
  );

  const content = <CancelAppointmentContext.Provider value={value}>{children}</CancelAppointmentContext.Provider>;
  // react-query hooks read the client from QueryClientContext; provide it unless it is already there.
  if (queryClient === ambientQueryClient) return content;
  return <QueryClientProvider client={queryClient}>{content}</QueryClientProvider>;
}
