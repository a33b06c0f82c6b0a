/**
 * Shared pieces of the security suite: a backend whose rate limit stays out of the way, request
 * builders for hostile requests, session forgeries, and the checks every refusal must pass (status,
 * code, contract headers, no CORS grant, nothing leaked, nothing sent upstream).
 */
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../src/core/errors';
import type { LedgerEntry } from '../../src/simulator/ledger';
import {
  TEST_HEIM_KEY,
  TEST_PORTAL_ORIGIN,
  TEST_SESSION_SECRET,
  createTestBackend,
  type TestBackend,
  type TestBackendOptions,
} from '../support/backend';

/** A Standard Webhooks secret, so `/webhooks/heim` exists and its secret is one more canary. */
export const SECURITY_WEBHOOK_SECRET = `whsec_${Buffer.from('security-suite-webhook-canary-32b').toString('base64')}`;

/** Secrets that must never appear in a response, a log line or a browser file. */
export const SECRETS: readonly string[] = [TEST_HEIM_KEY, TEST_SESSION_SECRET, SECURITY_WEBHOOK_SECRET];

/**
 * Text that would mean a response carries something it must not: a stack trace, a parser's or
 * runtime's own message, a path on this machine, the simulator's (Heim's) own error text, or the
 * clinical and organisation data the seed marks.
 */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\n\s+at /,
  /\bat [^\s()]+ \([^)]*:\d+:\d+\)/,
  /node_modules|\/work\/|file:\/\//,
  /\b(TypeError|SyntaxError|RangeError|ReferenceError|ZodError|JOSEError|JWSInvalid|JWTExpired)\b/,
  /Unexpected (token|end|non-whitespace)|in JSON at position|" is not valid JSON/,
  /Heim simulator|simulated_fault|No appointment with id|has no cancellation|The cancellation is invalid|"type":/i,
  /clinical data|MRN-|ORD-/,
];

/** The corpus must not be rate-limited by itself: the limit has its own tests (limits.test.ts). */
export const UNLIMITED = { max: 1_000_000, windowMs: 60_000 } as const;

export function createSecurityBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  return createTestBackend({
    ...options,
    proxy: { rateLimit: UNLIMITED, webhookSecret: SECURITY_WEBHOOK_SECRET, ...options.proxy },
  });
}

let keyCounter = 0;
export function freshIdempotencyKey(): string {
  keyCounter += 1;
  return `sec_${keyCounter.toString(36).padStart(6, '0')}_${Math.random().toString(36).slice(2, 10)}`;
}

/** The headers of a well-formed cancel POST from the portal's own page (minus the session). */
export function goodPostHeaders(): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-requested-with': 'heim-cancel-widget',
    origin: TEST_PORTAL_ORIGIN,
    'idempotency-key': freshIdempotencyKey(),
  };
}

/** Percent-encodes every character outside `[A-Za-z0-9_-]` (dots too), as bytes of UTF-8. */
export function encodeSegment(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function base64url(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url');
}

export interface ForgeOptions {
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  /** HMAC key for the signature; default the suite's real session secret. */
  secret?: string | Uint8Array;
  /** HMAC hash used for the signature; default sha256. */
  hash?: 'sha256' | 'sha384' | 'sha512';
  /** Use this signature segment verbatim instead of computing one. */
  signature?: string;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A JWT built by hand, so every field an attacker controls can be set: header, claims, the key
 * and hash of the signature, or the signature itself.
 */
export function forgeJwt(options: ForgeOptions = {}): string {
  const header = options.header ?? { alg: 'HS256', typ: 'JWT' };
  const payload = options.payload ?? { sub: 'p_demo_alice', exp: nowSeconds() + 3600, iat: nowSeconds() };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature =
    options.signature ??
    createHmac(options.hash ?? 'sha256', options.secret ?? TEST_SESSION_SECRET)
      .update(signingInput)
      .digest('base64url');
  return `${signingInput}.${signature}`;
}

export type Upstream = 'none' | 'no-post';

export interface RefusalExpectation {
  status: number;
  /** The error code; null for a body-less answer (HEAD). */
  code: ErrorCode | null;
  /** 'none': Heim was not called at all; 'no-post': reads (ownership) only, never a cancel. */
  upstream: Upstream;
}

/** Reads a response and checks everything every refusal must satisfy. Returns the body text. */
export async function expectRefusal(
  response: Response,
  expected: RefusalExpectation,
  upstreamCalls: readonly LedgerEntry[],
): Promise<string> {
  const text = await response.text();
  const context = `${response.status} ${text.slice(0, 300)}`;
  expect(response.status, context).toBe(expected.status);
  expect(response.headers.get('content-type'), context).toBe('application/json; charset=utf-8');
  expect(response.headers.get('cache-control'), context).toBe('no-store');
  expect(response.headers.get('x-content-type-options'), context).toBe('nosniff');
  // CORS is never granted, so no cross-site script can read an answer or pass a preflight.
  expect(response.headers.get('access-control-allow-origin'), context).toBeNull();
  expect(response.headers.get('access-control-allow-credentials'), context).toBeNull();
  expect(response.headers.get('set-cookie'), context).toBeNull();

  if (expected.code === null) {
    expect(text, context).toBe('');
  } else {
    const body = JSON.parse(text) as { error: Record<string, unknown> };
    expect(Object.keys(body), context).toEqual(['error']);
    expect(body.error.code, context).toBe(expected.code);
    expect(ERROR_CODES[expected.code].status, context).toBe(expected.status);
    expect(typeof body.error.message, context).toBe('string');
    for (const key of Object.keys(body.error)) {
      expect(['code', 'message', 'issues', 'cancellation', 'charge'], context).toContain(key);
    }
    if (expected.code === 'invalid_request') {
      // bff-api.md's 400 is `{ error: { code: "invalid_request", issues: [...] } }`, whatever was wrong.
      const issues = body.error.issues as unknown[];
      expect(issues, context).toEqual(expect.arrayContaining([{ path: expect.any(String), message: expect.any(String) }]));
    }
  }
  expectNoLeak(text, context);
  // A refusal is short: it never reflects the request back (a 10 KB id, 1500 unknown keys...).
  expect(text.length, context).toBeLessThan(2048);
  for (const name of ['retry-after', 'allow', 'content-type', 'cache-control', 'x-content-type-options']) {
    expectNoLeak(response.headers.get(name) ?? '', `${context} (header ${name})`);
  }

  const posts = upstreamCalls.filter((entry) => entry.method !== 'GET' && entry.method !== 'HEAD');
  expect(posts.map((entry) => `${entry.method} ${entry.path}`), context).toEqual([]);
  if (expected.upstream === 'none') {
    expect(upstreamCalls.map((entry) => `${entry.method} ${entry.path}`), context).toEqual([]);
  }
  return text;
}

export function expectNoLeak(text: string, context = ''): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${context}: leaks a secret`).toBe(false);
  for (const pattern of LEAK_PATTERNS) expect(pattern.test(text), `${context}: matches ${pattern}`).toBe(false);
}

/** The ledger entries Heim recorded while `work` ran. */
export async function upstreamDuring<T>(backend: TestBackend, work: () => Promise<T>): Promise<{ result: T; calls: LedgerEntry[] }> {
  const before = new Set(backend.simulator.ledger.map((entry) => entry.seq));
  const result = await work();
  const calls = backend.simulator.ledger.filter((entry) => !before.has(entry.seq));
  return { result, calls };
}

/** Snapshot of the built-in prototypes, to prove afterwards that nothing was added to them. */
export function prototypeSnapshot(): Record<string, string[]> {
  const targets: Record<string, object> = {
    Object: Object.prototype,
    Array: Array.prototype,
    Function: Function.prototype,
    String: String.prototype,
    Number: Number.prototype,
    Boolean: Boolean.prototype,
    Promise: Promise.prototype,
    Map: Map.prototype,
    Set: Set.prototype,
    Request: Request.prototype,
    Response: Response.prototype,
    Headers: Headers.prototype,
  };
  return Object.fromEntries(
    Object.entries(targets).map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]),
  );
}

/** What the corpus tries to plant on Object.prototype: none of it may be visible afterwards. */
export const POLLUTION_MARKERS = ['polluted', 'isAdmin', 'admin', 'patientId', 'sub', 'cancellingEntity', 'causingEntity'] as const;

export function expectNoPollution(before: Record<string, string[]>): void {
  expect(prototypeSnapshot()).toEqual(before);
  const probe: Record<string, unknown> = {};
  for (const marker of POLLUTION_MARKERS) {
    expect(probe[marker], `Object.prototype.${marker}`).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, marker), `Object.prototype.${marker}`).toBe(false);
  }
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  expect(([] as unknown as { polluted?: unknown }).polluted).toBeUndefined();
  expect((Object.create(null) as { polluted?: unknown }).polluted).toBeUndefined();
  expect(JSON.parse('{}').polluted).toBeUndefined();
}
