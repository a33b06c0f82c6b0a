/**
 * Patient sessions: an HS256 JWT signed with PORTAL_SESSION_SECRET, carried in the
 * `portal_session` cookie or an `Authorization: Bearer` header. `sub` is the Heim patient id.
 * Verification is jose's; we only decide where the token comes from and what a valid one means.
 */
import { SignJWT, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
// jose's, not the global: a server-only consumer (lib ES2022, types node, no DOM) has no global
// CryptoKey type, and these exported signatures would not compile there.
import type { CryptoKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { PATIENT_ID_PATTERN } from '../core/ids';

export const SESSION_COOKIE_NAME = 'portal_session';

export interface PatientIdentity {
  /** Heim patient id (`p_...`): the only appointments this patient may touch. */
  readonly patientId: string;
}

export function sessionKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** The key a verifier holds: the raw secret, or (faster, imported once) its WebCrypto HMAC key. */
export type SessionVerifyKey = Uint8Array | CryptoKey;

/**
 * Imports the HMAC key once, so verifying a session does not import it again on every request.
 * Works in browsers too.
 */
export function importSessionKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The token a request carries; `malformed` for a Bearer header whose value is no token at all. */
function tokenFrom(request: Request): string | undefined | 'malformed' {
  // Another scheme (say HTTP Basic in front of a staging portal) is not ours: use the cookie.
  const authorization = request.headers.get('authorization')?.trim() ?? '';
  if (/^Bearer\s/i.test(authorization)) {
    return /^Bearer ([A-Za-z0-9_.-]+)$/i.exec(authorization)?.[1] ?? 'malformed';
  }
  return readCookie(request.headers.get('cookie'), SESSION_COOKIE_NAME);
}

/**
 * Why a session was refused, for the operations log only: the answer is the same 401
 * `unauthenticated` whatever the reason (bff-api.md), so a client learns nothing from it. A run of
 * `expired` after a deploy says sessions outlive the widget's page; `invalid_signature` says a
 * portal signs with another secret than PORTAL_SESSION_SECRET.
 */
export type SessionRefusal =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'invalid_signature'
  | 'algorithm_not_allowed'
  | 'missing_claim'
  | 'invalid_claim'
  | 'bad_subject'
  | 'wrong_audience'
  | 'lifetime_too_long';

export type SessionVerdict = { readonly identity: PatientIdentity } | { readonly refused: SessionRefusal };

/**
 * Optional hardening of the package's own sessions, beyond what the contract requires (`sub` and
 * `exp`). Both are off by default: a portal may mint its sessions itself, with only those claims.
 */
export interface SessionPolicy {
  /** Refuse a token whose `exp` is further ahead than this many seconds (a "session" for 95 years). */
  readonly maxLifetimeSeconds?: number;
  /** Require this `aud` (a token minted for another service with the same secret is refused). */
  readonly audience?: string;
}

interface VerifiedToken {
  readonly patientId: string;
  readonly expiresAtMs: number;
}

function refusalFor(error: InstanceType<typeof joseErrors.JOSEError>): SessionRefusal {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'invalid_signature';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm_not_allowed';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong_audience';
    return error.reason === 'missing' ? 'missing_claim' : 'invalid_claim';
  }
  return 'malformed';
}

/** jose's verdict on one token: the patient and expiry, or why it is not valid now. */
async function verifyToken(token: string, key: SessionVerifyKey, policy: SessionPolicy): Promise<VerifiedToken | SessionRefusal> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      ...(policy.audience === undefined ? {} : { audience: policy.audience }),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return refusalFor(error);
    throw error;
  }
  if (typeof payload.sub !== 'string' || !PATIENT_ID_PATTERN.test(payload.sub)) return 'bad_subject';
  if (typeof payload.exp !== 'number') return 'invalid_claim';
  const expiresAtMs = payload.exp * 1000;
  // Measured from now, not from `iat`: the contract does not require `iat`, so a portal's token
  // without one is held to the same bound.
  if (policy.maxLifetimeSeconds !== undefined && expiresAtMs - Date.now() > policy.maxLifetimeSeconds * 1000) return 'lifetime_too_long';
  return { patientId: payload.sub, expiresAtMs };
}

/** Returns the patient, or null for a missing, expired, tampered or malformed session. */
export async function verifyPatientSession(request: Request, key: SessionVerifyKey, policy: SessionPolicy = {}): Promise<PatientIdentity | null> {
  const token = tokenFrom(request);
  if (token === undefined || token === '' || token === 'malformed') return null;
  const verified = await verifyToken(token, key, policy);
  return typeof verified === 'string' ? null : { patientId: verified.patientId };
}

/** How many verified tokens a verifier remembers (a few hundred bytes each). */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

export type SessionVerifier = (request: Request) => Promise<PatientIdentity | null>;

/** A session verifier that also says why it refused: what the handler logs with its 401. */
export type ExplainingSessionVerifier = (request: Request) => Promise<SessionVerdict>;

/**
 * A verifier with a memory of tokens it has already verified, keyed by the exact token string.
 * Checking the HMAC with WebCrypto was three quarters of the proxy's CPU per read (0.13 of 0.18 ms
 * in process), and a patient's widget sends the same token with every read and poll. A remembered
 * token is still refused from the second its `exp` passes (by the wall clock, as jose checks it);
 * a token that failed (forged, tampered, another secret, expired) is never remembered, so it
 * always meets jose again.
 */
export function createExplainingSessionVerifier(
  key: Promise<SessionVerifyKey> | SessionVerifyKey,
  policy: SessionPolicy = {},
): ExplainingSessionVerifier {
  const remembered = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKEN_CACHE_SIZE });
  return async (request) => {
    const token = tokenFrom(request);
    if (token === undefined || token === '') return { refused: 'missing' };
    if (token === 'malformed') return { refused: 'malformed' };
    let verified: VerifiedToken | SessionRefusal | undefined = remembered.get(token);
    if (verified === undefined) {
      verified = await verifyToken(token, await key, policy);
      if (typeof verified === 'string') return { refused: verified };
      remembered.set(token, verified);
    }
    if (Date.now() >= verified.expiresAtMs) {
      remembered.delete(token);
      return { refused: 'expired' };
    }
    return { identity: { patientId: verified.patientId } };
  };
}

/** `verifyPatientSession` with the memory of `createExplainingSessionVerifier`: the patient, or null. */
export function createSessionVerifier(key: Promise<SessionVerifyKey> | SessionVerifyKey, policy: SessionPolicy = {}): SessionVerifier {
  const verify = createExplainingSessionVerifier(key, policy);
  return async (request) => {
    const verdict = await verify(request);
    return 'identity' in verdict ? verdict.identity : null;
  };
}

export interface CreatePatientSessionOptions {
  secret: string;
  patientId: string;
  /** Lifetime of the token; default 30 minutes. */
  expiresInSeconds?: number;
  /** Sets `aud`: give the handler's `sessionAudience` (PORTAL_SESSION_AUDIENCE) when it is set. */
  audience?: string;
}

/** Signs a session for a patient: what a portal's sign-in (or the demo's) issues. `iat` is always set. */
export async function createPatientSession(options: CreatePatientSessionOptions): Promise<string> {
  const ttl = options.expiresInSeconds ?? 30 * 60;
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.patientId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttl);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(sessionKey(options.secret));
}

/** The Set-Cookie value for a session: HttpOnly, Secure, SameSite=Strict, Path=/ (bff-api.md). */
export function sessionCookie(token: string, maxAgeSeconds = 30 * 60): string {
  return `${SESSION_COOKIE_NAME}=${token}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE_NAME}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0`;
}
