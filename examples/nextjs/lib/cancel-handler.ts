/**
 * Next.js (App Router): one handler for every /api/... path of the contract, created once per
 * server process from the portal's environment. Heim's key is read on the server only; nothing
 * under app/api is ever bundled for the browser.
 */
import { createCancelHandler, type CancelHandler } from 'heim-cancel/server';
import { patientFromRequest } from '../../shared/portal-sessions';

let handler: CancelHandler | undefined;

export function cancelHandler(): CancelHandler {
  handler ??= createCancelHandler({
    heim: { baseUrl: requireEnv('HEIM_API_URL'), apiKey: requireEnv('HEIM_API_KEY') },
    authenticate: patientFromRequest,
    allowedOrigins: requireEnv('PORTAL_ORIGIN').split(','),
  });
  return handler;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
