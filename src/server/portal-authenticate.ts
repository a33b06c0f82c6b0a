/**
 * The portal's own `authenticate`: its types, what the host hands it, and how its answer is taken.
 *
 * A portal on Express keeps its session on Node's request (`req.session`, Passport's `req.user`),
 * which a Web `Request` cannot carry; so `authenticate` also receives that request when the handler
 * runs on Node (`toNodeListener`, the bin's server). Its answer is the portal's code, not ours:
 * parsed, so a wrong shape is a set-up error that says so, not a silent 404 for every patient.
 */
import type { IncomingMessage } from 'node:http';
import * as z from 'zod';
import { PATIENT_ID_PATTERN } from '../core/ids';
import { ProxyError } from './responses';
import type { PatientIdentity } from './session';

/** What the handler passes to `authenticate` besides the Web request. */
export interface AuthenticateContext<NodeRequest extends IncomingMessage = IncomingMessage> {
  /**
   * Node's request when the handler runs under `toNodeListener` (Express, Connect, `node:http`) or
   * the bin's server (`startProxyServer`); `undefined` under any other host (Next.js, Hono, Bun).
   * Under Express it is Express's `req`, with whatever your middleware put on it: type it with
   * `createCancelHandler<express.Request>(…)`.
   */
  readonly nodeRequest: NodeRequest | undefined;
}

/**
 * A portal's own authentication, when it does not use our session token: the signed-in patient's
 * Heim id (`{ patientId: 'p_…' }`), or `null` when nobody is signed in (the proxy answers 401).
 */
export type Authenticate<NodeRequest extends IncomingMessage = IncomingMessage> = (
  request: Request,
  context: AuthenticateContext<NodeRequest>,
) => Promise<PatientIdentity | null> | PatientIdentity | null;

/**
 * The handler's optional second argument, set by the package's Node adapters. Other hosts call the
 * handler with the request alone, or pass their own second argument (Bun's server, Deno's info),
 * which holds no `nodeRequest` and so changes nothing.
 */
export interface CancelHandlerContext {
  readonly nodeRequest?: IncomingMessage;
}

export const EXPECTED_IDENTITY_SHAPE = "{ patientId: 'p_…' } | null";

// Extra keys are allowed (a portal may return its whole user); only patientId is read.
const identitySchema = z.object({ patientId: z.string().regex(PATIENT_ID_PATTERN) }).nullable();

/**
 * `authenticate` threw. Kept apart from the proxy's own failures so the log names the stage (with
 * the error's name and code, never its message, which may hold the portal's own secrets), and the
 * 500 says nothing was done.
 */
export class AuthenticateThrew extends Error {
  constructor(readonly thrown: unknown) {
    super('authenticate threw');
    this.name = 'AuthenticateThrew';
  }
}

const WRONG_SHAPE_MESSAGE =
  "The portal's authenticate returned something other than { patientId: 'p_…' } or null, so the patient could not be identified and nothing was sent to Heim: fix authenticate (the proxy log says what was wrong).";

/** What was wrong with the answer, in words that never repeat its values (they may be a patient's). */
function describeWrongShape(value: unknown): string {
  if (value === undefined) return 'it returned undefined (return null when nobody is signed in)';
  if (typeof value !== 'object' || value === null) return `it returned a ${typeof value}`;
  if (Array.isArray(value)) return 'it returned an array';
  const patientId = (value as { patientId?: unknown }).patientId;
  if (patientId === undefined) {
    const keys = Object.keys(value).slice(0, 10);
    return `it returned an object without patientId (its keys: ${keys.length === 0 ? 'none' : keys.join(', ')})`;
  }
  if (typeof patientId !== 'string') return `its patientId is a ${typeof patientId}, not a string`;
  return "its patientId is not a Heim patient id ('p_' then up to 64 letters, digits, _ or -)";
}

/** Calls the portal's `authenticate` and parses its answer; see the classes above for failures. */
export async function callPortalAuthenticate(
  authenticate: Authenticate,
  request: Request,
  context: AuthenticateContext,
): Promise<PatientIdentity | null> {
  let answer: unknown;
  try {
    answer = await authenticate(request, context);
  } catch (thrown) {
    throw new AuthenticateThrew(thrown);
  }
  const parsed = identitySchema.safeParse(answer);
  if (!parsed.success) {
    const reason = `authenticate must return ${EXPECTED_IDENTITY_SHAPE} (or a promise of it), but ${describeWrongShape(answer)}`;
    throw new ProxyError('internal_error', { message: WRONG_SHAPE_MESSAGE }, reason);
  }
  return parsed.data && { patientId: parsed.data.patientId };
}
