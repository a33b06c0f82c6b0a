/**
 * Express: the cancel proxy mounted in an existing portal, reusing the portal's own sessions.
 *
 *   npx tsx examples/express/server.ts      (then open the printed URL)
 *
 * Three lines do the mounting (marked below); the rest is the portal that was already there.
 */
import express, { type Express } from 'express';
import { pathToFileURL } from 'node:url';
import { createCancelHandler, toNodeListener } from 'heim-cancel/server';
import { connectToHeim } from '../shared/heim-connection';
import { patientFromRequest, signIn } from '../shared/portal-sessions';

export interface PortalOptions {
  readonly heim: { baseUrl: string; apiKey: string };
  /** The portal's public origin(s), allowed to POST cancels. */
  readonly allowedOrigins: readonly string[];
}

export function createPortal({ heim, allowedOrigins }: PortalOptions): Express {
  const app = express();
  app.disable('x-powered-by');

  // (1) The handler: Heim's key stays here, on the server; patients come from the portal's session.
  const cancelHandler = createCancelHandler({ heim, authenticate: patientFromRequest, allowedOrigins });
  // (2) Mounted before any body parser (it reads the raw body itself) with app.all, which keeps
  //     the full /api/... path the handler routes on.
  app.all('/api/{*rest}', toNodeListener(cancelHandler));

  // (3) The portal's own routes carry on as before, body parsers included.
  app.use(express.json());
  app.post('/sign-in', (req, res) => {
    const { patientId } = req.body as { patientId?: unknown };
    if (typeof patientId !== 'string') {
      res.status(400).json({ error: 'patientId is required' });
      return;
    }
    res.setHeader('set-cookie', signIn(patientId).setCookie).status(204).end();
  });
  return app;
}

async function main(): Promise<void> {
  const heim = await connectToHeim();
  const port = Number(process.env.PORT ?? 3001);
  const origin = `http://127.0.0.1:${port}`;
  createPortal({ heim, allowedOrigins: [origin] }).listen(port, '127.0.0.1', () => {
    console.log(`Express portal with the cancel proxy on ${origin} (try ${origin}/api/healthz)`);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
