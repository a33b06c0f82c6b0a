/**
 * Property tests (fast-check, fixed seeds so CI runs the same cases every time): generated bodies,
 * texts and ids, 13,000 runs in all. The bulk run against the pure pieces (`parseCancelBody`,
 * `readJsonBody`, `hasDuplicateJsonKey`, `sanitizePatientNote`, `isAppointmentId` and Heim's
 * paths); 500 run through the real handler in front of the real simulator.
 *
 * To explore beyond the fixed seed locally: SECURITY_FC_SEED=<n> npx vitest run tests/security.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_ID_PATTERN, isAppointmentId } from '../../src/core/ids';
import { DEFAULT_NOTE_MAX_LENGTH, noteLength, sanitizePatientNote } from '../../src/core/note';
import { PATIENT_ELIGIBLE_REASON_CODES, REASONS, REASON_CODES } from '../../src/core/reasons';
import { NOTE_HARD_MAX_LENGTH } from '../../src/core/schemas';
import { createCancelHandler } from '../../src/server/app';
import { heimPaths } from '../../src/server/heim-assumptions';
import { parseCancelBody } from '../../src/server/parse-cancel-request';
import { MAX_BODY_BYTES, hasDuplicateJsonKey, readJsonBody } from '../../src/server/read-body';
import { ProxyError } from '../../src/server/responses';
import { createSimulator } from '../../src/simulator/simulator';
import { TEST_HEIM_KEY, TEST_PORTAL_ORIGIN, TEST_SESSION_SECRET } from '../support/backend';
import { UNLIMITED, encodeSegment, expectNoLeak, forgeJwt, freshIdempotencyKey } from './support';

const SEED = process.env.SECURITY_FC_SEED === undefined ? 20_261_124 : Number(process.env.SECURITY_FC_SEED);
const RUNS = {
  parser: 4000,
  pipeline: 2000,
  duplicates: 2000,
  sanitize: 1500,
  ids: 3000,
  handler: 500,
} as const;

const ALLOWED_KEYS = ['reasonCode', 'note', 'acknowledgeCharge'];
const ELIGIBLE: readonly string[] = PATIENT_ELIGIBLE_REASON_CODES;
const CONTROL_OR_BIDI = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const hasOwn = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

// --- Generators ------------------------------------------------------------------------------

const TRICKY = [
  '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u009b', '\r', '\n', '\t', '\f', '\v', '\u2028', '\u2029',
  '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\u061c', '\ufeff',
  '\ud800', '\udbff', '\udc00', '\udfff', '\u0301', '\u0958', '\u212b', '\u1e9b', 'e', 'a', 'x', ' ', '  ', '"',
  '\\', '😀', '👩‍👩‍👧', 'Å', '\u00a0', '\u3000',
];
const trickyString = (maxLength: number) => fc.string({ unit: fc.constantFrom(...TRICKY), maxLength });

const noteArb = fc.oneof(
  { arbitrary: fc.string({ maxLength: 60 }), weight: 3 },
  { arbitrary: trickyString(40), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 2 },
  { arbitrary: fc.integer({ min: 490, max: 510 }).map((n) => 'n'.repeat(n)), weight: 1 },
  { arbitrary: fc.tuple(fc.integer({ min: 0, max: 600 }), trickyString(30)).map(([n, s]) => `${'y'.repeat(n)}${s}`), weight: 1 },
  { arbitrary: fc.integer({ min: 3990, max: 4010 }).map((n) => '\u0000'.repeat(n)), weight: 1 },
);
const reasonArb = fc.oneof(
  { arbitrary: fc.constantFrom(...PATIENT_ELIGIBLE_REASON_CODES), weight: 6 },
  { arbitrary: fc.constantFrom(...REASON_CODES), weight: 3 },
  { arbitrary: fc.constantFrom('bored', 'PATIENT_UNWELL', 'patient_unwell ', 'p\u0430tient_unwell', 'patient_unwell\u0000', ''), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'cancellingEntity', 'causingEntity', 'patientId', 'appointmentId', 'status', 'reasonCode ', 'ReasonCode', '', 'toString', 'hasOwnProperty'];
const keyArb = fc.oneof(
  { arbitrary: fc.constantFrom(...ALLOWED_KEYS), weight: 10 },
  { arbitrary: fc.constantFrom(...HOSTILE_KEYS), weight: 2 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
);
const valueFor = (key: string): fc.Arbitrary<unknown> => {
  if (key === 'reasonCode') return reasonArb;
  if (key === 'note') return fc.oneof({ arbitrary: noteArb, weight: 6 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });
  if (key === 'acknowledgeCharge') return fc.oneof({ arbitrary: fc.boolean(), weight: 6 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });
  return fc.jsonValue({ maxDepth: 3 });
};
const entryArb = keyArb.chain((key) => valueFor(key).map((value) => [key, value] as [string, unknown]));

/** A body as key/value entries, in order, possibly repeating a key: mostly close to valid. */
const entriesArb: fc.Arbitrary<[string, unknown][]> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record(
        { reasonCode: reasonArb, note: noteArb, acknowledgeCharge: fc.boolean() },
        { requiredKeys: ['reasonCode'] },
      )
      .chain((base) =>
        fc
          .tuple(fc.shuffledSubarray(Object.entries(base)), fc.array(entryArb, { maxLength: 1 }), fc.nat(9))
          .map(([ordered, extra, roll]) => {
            const entries: [string, unknown][] = ordered.length > 0 ? [...ordered] : [['reasonCode', base.reasonCode]];
            if (roll === 0) entries.push(...extra);
            if (roll === 1 && entries.length > 0) entries.push([entries[0]![0], entries[0]![1]]);
            return entries;
          }),
      ),
  },
  { weight: 2, arbitrary: fc.array(entryArb, { maxLength: 5 }) },
);

/** JSON text of the entries; a key may be spelt with \u escapes, whitespace varies. */
const bodyTextArb = fc
  .tuple(entriesArb, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.constantFrom('', ' ', '\n', '\t', ' \r\n '))
  .map(([entries, escapes, ws]) => ({
    entries,
    text: `{${ws}${entries
      .map(([key, value], i) => `${escapes[i % escapes.length] ? escapeAll(key) : JSON.stringify(key)}${ws}:${ws}${JSON.stringify(value)}`)
      .join(`,${ws}`)}${ws}}`,
  }));

function escapeAll(key: string): string {
  return `"${[...key].map((char) => [...char].map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')).join('')}"`;
}
// (Surrogate pairs are escaped per UTF-16 unit, which is what JSON allows.)

// --- The oracle for the body: what the contract accepts, written independently of zod --------

type Oracle = { ok: true; value: Record<string, unknown> } | { ok: false };

function expectedParse(raw: unknown, noteMax: number): Oracle {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false };
  const record = raw as Record<string, unknown>;
  if (Object.keys(record).some((key) => !ALLOWED_KEYS.includes(key))) return { ok: false };
  const reason = hasOwn(record, 'reasonCode') ? record.reasonCode : undefined;
  if (typeof reason !== 'string' || !ELIGIBLE.includes(reason)) return { ok: false };
  let clean = '';
  if (hasOwn(record, 'note')) {
    if (typeof record.note !== 'string' || record.note.length > NOTE_HARD_MAX_LENGTH) return { ok: false };
    clean = sanitizePatientNote(record.note);
  }
  if (noteLength(clean) > noteMax) return { ok: false };
  if (REASONS[reason as keyof typeof REASONS].noteRequired && clean === '') return { ok: false };
  if (hasOwn(record, 'acknowledgeCharge') && typeof record.acknowledgeCharge !== 'boolean') return { ok: false };
  return {
    ok: true,
    value: {
      reasonCode: reason,
      ...(clean === '' ? {} : { note: clean }),
      ...(hasOwn(record, 'acknowledgeCharge') ? { acknowledgeCharge: record.acknowledgeCharge } : {}),
    },
  };
}

/** What any accepted command must look like, whatever produced it. */
function expectAllowedCommand(command: unknown, noteMax: number): void {
  expect(Object.getPrototypeOf(command)).toBe(Object.prototype);
  const record = command as Record<string, unknown>;
  for (const key of Reflect.ownKeys(record)) expect(ALLOWED_KEYS).toContain(key);
  expect(ELIGIBLE).toContain(record.reasonCode);
  if (hasOwn(record, 'note')) {
    expect(typeof record.note).toBe('string');
    const note = record.note as string;
    expect(note).not.toBe('');
    expect(noteLength(note)).toBeLessThanOrEqual(noteMax);
    expect(CONTROL_OR_BIDI.test(note)).toBe(false);
    expect(sanitizePatientNote(note)).toBe(note);
  } else {
    expect(REASONS[record.reasonCode as keyof typeof REASONS].noteRequired).toBe(false);
  }
  if (hasOwn(record, 'acknowledgeCharge')) expect(typeof record.acknowledgeCharge).toBe('boolean');
}

/** Runs the parser; a refusal must be the contract's invalid_request with readable issues. */
function parseOutcome(raw: unknown, noteMax: number): Oracle {
  try {
    return { ok: true, value: parseCancelBody(raw, noteMax) as Record<string, unknown> };
  } catch (error) {
    expect(error).toBeInstanceOf(ProxyError);
    const proxyError = error as ProxyError;
    expect(proxyError.code).toBe('invalid_request');
    for (const issue of proxyError.details.issues ?? []) {
      expect(typeof issue.path).toBe('string');
      expect(typeof issue.message).toBe('string');
    }
    return { ok: false };
  }
}

// --- Properties ------------------------------------------------------------------------------

describe('the body parser (pure)', () => {
  it(`accepts exactly what the contract allows, and only ever yields an allowed command (${RUNS.parser} runs)`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(bodyTextArb, fc.constantFrom(DEFAULT_NOTE_MAX_LENGTH, 1, 50, 2000), ({ text }, noteMax) => {
        const raw = JSON.parse(text) as unknown;
        const actual = parseOutcome(raw, noteMax);
        const expected = expectedParse(raw, noteMax);
        expect(actual.ok).toBe(expected.ok);
        if (actual.ok && expected.ok) {
          accepted += 1;
          expectAllowedCommand(actual.value, noteMax);
          expect(actual.value).toEqual(expected.value);
        }
      }),
      { seed: SEED, numRuns: RUNS.parser },
    );
    // The generator is biased towards valid bodies, so both sides of the property are exercised.
    expect(accepted).toBeGreaterThan(RUNS.parser / 10);
    expect(accepted).toBeLessThan(RUNS.parser * 0.9);
  });

  it('never throws anything but invalid_request on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const outcome = parseOutcome(raw, DEFAULT_NOTE_MAX_LENGTH);
        if (outcome.ok) expectAllowedCommand(outcome.value, DEFAULT_NOTE_MAX_LENGTH);
      }),
      { seed: SEED + 1, numRuns: 500 },
    );
  });
});

describe('the body pipeline: bytes → readJsonBody → parseCancelBody', () => {
  const request = (body: string | Uint8Array) =>
    new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_3d/cancel`, { method: 'POST', body: body as BodyInit });

  async function pipeline(body: string | Uint8Array): Promise<Oracle & { code?: string }> {
    try {
      return { ok: true, value: parseCancelBody(await readJsonBody(request(body)), DEFAULT_NOTE_MAX_LENGTH) as Record<string, unknown> };
    } catch (error) {
      expect(error).toBeInstanceOf(ProxyError);
      const code = (error as ProxyError).code;
      expect(['invalid_request', 'payload_too_large']).toContain(code);
      return { ok: false, code };
    }
  }

  const anyBody = fc.oneof(
    { weight: 4, arbitrary: bodyTextArb.map(({ text }) => text) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    {
      weight: 1,
      // A valid body with a few bytes broken.
      arbitrary: fc
        .tuple(bodyTextArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
        .map(([{ text }, edits]) => {
          const bytes = new TextEncoder().encode(text);
          for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
          return bytes;
        }),
    },
    { weight: 1, arbitrary: fc.integer({ min: MAX_BODY_BYTES - 4, max: MAX_BODY_BYTES + 4 }).map((n) => `{"reasonCode":"patient_unwell"}`.padEnd(n, ' ')) },
  );

  it(`never throws anything but a contract error, and refuses duplicate keys (${RUNS.pipeline} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const outcome = await pipeline(body);
        if (outcome.ok) expectAllowedCommand(outcome.value, DEFAULT_NOTE_MAX_LENGTH);
        const size = typeof body === 'string' ? new TextEncoder().encode(body).byteLength : body.byteLength;
        if (size > MAX_BODY_BYTES) expect(outcome).toEqual({ ok: false, code: 'payload_too_large' });
      }),
      { seed: SEED + 2, numRuns: RUNS.pipeline / 2 },
    );
    await fc.assert(
      fc.asyncProperty(bodyTextArb, async ({ entries, text }) => {
        const outcome = await pipeline(text);
        const keys = entries.map(([key]) => key);
        const duplicated = new Set(keys).size !== keys.length;
        const tooLarge = new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES;
        if (tooLarge) expect(outcome).toEqual({ ok: false, code: 'payload_too_large' });
        else if (duplicated) expect(outcome).toEqual({ ok: false, code: 'invalid_request' });
        else expect(outcome.ok).toBe(expectedParse(JSON.parse(text), DEFAULT_NOTE_MAX_LENGTH).ok);
      }),
      { seed: SEED + 3, numRuns: RUNS.pipeline / 2 },
    );
  });
});

describe('duplicate keys (hasDuplicateJsonKey against an independent oracle)', () => {
  type Tree = null | boolean | number | string | Tree[] | { entries: [key: string, escaped: boolean, value: Tree][] };
  const confusing = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', ':', ',', 'a', ' ', '\n', '\u0000', 'é'), maxLength: 8 });
  const { tree } = fc.letrec<{ tree: Tree; leaf: Tree; array: Tree[]; object: Tree }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('array'), tie('object')),
    leaf: fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), confusing),
    array: fc.array(tie('tree'), { maxLength: 4 }),
    object: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom('a', 'b', 'reasonCode', '__proto__', 'k"q', 'k\\b', 'é', ''), confusing), fc.boolean(), tie('tree')), { maxLength: 5 })
      .map((entries) => ({ entries })),
  }));

  const serialise = (node: Tree, ws: string): string => {
    if (Array.isArray(node)) return `[${ws}${node.map((item) => serialise(item, ws)).join(`${ws},${ws}`)}${ws}]`;
    if (node !== null && typeof node === 'object') {
      return `{${ws}${node.entries.map(([key, escaped, value]) => `${escaped ? escapeAll(key) : JSON.stringify(key)}${ws}:${ws}${serialise(value, ws)}`).join(`${ws},${ws}`)}${ws}}`;
    }
    return JSON.stringify(node);
  };
  const duplicated = (node: Tree): boolean => {
    if (Array.isArray(node)) return node.some(duplicated);
    if (node !== null && typeof node === 'object') {
      const keys = node.entries.map(([key]) => key);
      return new Set(keys).size !== keys.length || node.entries.some(([, , value]) => duplicated(value));
    }
    return false;
  };

  it(`agrees with the oracle on nested JSON, however keys are spelt (${RUNS.duplicates} runs)`, () => {
    fc.assert(
      fc.property(tree, fc.constantFrom('', ' ', '\n', '\t\r\n'), (node, ws) => {
        const text = serialise(node, ws);
        JSON.parse(text);
        expect(hasDuplicateJsonKey(text)).toBe(duplicated(node));
      }),
      { seed: SEED + 4, numRuns: RUNS.duplicates },
    );
  });
});

describe('the patient note cleaner', () => {
  it(`is idempotent and leaves no control, bidi or unpaired surrogate (${RUNS.sanitize} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(trickyString(60), fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 })), (raw) => {
        const clean = sanitizePatientNote(raw);
        expect(sanitizePatientNote(clean)).toBe(clean);
        expect(CONTROL_OR_BIDI.test(clean)).toBe(false);
        expect(clean).toBe(clean.trim());
        expect(clean).not.toMatch(/ {2}/);
        expect(clean).toBe(clean.normalize('NFC'));
      }),
      { seed: SEED + 5, numRuns: RUNS.sanitize },
    );
  });
});

describe('appointment ids and Heim’s URL', () => {
  const BASE = 'https://heim.test/v1';
  const idArb = fc.oneof(
    { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 70 }) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('.', '/', '\\', '%', '2', 'e', 'f', 'F', '_', '-', 'a', '\u0000', '\n', '?', '#', ';', '\u0430', '\uff41', '\u200d'), maxLength: 70 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 200 }).map((n) => 'a'.repeat(n)) },
  );

  it(`accepts exactly ^[A-Za-z0-9_-]{1,64}$, and an accepted id always yields ${BASE}/appointments/{id}/cancel (${RUNS.ids} runs)`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(idArb, (id) => {
        const ok = isAppointmentId(id);
        const independent = id.length >= 1 && id.length <= 64 && [...id].every((char) => /^[A-Za-z0-9_-]$/.test(char));
        expect(ok).toBe(independent);
        if (!ok) return;
        accepted += 1;
        const url = `${BASE}${heimPaths.cancel(id)}`;
        expect(url).toBe(`${BASE}/appointments/${id}/cancel`);
        // No normalisation can move it: no dot segment, no escape, no separator.
        const parsed = new URL(url);
        expect(parsed.href).toBe(url);
        expect(parsed.pathname.split('/')).toEqual(['', 'v1', 'appointments', id, 'cancel']);
        expect(`${BASE}${heimPaths.appointment(id)}`).toBe(`${BASE}/appointments/${id}`);
        expect(`${BASE}${heimPaths.cancellation(id)}`).toBe(`${BASE}/appointments/${id}/cancellation`);
      }),
      { seed: SEED + 6, numRuns: RUNS.ids },
    );
    expect(accepted).toBeGreaterThan(RUNS.ids / 5);
    expect(APPOINTMENT_ID_PATTERN.source).toBe('^[A-Za-z0-9_-]{1,64}$');
  });
});

describe('the real handler in front of the real simulator', () => {
  const BASE = 'https://heim.test/v1';
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const TOKENS = {
    alice: forgeJwt({ payload: { sub: 'p_demo_alice', exp } }),
    bilal: forgeJwt({ payload: { sub: 'p_demo_bilal', exp } }),
    expired: forgeJwt({ payload: { sub: 'p_demo_alice', exp: 1 } }),
    none: null,
  } as const;
  const SEEDED = ['apt_alice_3d', 'apt_alice_30h', 'apt_alice_noeta', 'apt_alice_5h', 'apt_alice_20m', 'apt_alice_30m_ago', 'apt_alice_cancelled', 'apt_alice_completed', 'apt_bilal_3d'];

  const requestArb = fc.record({
    id: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...SEEDED) },
      { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('.', '/', '%', '2', 'F', 'a', '_', '\u0000', '\u0430'), minLength: 1, maxLength: 12 }) },
    ),
    body: fc.oneof(
      { weight: 2, arbitrary: bodyTextArb.map(({ text }) => text) },
      {
        // Valid for most seeded appointments, so that accepted cancels are common too.
        weight: 3,
        arbitrary: fc
          .record({ reasonCode: fc.constantFrom('patient_unwell', 'no_longer_required', 'patient_requested_reschedule', 'practitioner_late'), note: noteArb, acknowledgeCharge: fc.constant(true) }, { requiredKeys: ['reasonCode', 'acknowledgeCharge'] })
          .map((body) => JSON.stringify(body)),
      },
    ),
    session: fc.constantFrom<keyof typeof TOKENS>('alice', 'alice', 'alice', 'alice', 'bilal', 'expired', 'none'),
    shape: fc.constantFrom('good', 'good', 'good', 'good', 'evil-origin', 'no-xrw', 'text/plain', 'xml', 'no-key'),
  });

  it(`sends Heim at most one cancel, always to exactly ${BASE}/appointments/{id}/cancel (${RUNS.handler} runs)`, async () => {
    let cancelled = 0;
    await fc.assert(
      fc.asyncProperty(requestArb, async ({ id, body, session, shape }) => {
        const now = Date.now();
        const simulator = createSimulator({ apiKeys: [TEST_HEIM_KEY], now: () => now });
        const calls: { method: string; url: string; body: string }[] = [];
        const handler = createCancelHandler({
          heim: {
            baseUrl: BASE,
            apiKey: TEST_HEIM_KEY,
            fetch: async (input, init) => {
              calls.push({ method: init?.method ?? 'GET', url: String(input), body: typeof init?.body === 'string' ? init.body : '' });
              const { signal: _signal, ...rest } = init ?? {};
              return simulator.fetch(new Request(input, rest));
            },
          },
          sessionSecret: TEST_SESSION_SECRET,
          allowedOrigins: [TEST_PORTAL_ORIGIN],
          rateLimit: UNLIMITED,
          logger: () => undefined,
          now: () => now,
        });

        const statusBefore = simulator.getAppointment(id)?.status;
        const ownerBefore = simulator.getAppointment(id)?.patient.id;
        const headers = new Headers({
          'content-type': shape === 'text/plain' ? 'text/plain' : shape === 'xml' ? 'application/xml' : 'application/json',
          origin: shape === 'evil-origin' ? 'https://evil.example' : TEST_PORTAL_ORIGIN,
        });
        if (shape !== 'no-xrw') headers.set('x-requested-with', 'heim-cancel-widget');
        if (shape !== 'no-key') headers.set('idempotency-key', freshIdempotencyKey());
        const token = TOKENS[session];
        if (token !== null) headers.set('authorization', `Bearer ${token}`);
        const response = await handler(
          new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/${encodeSegment(id)}/cancel`, { method: 'POST', headers, body }),
        );
        const text = await response.text();
        expectNoLeak(text, `${response.status} ${text.slice(0, 200)}`);
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');

        for (const call of calls) expect(call.url.startsWith(`${BASE}/appointments/`)).toBe(true);
        const posts = calls.filter((call) => call.method !== 'GET');
        if (response.status === 200) {
          cancelled += 1;
          expect(posts).toHaveLength(1);
          // Only the owner, signed in with a valid session, can have cancelled it.
          expect(['alice', 'bilal']).toContain(session);
          expect(ownerBefore).toBe(session === 'alice' ? 'p_demo_alice' : 'p_demo_bilal');
          expect(statusBefore === 'scheduled' || statusBefore === 'scheduling').toBe(true);
          expect(simulator.getAppointment(id)?.status).toBe('cancelled');
          expect(shape).toBe('good');
          expect(isAppointmentId(id)).toBe(true);
        } else {
          expect(response.status).not.toBe(202);
          expect(posts).toEqual([]);
          expect(simulator.getAppointment(id)?.status).toBe(statusBefore);
        }
        for (const post of posts) {
          expect(post.method).toBe('POST');
          expect(post.url).toBe(`${BASE}/appointments/${id}/cancel`);
          const sent = JSON.parse(post.body) as Record<string, unknown>;
          expect(Object.keys(sent)).toEqual(['note', 'causingEntity', 'cancellingEntity', 'reasonCode']);
          expect(sent.cancellingEntity).toBe('patient');
          expect(ELIGIBLE).toContain(sent.reasonCode);
          expect(sent.causingEntity).toBe(REASONS[sent.reasonCode as keyof typeof REASONS].causingEntity);
          expect(String(sent.note).startsWith('Cancelled by the patient in the customer portal. Reason: ')).toBe(true);
          expect(CONTROL_OR_BIDI.test(String(sent.note))).toBe(false);
        }
        // The ledger agrees: what Heim received is what the proxy sent.
        expect(simulator.ledger.filter((entry) => entry.method === 'POST').map((entry) => entry.path)).toEqual(
          posts.map(() => `/v1/appointments/${id}/cancel`),
        );
      }),
      { seed: SEED + 7, numRuns: RUNS.handler },
    );
    // About 6% of runs are accepted cancels with this seed; the rest exercise every refusal.
    expect(cancelled).toBeGreaterThanOrEqual(RUNS.handler / 25);
  });
});

it('runs at least 10,000 generated cases in all', () => {
  const total = RUNS.parser + 500 + RUNS.pipeline + RUNS.duplicates + RUNS.sanitize + RUNS.ids + RUNS.handler;
  expect(total).toBeGreaterThanOrEqual(10_000);
});
