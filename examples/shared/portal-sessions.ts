/**
 * Stands in for the portal's own session system: whatever the portal already uses to know who is
 * signed in (express-session, NextAuth, a JWT from its identity provider…). The cancel proxy does
 * not need to know how it works; it calls `patientFromRequest` through its `authenticate` option.
 *
 * Here: an opaque random session id in an HttpOnly cookie, mapped in memory to the patient's
 * Heim id. A real portal keeps the mapping in its session store.
 */
import { randomBytes } from 'node:crypto';
import type { PatientIdentity } from 'heim-cancel/server';

export const PORTAL_COOKIE = 'portal_sid';

const sessions = new Map<string, string>();

/** Signs a patient in and returns the `Set-Cookie` value the portal would send. */
export function signIn(heimPatientId: string): { sessionId: string; setCookie: string } {
  const sessionId = randomBytes(24).toString('base64url');
  sessions.set(sessionId, heimPatientId);
  return { sessionId, setCookie: `${PORTAL_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Lax` };
}

export function signOut(sessionId: string): void {
  sessions.delete(sessionId);
}

/** The `authenticate` option of `createCancelHandler`: the signed-in patient, or null. */
export function patientFromRequest(request: Request): PatientIdentity | null {
  const cookie = request.headers.get('cookie') ?? '';
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== PORTAL_COOKIE) continue;
    const patientId = sessions.get(value.join('='));
    return patientId === undefined ? null : { patientId };
  }
  return null;
}
