/**
 * Builds the in-page backend a story asks for through its `backend` parameter: the server's time
 * (fixed per story, so it shows the same thing on every run, yet ticking), faults at Heim, a
 * signed-out patient, proxy options.
 */
import type { CancelHandlerOptions } from '../../server/options';
import type { Fault } from '../../simulator/faults';
import { createInMemoryBackend, type InMemoryBackend } from '../in-memory-backend';
import { STORY_PATIENT, storyAppointments } from './story-appointments';

export const DEFAULT_STORY_SERVER_NOW = '2026-11-24T09:00:00.000Z';

export interface StoryBackendParameters {
  /** The proxy's clock when the story starts; it then runs at real speed. */
  serverNow?: string;
  /** Faults queued at the simulated Heim before the story renders. */
  faults?: Fault[];
  /** No patient session: every call answers 401. */
  signedOut?: boolean;
  proxy?: Partial<Omit<CancelHandlerOptions, 'heim' | 'now' | 'logger'>>;
}

// Not a secret: a key for a simulator that exists only inside this page.
const STORY_HEIM_KEY = 'test_storybook_simulator_key';
const STORY_SESSION_SECRET = 'storybook-session-secret-0123456789abcdef';

export async function createStoryBackend(parameters: StoryBackendParameters = {}): Promise<InMemoryBackend> {
  const startMs = Date.parse(parameters.serverNow ?? DEFAULT_STORY_SERVER_NOW);
  const startedAt = performance.now();
  const now = () => startMs + (performance.now() - startedAt);
  const backend = await createInMemoryBackend({
    heimApiKey: STORY_HEIM_KEY,
    sessionSecret: STORY_SESSION_SECRET,
    portalOrigin: window.location.origin,
    now,
    seed: storyAppointments(startMs),
    patientId: STORY_PATIENT.id,
    ...(parameters.proxy ? { proxy: parameters.proxy } : {}),
  });
  for (const fault of parameters.faults ?? []) backend.simulator.setFault(fault);
  if (parameters.signedOut) backend.signOut();
  return backend;
}
