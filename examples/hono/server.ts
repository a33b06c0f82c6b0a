/**
 * Hono: the cancel proxy as one route of a Hono portal, reusing the portal's own sessions.
 *
 *   npx tsx examples/hono/server.ts
 *
 * The handler is already Web-standard, so Hono hands it the raw Request and returns its Response.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pathToFileURL } from 'node:url';
import { createCancelHandler } from 'heim-cancel/server';
import { connectToHeim } from '../shared/heim-connection';
import { patientFromRequest, signIn } from '../shared/portal-sessions';

export interface PortalOptions {
  readonly heim: { baseUrl: string; apiKey: string };
  readonly allowedOrigins: readonly string[];
}

export function createPortal({ heim, allowedOrigins }: PortalOptions): Hono {
  const cancelHandler = createCancelHandler({ heim, authenticate: patientFromRequest, allowedOrigins });
  const app = new Hono();
  // c.req.raw is the untouched Request: the proxy reads and limits the body itself.
  app.all('/api/*', (c) => cancelHandler(c.req.raw));

  app.post('/sign-in', async (c) => {
    const { patientId } = await c.req.json<{ patientId?: unknown }>();
    if (typeof patientId !== 'string') return c.json({ error: 'patientId is required' }, 400);
    c.header('set-cookie', signIn(patientId).setCookie);
    return c.body(null, 204);
  });
  return app;
}

async function main(): Promise<void> {
  const heim = await connectToHeim();
  const port = Number(process.env.PORT ?? 3002);
  const origin = `http://127.0.0.1:${port}`;
  serve({ fetch: createPortal({ heim, allowedOrigins: [origin] }).fetch, hostname: '127.0.0.1', port }, () => {
    console.log(`Hono portal with the cancel proxy on ${origin} (try ${origin}/api/healthz)`);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
