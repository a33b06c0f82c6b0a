/**
 * MSW handlers for the proxy's contract (bff-api.md), implemented by the real proxy and the real
 * Heim simulator running in the page (src/demo/in-memory-backend.ts), not by a copy of the
 * contract: Storybook shows exactly what production would answer.
 */
import { http } from 'msw';
import type { InMemoryBackend } from './in-memory-backend';

/** `getBackend` is read per request, so each story can bring a fresh backend. */
export function bffHandlers(getBackend: () => InMemoryBackend | undefined, apiBaseUrl = '/api') {
  return [
    http.all(`${apiBaseUrl}/*`, async ({ request }) => {
      const backend = getBackend();
      if (!backend) return new Response('No story backend is set up.', { status: 500 });
      return backend.fetch(request);
    }),
  ];
}
