/**
 * Wires the widget: configuration, callbacks and a react-query client. A portal with its own
 * QueryClientProvider shares it; one without gets a private client, so the button can be dropped
 * into any React tree. Providers nest: an inner one (or a button's own props) overrides only what
 * it sets.
 *
 * It renders on every page that shows the button, before anyone opens the dialog, so it stays
 * light: the API client, the server clock and the messages are made from its scope only when the
 * dialog (or a hook) first reads them (cancel-appointment-context.ts).
 */
import { useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { DEFAULT_NOTE_MAX_LENGTH, noteMaxLengthProblem } from '../core/note-limit';
import {
  CancelAppointmentScopeContext,
  type CancelAppointmentCallback,
  type CancelAppointmentConfig,
  type CancelAppointmentScope,
  type ProviderIdentity,
} from './cancel-appointment-scope';

export interface CancelAppointmentProviderProps extends CancelAppointmentConfig {
  readonly children?: ReactNode;
}

/** Only whether each is given changes the scope; the functions themselves are read when called. */
const CALLBACKS = ['onCancelled', 'onEvent', 'onReschedule', 'onSignIn'] as const satisfies readonly CancelAppointmentCallback[];

function createWidgetQueryClient(): QueryClient {
  // Retries are decided per query (only failures where nothing was decided are retried).
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/** Provides configuration to every `CancelAppointment*` component and hook below it. */
export function CancelAppointmentProvider({ children, ...props }: CancelAppointmentProviderProps) {
  const parent = useContext(CancelAppointmentScopeContext);
  const ambientQueryClient = useContext(QueryClientContext);
  const [provider] = useState<ProviderIdentity>(() => ({}));

  const config: CancelAppointmentConfig = {
    ...parent?.config,
    ...Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined)),
  };
  const apiBaseUrl = config.apiBaseUrl;
  const fetchImpl = config.fetch;
  const noteMaxLength = config.noteMaxLength ?? DEFAULT_NOTE_MAX_LENGTH;
  // A wrong limit is a portal's configuration mistake. In development, say so at once. In
  // production the dialog's code logs it and uses the default (cancel-appointment-context.ts): a
  // patient's page never breaks over it, and the page's first chunk does not carry the check.
  if (process.env.NODE_ENV !== 'production') {
    const problem = noteMaxLengthProblem(noteMaxLength);
    if (problem !== null) throw new RangeError(problem);
  }

  const ownQueryClient = useRef<QueryClient | null>(null);
  let queryClient = props.queryClient ?? ambientQueryClient ?? parent?.queryClient;
  if (queryClient === undefined) {
    ownQueryClient.current ??= createWidgetQueryClient();
    queryClient = ownQueryClient.current;
  }

  // Callbacks are read from this provider's latest props when called (latestCallback), so a portal
  // passing inline functions does not rebuild the context (and re-render every consumer) on each
  // of its renders: the scope changes only when a callback comes or goes.
  const own = useRef<CancelAppointmentConfig>(props);
  own.current = props;
  const given = CALLBACKS.map((key) => config[key] !== undefined).join();

  const scope = useMemo<CancelAppointmentScope>(
    () => ({
      config,
      ownMessages: props.messages,
      parent,
      queryClient,
      own,
      noteMaxLength,
      provider,
      tree: parent?.tree ?? provider,
    }),
    // `config` is a new object each render; the parts of it that matter are listed one by one.
    [parent, queryClient, given, noteMaxLength, apiBaseUrl, fetchImpl, props.messages, provider],
  );

  const content = <CancelAppointmentScopeContext.Provider value={scope}>{children}</CancelAppointmentScopeContext.Provider>;
  // react-query hooks read the client from QueryClientContext; provide it unless it is already there.
  if (queryClient === ambientQueryClient) return content;
  return <QueryClientProvider client={queryClient}>{content}</QueryClientProvider>;
}
