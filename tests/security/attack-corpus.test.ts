/**
 * The attack corpus: hundreds of hostile requests against the REAL proxy in front of the REAL Heim
 * simulator. Each one asserts the status and error code of the contract (bff-api.md, with the
 * README's reading of the order of checks), the contract's headers, that no CORS is granted, that
 * the answer carries no secret, stack or upstream text, and what reached Heim: nothing at all for
 * anything refused before ownership is checked, and never a cancel POST for any of them.
 *
 * Requests here go through `new Request()`, so a URL is normalised as any HTTP client would
 * (dot segments resolved, tabs dropped); raw request targets are in raw-http.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/core/errors';
import { TEST_HEIM_KEY, TEST_PORTAL_ORIGIN, TEST_SESSION_SECRET, type TestBackend } from '../support/backend';
import {
  createSecurityBackend,
  encodeSegment,
  expectNoPollution,
  expectRefusal,
  forgeJwt,
  goodPostHeaders,
  nowSeconds,
  prototypeSnapshot,
  upstreamDuring,
  type Upstream,
} from './support';

interface Probe {
  name: string;
  method?: string;
  /** Path under `/api`; default the cancel path of `id`. */
  path?: string;
  /** Appointment id, percent-encoded byte by byte into the default path. Default apt_alice_3d. */
  id?: string;
  /** A whole URL, for host tricks. */
  url?: string;
  /** Changes to the well-formed headers (`null` removes one). */
  headers?: Record<string, string | null>;
  /** Body; default a valid cancel body on POST, none on GET/HEAD. */
  body?: string | Uint8Array | null;
  /** Send no session at all (the default is a valid session for Alice). */
  anonymous?: boolean;
  status: number;
  code: ErrorCode | null;
  upstream: Upstream;
}

const ALICE = 'p_demo_alice';
const exp = () => nowSeconds() + 3600;
const ALICE_TOKEN = forgeJwt({ payload: { sub: ALICE, exp: exp() } });
const BILAL_TOKEN = forgeJwt({ payload: { sub: 'p_demo_bilal', exp: exp() } });
const VALID_BODY = JSON.stringify({ reasonCode: 'patient_unwell' });

const cancelPath = (id: string) => `/appointments/${encodeSegment(id)}/cancel`;
const short = (text: string) => {
  const shown = JSON.stringify(text);
  return shown.length > 48 ? `${shown.slice(0, 40)}…(${text.length} chars)` : shown;
};

// ---------------------------------------------------------------------------------------------
// 1. Appointment ids the pattern refuses: 400 invalid_appointment_id before anything else, on all
//    three appointment endpoints, with or without a session.
// ---------------------------------------------------------------------------------------------
const INVALID_IDS: [label: string, id: string][] = [
  ['encoded slash', 'apt_alice_3d/cancel'],
  ['encoded slash to another patient', 'apt_alice_3d/../apt_bilal_3d'],
  ['double-encoded slash', 'apt_alice_3d%2Fcancel'],
  ['double-encoded lower-case slash', 'apt_alice_3d%2fcancel'],
  ['triple-encoded slash', 'apt_alice_3d%252Fcancel'],
  ['double-encoded letter (decoded once only)', '%61pt_bilal_3d'],
  ['double-encoded dot segment', '%2e%2e%2fapt_bilal_3d'],
  ['encoded dot segment inside', '../apt_bilal_3d'],
  ['backslash traversal', '..\\apt_bilal_3d'],
  ['trailing backslash', 'apt_alice_3d\\'],
  ['dots inside', 'apt.alice.3d'],
  ['__proto__ path', '__proto__.polluted'],
  ['__proto__ brackets', '__proto__[polluted]'],
  ['constructor.prototype', 'constructor.prototype'],
  ['NUL at the end', 'apt_alice_3d\u0000'],
  ['NUL alone', '\u0000'],
  ['NUL inside', 'apt\u0000_alice_3d'],
  ['CR LF header injection', 'apt_alice_3d\r\nX-Injected: 1'],
  ['LF', 'apt_alice_3d\n'],
  ['CR', 'apt_alice_3d\r'],
  ['tab', 'apt_alice_3d\t'],
  ['leading space', ' apt_alice_3d'],
  ['trailing space', 'apt_alice_3d '],
  ['Cyrillic а', '\u0430pt_alice_3d'],
  ['Cyrillic а inside', 'apt_\u0430lice_3d'],
  ['Greek alpha', '\u03b1pt_alice_3d'],
  ['fullwidth letters', '\uff41\uff50\uff54\uff3f\uff41\uff4c\uff49\uff43\uff45\uff3f\uff13\uff44'],
  ['fullwidth digit', 'apt_alice_\uff13d'],
  ['zero-width joiner', 'apt_alice\u200d_3d'],
  ['zero-width non-joiner', 'apt_alice\u200c_3d'],
  ['zero-width space', 'apt_alice_3d\u200b'],
  ['byte order mark', '\ufeffapt_alice_3d'],
  ['soft hyphen', 'apt_al\u00adice_3d'],
  ['combining accent', 'apt_alice_3d\u0301'],
  ['dotless i', 'apt_al\u0131ce_3d'],
  ['Kelvin sign', 'apt_alice_3\u212a'],
  ['right-to-left override', 'apt_\u202eecila_3d'],
  ['fullwidth solidus', 'apt_alice_3d\uff0fcancel'],
  ['division slash', 'apt_alice_3d\u2215cancel'],
  ['emoji', 'apt_\u{1f600}'],
  ['mathematical bold', 'apt_\u{1d41a}lice'],
  ['65 characters', 'a'.repeat(65)],
  ['10 KB id', 'apt_'.concat('x'.repeat(10 * 1024))],
  ['10 KB of dots and slashes', '../'.repeat(3414)],
  ['query inside', 'apt_alice_3d?appointmentId=apt_bilal_3d'],
  ['fragment inside', 'apt_alice_3d#x'],
  ['matrix parameter', 'apt_alice_3d;jsessionid=1'],
  ['percent sign', 'apt_alice_3d%'],
  ['encoded NUL after one decode', 'apt_alice_3d%00'],
  ['template injection', '${7*7}'],
  ['mustache injection', '{{7*7}}'],
  ['SQL injection', "' OR '1'='1"],
  ['script tag', '<script>alert(1)</script>'],
  ['shell substitution', '$(id)'],
  ['NoSQL operator', '{"$ne":null}'],
  ['absolute URL', 'https://evil.example/'],
  ['protocol-relative URL', '//evil.example'],
  ['userinfo', '@evil.example'],
  ['comma list', 'apt_alice_3d,apt_bilal_3d'],
];

const APPOINTMENT_PATHS: [label: string, method: string, path: (id: string) => string][] = [
  ['POST cancel', 'POST', cancelPath],
  ['GET appointment', 'GET', (id) => `/appointments/${encodeSegment(id)}`],
  ['GET cancellation', 'GET', (id) => `/appointments/${encodeSegment(id)}/cancellation`],
];

const idProbes: Probe[] = INVALID_IDS.flatMap(([label, id]) =>
  APPOINTMENT_PATHS.map(([where, method, path]) => ({
    name: `${where}: ${label} ${short(id)}`,
    method,
    path: path(id),
    status: 400,
    code: 'invalid_appointment_id' as const,
    upstream: 'none' as const,
  })),
);
// The id is checked first: before CSRF, size and the session.
idProbes.push(
  ...INVALID_IDS.slice(0, 12).map(([label, id]) => ({
    name: `POST cancel, no session, foreign Origin: ${label}`,
    path: cancelPath(id),
    anonymous: true,
    headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
    status: 400,
    code: 'invalid_appointment_id' as const,
    upstream: 'none' as const,
  })),
);

// Ids the pattern allows but no appointment of Alice's has: Heim is read for ownership, nothing
// else, and the answer is the same 404 as for a missing appointment.
const FOREIGN_OR_MISSING_IDS: [label: string, id: string][] = [
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
  ['prototype', 'prototype'],
  ['toString', 'toString'],
  ['hasOwnProperty', 'hasOwnProperty'],
  ['valueOf', 'valueOf'],
  ['__defineGetter__', '__defineGetter__'],
  ['null', 'null'],
  ['undefined', 'undefined'],
  ['NaN', 'NaN'],
  ['upper-case variant', 'APT_ALICE_3D'],
  ['case variant', 'apt_alice_3D'],
  ['suffix variant', 'apt_alice_3d_'],
  ['another patient’s', 'apt_bilal_3d'],
  ['another patient’s cancelled', 'apt_bilal_cancelled'],
  ['a lone dash', '-'],
  ['a lone underscore', '_'],
  ['64 characters', 'a'.repeat(64)],
];
const ownershipProbes: Probe[] = FOREIGN_OR_MISSING_IDS.flatMap(([label, id]) =>
  APPOINTMENT_PATHS.map(([where, method, path]) => ({
    name: `${where}: not Alice’s: ${label}`,
    method,
    path: path(id),
    status: 404,
    code: 'not_found' as const,
    upstream: 'no-post' as const,
  })),
);

// Paths as a client library sends them after URL normalisation.
const pathProbes: Probe[] = [
  { name: 'dot segment out to healthz', path: '/appointments/../healthz', status: 405, code: 'method_not_allowed', upstream: 'none' },
  { name: 'encoded dot segment out of appointments', path: '/appointments/%2e%2e/cancel', status: 404, code: 'not_found', upstream: 'none' },
  { name: 'single dot segment', path: '/appointments/./cancel', status: 405, code: 'method_not_allowed', upstream: 'none' },
  { name: 'encoded dot-dot after the id', path: '/appointments/apt_alice_3d/%2e%2e/cancel', status: 405, code: 'method_not_allowed', upstream: 'none' },
  { name: 'dot-dot after cancel', path: '/appointments/apt_alice_3d/cancel/..', status: 404, code: 'not_found', upstream: 'none' },
  { name: 'empty id', path: '/appointments//cancel', status: 404, code: 'not_found', upstream: 'none' },
  { name: 'trailing slash', path: '/appointments/apt_alice_3d/cancel/', status: 404, code: 'not_found', upstream: 'none' },
  { name: 'encoded slash before cancel', path: '/appointments/apt_alice_3d%2Fcancel', status: 405, code: 'method_not_allowed', upstream: 'none' },
  { name: 'encoded slash after cancel', path: '/appointments/apt_alice_3d/cancel%2F', status: 404, code: 'not_found', upstream: 'none' },
  { name: 'encoded traversal in the id', path: '/appointments/apt_alice_3d%2F..%2Fapt_bilal_3d/cancel', status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'overlong UTF-8 slash', path: '/appointments/apt_alice_3d%C0%AF..%C0%AFapt_bilal_3d/cancel', status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'malformed percent escape', path: '/appointments/%E0%A4%A/cancel', status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'bare percent', path: '/appointments/%/cancel', status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'encoded lone surrogate', path: '/appointments/%ED%A0%80/cancel', status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'encoded NUL', path: '/appointments/apt_alice_3d%00/cancel', status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'encoded CR LF', path: '/appointments/apt_alice_3d%0D%0AX-Injected:%201/cancel', status: 400, code: 'invalid_appointment_id', upstream: 'none' },
  { name: 'upper-case action', path: '/appointments/apt_alice_3d/CANCEL', status: 404, code: 'not_found', upstream: 'none' },
  { name: 'upper-case mount point', url: `${TEST_PORTAL_ORIGIN}/API/appointments/apt_alice_3d/cancel`, status: 404, code: 'not_found', upstream: 'none' },
  { name: 'no mount point', url: `${TEST_PORTAL_ORIGIN}/appointments/apt_alice_3d/cancel`, status: 404, code: 'not_found', upstream: 'none' },
  { name: 'double slash after the mount point', url: `${TEST_PORTAL_ORIGIN}/api//appointments/apt_alice_3d/cancel`, status: 404, code: 'not_found', upstream: 'none' },
  { name: 'encoded __proto__ id', path: '/appointments/%5F%5Fproto%5F%5F/cancel', status: 404, code: 'not_found', upstream: 'no-post' },
  { name: 'encoded letters do not bypass ownership', path: '/appointments/%61pt_bilal_3d/cancel', status: 404, code: 'not_found', upstream: 'no-post' },
  { name: 'query names another appointment', path: '/appointments/apt_bilal_3d/cancel?appointmentId=apt_alice_3d', status: 404, code: 'not_found', upstream: 'no-post' },
  { name: 'webhook path with a dot segment', path: '/webhooks/../appointments/apt_alice_3d', status: 405, code: 'method_not_allowed', upstream: 'none' },
];

// ---------------------------------------------------------------------------------------------
// 2. Bodies. Everything here is refused before Heim is asked anything, unless marked no-post.
// ---------------------------------------------------------------------------------------------
const utf8 = (text: string) => new TextEncoder().encode(text);
const nested = (depth: number, open: string, inner: string, close: string) => open.repeat(depth) + inner + close.repeat(depth);
const withReason = (extra: string) => `{"reasonCode":"patient_unwell",${extra}}`;

const INVALID_BODIES: [label: string, body: string | Uint8Array][] = [
  // Degenerate
  ['empty', ''],
  ['a space', ' '],
  ['a newline', '\n'],
  ['null', 'null'],
  ['true', 'true'],
  ['false', 'false'],
  ['zero', '0'],
  ['negative number', '-1'],
  ['overflowing number', '1e400'],
  ['a bare string', '"patient_unwell"'],
  ['an empty array', '[]'],
  ['an array holding a valid body', `[${VALID_BODY}]`],
  ['an empty object', '{}'],
  ['reasonCode null', '{"reasonCode":null}'],
  ['reasonCode empty', '{"reasonCode":""}'],
  ['reasonCode a number', '{"reasonCode":1}'],
  ['reasonCode an array', '{"reasonCode":["patient_unwell"]}'],
  ['reasonCode an operator object', '{"reasonCode":{"$eq":"patient_unwell"}}'],
  // Malformed
  ['an open brace', '{'],
  ['a close brace', '}'],
  ['unterminated object', '{"reasonCode":"patient_unwell"'],
  ['unterminated string', '{"reasonCode":"patient_unwell}'],
  ['trailing comma', '{"reasonCode":"patient_unwell",}'],
  ['single quotes', "{'reasonCode':'patient_unwell'}"],
  ['unquoted key', '{reasonCode:"patient_unwell"}'],
  ['trailing garbage', `${VALID_BODY} trailing`],
  ['two objects', `${VALID_BODY}{}`],
  ['trailing NUL', `${VALID_BODY}\u0000`],
  ['block comment', `/*c*/${VALID_BODY}`],
  ['line comment', '{"reasonCode":"patient_unwell" // c\n}'],
  ['NaN', '{"reasonCode":NaN}'],
  ['undefined', '{"reasonCode":undefined}'],
  ['raw control character in a string', '{"reasonCode":"patient_unwell","note":"a\u0001b"}'],
  ['two byte order marks', `\ufeff\ufeff${VALID_BODY}`],
  ['escaped NUL in the reason', '{"reasonCode":"patient_unwell\\u0000"}'],
  ['invalid UTF-8 byte', new Uint8Array([...utf8('{"reasonCode":"patient_unwell","note":"'), 0xff, ...utf8('"}')])],
  ['overlong UTF-8 quote', new Uint8Array([...utf8('{"reasonCode":"patient_unwell","note":"'), 0xc0, 0xa2, ...utf8('"}')])],
  ['CESU-8 surrogate', new Uint8Array([...utf8('{"reasonCode":"patient_unwell","note":"'), 0xed, 0xa0, 0x80, ...utf8('"}')])],
  ['truncated UTF-8 sequence', new Uint8Array([...utf8('{"reasonCode":"patient_unwell","note":"'), 0xe2, 0x82])],
  ['UTF-16LE encoded', new Uint8Array(Buffer.from(VALID_BODY, 'utf16le'))],
  ['form-encoded under a JSON type', 'reasonCode=patient_unwell'],
  ['XML under a JSON type', '<cancel><reasonCode>patient_unwell</reasonCode></cancel>'],
  // Duplicate keys: JSON.parse keeps the last, another reader may keep the first.
  ['duplicate reasonCode', '{"reasonCode":"patient_cancelled","reasonCode":"patient_unwell"}'],
  ['duplicate reasonCode hiding a forbidden one', '{"reasonCode":"organisation_cancelled","reasonCode":"patient_unwell"}'],
  ['duplicate reasonCode, same value', '{"reasonCode":"patient_unwell","reasonCode":"patient_unwell"}'],
  ['duplicate key spelt with an escape', '{"reasonCode":"patient_unwell","reason\\u0043ode":"no_longer_required"}'],
  ['duplicate note', '{"reasonCode":"patient_unwell","note":"a","note":"b"}'],
  ['duplicate acknowledgeCharge', '{"reasonCode":"patient_unwell","acknowledgeCharge":false,"acknowledgeCharge":true}'],
  ['duplicate with whitespace before the colon', '{"reasonCode" :"patient_unwell", "reasonCode"\n:"no_longer_required"}'],
  // Deeply nested
  ['5000 nested arrays in an extra key', withReason(`"x":${nested(5000, '[', '', ']')}`)],
  ['2000 nested objects as the note', `{"reasonCode":"patient_unwell","note":${nested(2000, '{"a":', '1', '}')}}`],
  ['8000 nested arrays as the body', nested(8000, '[', '', ']')],
  ['2500 nested objects as the body', nested(2500, '{"a":', 'null', '}')],
  ['nested arrays as the reason', `{"reasonCode":${nested(3000, '[', '"patient_unwell"', ']')}}`],
  // Many keys and an exactly-at-the-limit body
  ['1500 unknown keys', `{"reasonCode":"patient_unwell",${Array.from({ length: 1500 }, (_, i) => `"k${i}":1`).join(',')}}`],
  ['exactly 16 KiB, an unknown reason', `{"reasonCode":"bored"}${' '.repeat(16 * 1024 - '{"reasonCode":"bored"}'.length)}`],
  // Field overrides and extra keys
  ['cancellingEntity organisation', withReason('"cancellingEntity":"organisation"')],
  ['cancellingEntity practitioner', withReason('"cancellingEntity":"practitioner"')],
  ['cancellingEntity patient (even the right value)', withReason('"cancellingEntity":"patient"')],
  ['causingEntity platform', withReason('"causingEntity":"platform"')],
  ['causingEntity organisation', withReason('"causingEntity":"organisation"')],
  ['patientId of another patient', withReason('"patientId":"p_demo_bilal"')],
  ['appointmentId of another appointment', withReason('"appointmentId":"apt_bilal_3d"')],
  ['status', withReason('"status":"cancelled"')],
  ['idempotencyKey in the body', withReason('"idempotencyKey":"abcdefgh1234"')],
  ['an API key in the body', withReason(`"apiKey":"${TEST_HEIM_KEY}"`)],
  ['authorization in the body', withReason('"authorization":"Bearer x"')],
  ['a key with a trailing space', withReason('"reasonCode ":"no_longer_required"')],
  ['a capitalised key', withReason('"ReasonCode":"no_longer_required"')],
  ['an empty key', withReason('"":"x"')],
  ['__proto__ pollution', withReason('"__proto__":{"polluted":true,"isAdmin":true}')],
  ['__proto__ overriding the reason', withReason('"__proto__":{"reasonCode":"organisation_cancelled","cancellingEntity":"organisation"}')],
  ['__proto__ as a string', withReason('"__proto__":"x"')],
  ['__proto__ null', withReason('"__proto__":null')],
  ['constructor.prototype pollution', withReason('"constructor":{"prototype":{"polluted":true,"admin":true}}')],
  ['prototype key', withReason('"prototype":{"polluted":true}')],
  ['toString override', withReason('"toString":"x"')],
  ['hasOwnProperty override', withReason('"hasOwnProperty":1')],
  ['valueOf override', withReason('"valueOf":{}')],
  ['nested __proto__ in the note', '{"reasonCode":"patient_unwell","note":{"__proto__":{"polluted":true}}}'],
  ['__proto__ only', '{"__proto__":{"reasonCode":"patient_unwell"}}'],
  ['constructor only', '{"constructor":{"prototype":{"sub":"p_demo_bilal"}}}'],
  // Reasons a patient may never give (refused before Heim is read)
  ...(
    [
      'patient_not_present',
      'practitioner_cancelled',
      'organisation_cancelled',
      'operator_error',
      'duplicate_appointment',
      'organisation_requested_reschedule',
      'missing_organisation_provided_equipment',
      'organisation_service_issue',
      'platform_service_issue',
    ] as const
  ).map((code): [string, string] => [`a reason a patient may never give: ${code}`, JSON.stringify({ reasonCode: code, acknowledgeCharge: true })]),
  // Unknown reasons and lookalikes
  ['unknown reason', '{"reasonCode":"bored"}'],
  ['upper-case reason', '{"reasonCode":"PATIENT_UNWELL"}'],
  ['reason with a trailing space', '{"reasonCode":"patient_unwell "}'],
  ['reason with a leading space', '{"reasonCode":" patient_unwell"}'],
  ['reason with a Cyrillic а', '{"reasonCode":"p\u0430tient_unwell"}'],
  ['reason with a roman numeral l', '{"reasonCode":"patient_unwe\u217c\u217c"}'],
  ['reason with a zero-width space', '{"reasonCode":"patient_unwell\u200b"}'],
  ['reason in fullwidth', '{"reasonCode":"\uff50atient_unwell"}'],
  ['reason with an escaped NUL then text', '{"reasonCode":"patient_unwell\\u0000organisation_cancelled"}'],
  // Notes
  ['note a number', withReason('"note":123')],
  ['note true', withReason('"note":true')],
  ['note null', withReason('"note":null')],
  ['note an array', withReason('"note":["a"]')],
  ['note an object', withReason('"note":{}')],
  ['note of 501 characters', JSON.stringify({ reasonCode: 'patient_unwell', note: 'x'.repeat(501) })],
  ['note of 500 characters and an emoji', JSON.stringify({ reasonCode: 'patient_unwell', note: `${'x'.repeat(500)}\u{1f600}` })],
  ['note over the 4000-character hard limit', JSON.stringify({ reasonCode: 'patient_unwell', note: 'x'.repeat(4001) })],
  ['note of 2500 NULs with a required note', JSON.stringify({ reasonCode: 'patient_cancelled', note: '\u0000'.repeat(2500) })],
  ['note of 4000 DELs with a required note', JSON.stringify({ reasonCode: 'patient_cancelled', note: '\u007f'.repeat(4000) })],
  ['note of C1 controls with a required note', JSON.stringify({ reasonCode: 'patient_cancelled', note: '\u0085\u009b\u0090' })],
  ['note of only bidi controls with a required note', JSON.stringify({ reasonCode: 'patient_cancelled', note: '\u202e\u2066\u200f' })],
  ['note of only whitespace with a required note', JSON.stringify({ reasonCode: 'patient_cancelled', note: ' \t\r\n\u2028 ' })],
  ['note of lone surrogates with a required note', '{"reasonCode":"patient_cancelled","note":"\\udc00\\ud800 \\udfff"}'],
  ['required note missing', '{"reasonCode":"patient_cancelled"}'],
  // acknowledgeCharge
  ['acknowledgeCharge "true"', withReason('"acknowledgeCharge":"true"')],
  ['acknowledgeCharge 1', withReason('"acknowledgeCharge":1')],
  ['acknowledgeCharge "yes"', withReason('"acknowledgeCharge":"yes"')],
  ['acknowledgeCharge null', withReason('"acknowledgeCharge":null')],
  ['acknowledgeCharge []', withReason('"acknowledgeCharge":[]')],
  ['acknowledgeCharge {}', withReason('"acknowledgeCharge":{}')],
];

const bodyProbes: Probe[] = [
  ...INVALID_BODIES.map(([label, body]) => ({
    name: `body: ${label}`,
    body,
    status: 400,
    code: 'invalid_request' as const,
    upstream: 'none' as const,
  })),
  ...(
    [
      ['17 KiB note', JSON.stringify({ reasonCode: 'patient_unwell', note: 'x'.repeat(17 * 1024) })],
      ['16 KiB + 1 byte of whitespace', `${VALID_BODY}${' '.repeat(16 * 1024 + 1 - VALID_BODY.length)}`],
      ['1 MiB of nested arrays', nested(512 * 1024, '[', '', ']')],
      ['3000 nested objects (over 16 KiB)', nested(3000, '{"a":', 'null', '}')],
      ['a 64 KiB key', `{"${'k'.repeat(64 * 1024)}":1}`],
    ] as const
  ).map(([label, body]) => ({ name: `body: ${label}`, body, status: 413, code: 'payload_too_large' as const, upstream: 'none' as const })),
  // Valid shapes the service refuses once it has read Heim: never a POST.
  { name: 'body: practitioner_late before the ETA', body: '{"reasonCode":"practitioner_late"}', status: 400, code: 'invalid_request', upstream: 'no-post' },
  { name: 'body: a reason the organisation did not enable', body: '{"reasonCode":"incorrect_patient_information"}', status: 400, code: 'invalid_request', upstream: 'no-post' },
  { name: 'body: chargeable without acknowledgement', id: 'apt_alice_5h', body: VALID_BODY, status: 409, code: 'charge_acknowledgement_required', upstream: 'no-post' },
  { name: 'body: chargeable with acknowledgeCharge false', id: 'apt_alice_5h', body: withReason('"acknowledgeCharge":false'), status: 409, code: 'charge_acknowledgement_required', upstream: 'no-post' },
  { name: 'body: an appointment already cancelled', id: 'apt_alice_cancelled', body: VALID_BODY, status: 409, code: 'already_cancelled', upstream: 'no-post' },
  { name: 'body: a completed appointment', id: 'apt_alice_completed', body: VALID_BODY, status: 409, code: 'not_cancellable', upstream: 'no-post' },
];

// ---------------------------------------------------------------------------------------------
// 3. Content types: form-able ones (and none) are CSRF shapes (403), other non-JSON types are 415.
// ---------------------------------------------------------------------------------------------
const CSRF_TYPES: (string | null)[] = [
  null,
  '',
  'text/plain',
  'text/plain;charset=UTF-8',
  'TEXT/PLAIN',
  'text/plain; boundary=x',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded;charset=utf-8',
  'multipart/form-data; boundary=----x',
  'Multipart/Form-Data; boundary=x',
  ';',
  '; charset=utf-8',
];
const UNSUPPORTED_TYPES = [
  'application/xml',
  'text/xml',
  'text/html',
  'text/json',
  'text/javascript',
  'application/javascript',
  'application/json5',
  'application/jsonx',
  'application/jsonp',
  'application/x-json',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/vnd.api+json',
  'application/ld+json',
  'application/problem+json',
  'application/octet-stream',
  'application/cbor',
  'application/msgpack',
  'image/png',
  'application/*',
  '*/*',
  'application',
  'json',
  'application/json, text/plain',
  'application/x-www-form-urlencoded-json',
  'text/plainjson',
];
const typeProbes: Probe[] = [
  ...CSRF_TYPES.map((type) => ({
    name: `content type ${type === null ? '(none)' : JSON.stringify(type)} is a CSRF shape`,
    headers: { 'content-type': type },
    body: type?.includes('form-urlencoded') ? 'reasonCode=patient_unwell' : VALID_BODY,
    status: 403,
    code: 'csrf_rejected' as const,
    upstream: 'none' as const,
  })),
  ...CSRF_TYPES.slice(0, 6).map((type) => ({
    name: `content type ${type === null ? '(none)' : JSON.stringify(type)} without a session is still 403`,
    headers: { 'content-type': type },
    anonymous: true,
    status: 403,
    code: 'csrf_rejected' as const,
    upstream: 'none' as const,
  })),
  ...UNSUPPORTED_TYPES.map((type) => ({
    name: `content type ${JSON.stringify(type)} is 415`,
    headers: { 'content-type': type },
    status: 415,
    code: 'unsupported_media_type' as const,
    upstream: 'none' as const,
  })),
  ...UNSUPPORTED_TYPES.slice(0, 4).map((type) => ({
    name: `content type ${JSON.stringify(type)} without a session is 401 (session first)`,
    headers: { 'content-type': type },
    anonymous: true,
    status: 401,
    code: 'unauthenticated' as const,
    upstream: 'none' as const,
  })),
  {
    name: 'a multipart form post with a file',
    headers: { 'content-type': 'multipart/form-data; boundary=b' },
    body: '--b\r\nContent-Disposition: form-data; name="reasonCode"\r\n\r\npatient_unwell\r\n--b--\r\n',
    status: 403,
    code: 'csrf_rejected',
    upstream: 'none',
  },
];

// ---------------------------------------------------------------------------------------------
// 4. Sessions: missing, expired, tampered, wrong secret, alg tricks, kid tricks, wrong carriers.
// ---------------------------------------------------------------------------------------------
const [aliceHead, alicePayload, aliceSig] = ALICE_TOKEN.split('.') as [string, string, string];
const bilalPayload = BILAL_TOKEN.split('.')[1]!;
const flip = (text: string) => text.slice(0, -2) + (text.at(-2) === 'A' ? 'B' : 'A') + text.slice(-1);
const unsigned = (header: Record<string, unknown>, payload: Record<string, unknown> = { sub: ALICE, exp: exp() }) =>
  forgeJwt({ header, payload, signature: '' });

const BAD_TOKENS: [label: string, token: string][] = [
  ['expired', forgeJwt({ payload: { sub: ALICE, exp: nowSeconds() - 10 } })],
  ['expired long ago', forgeJwt({ payload: { sub: ALICE, exp: 1 } })],
  ['no exp', forgeJwt({ payload: { sub: ALICE } })],
  ['exp as a string', forgeJwt({ payload: { sub: ALICE, exp: String(exp()) } })],
  ['exp null', forgeJwt({ payload: { sub: ALICE, exp: null } })],
  ['not before in the future', forgeJwt({ payload: { sub: ALICE, exp: exp(), nbf: nowSeconds() + 600 } })],
  ['no sub', forgeJwt({ payload: { exp: exp() } })],
  ['sub not a patient id', forgeJwt({ payload: { sub: 'alice', exp: exp() } })],
  ['sub an empty patient id', forgeJwt({ payload: { sub: 'p_', exp: exp() } })],
  ['sub with a space', forgeJwt({ payload: { sub: 'p_demo alice', exp: exp() } })],
  ['sub with a NUL', forgeJwt({ payload: { sub: 'p_demo_alice\u0000', exp: exp() } })],
  ['sub too long', forgeJwt({ payload: { sub: `p_${'a'.repeat(65)}`, exp: exp() } })],
  ['sub a number', forgeJwt({ payload: { sub: 42, exp: exp() } })],
  ['sub an array', forgeJwt({ payload: { sub: [ALICE], exp: exp() } })],
  ['sub an object', forgeJwt({ payload: { sub: { id: ALICE }, exp: exp() } })],
  ['payload a JSON array', `${aliceHead}.${Buffer.from('[1]').toString('base64url')}.${aliceSig}`],
  ['payload swapped for another patient', `${aliceHead}.${bilalPayload}.${aliceSig}`],
  ['signature flipped', `${aliceHead}.${alicePayload}.${flip(aliceSig)}`],
  ['signature removed', `${aliceHead}.${alicePayload}.`],
  ['signature of another token', `${aliceHead}.${alicePayload}.${BILAL_TOKEN.split('.')[2]}`],
  ['truncated', ALICE_TOKEN.slice(0, -10)],
  ['two segments', `${aliceHead}.${alicePayload}`],
  ['four segments', `${ALICE_TOKEN}.x`],
  ['five segments (JWE shape)', `${aliceHead}.a.b.c.d`],
  ['wrong secret', forgeJwt({ secret: 'another-secret-0123456789abcdefghijkl' })],
  ['secret off by one character', forgeJwt({ secret: `${TEST_SESSION_SECRET.slice(0, -1)}x` })],
  ['the Heim key as the secret', forgeJwt({ secret: TEST_HEIM_KEY })],
  ['an empty secret', forgeJwt({ secret: '' })],
  ['alg none, no signature', unsigned({ alg: 'none', typ: 'JWT' })],
  ['alg None, no signature', unsigned({ alg: 'None' })],
  ['alg NONE, no signature', unsigned({ alg: 'NONE' })],
  ['alg none with a real signature', forgeJwt({ header: { alg: 'none' } })],
  ['no alg', forgeJwt({ header: { typ: 'JWT' } })],
  ['alg empty', forgeJwt({ header: { alg: '' } })],
  ['HS512 with the real secret', forgeJwt({ header: { alg: 'HS512', typ: 'JWT' }, hash: 'sha512' })],
  ['HS384 with the real secret', forgeJwt({ header: { alg: 'HS384', typ: 'JWT' }, hash: 'sha384' })],
  ['RS256 header, HMAC signature (alg confusion)', forgeJwt({ header: { alg: 'RS256', typ: 'JWT' } })],
  ['ES256 header, HMAC signature', forgeJwt({ header: { alg: 'ES256', typ: 'JWT' } })],
  ['PS256 header', forgeJwt({ header: { alg: 'PS256' } })],
  ['EdDSA header', forgeJwt({ header: { alg: 'EdDSA' } })],
  ['kid path traversal signed with an empty key', forgeJwt({ header: { alg: 'HS256', kid: '../../../../../../dev/null' }, secret: '' })],
  ['kid SQL injection signed with its own output', forgeJwt({ header: { alg: 'HS256', kid: "x' UNION SELECT 'attacker'--" }, secret: 'attacker' })],
  ['kid naming a public file', forgeJwt({ header: { alg: 'HS256', kid: '/proc/self/environ' }, secret: 'x' })],
  ['jku pointing elsewhere', forgeJwt({ header: { alg: 'HS256', jku: 'https://evil.example/jwks.json', kid: 'k' }, secret: 'attacker' })],
  ['x5u pointing elsewhere', forgeJwt({ header: { alg: 'HS256', x5u: 'https://evil.example/cert.pem' }, secret: 'attacker' })],
  ['embedded jwk with the attacker’s key', forgeJwt({ header: { alg: 'HS256', jwk: { kty: 'oct', k: Buffer.from('attacker').toString('base64url') } }, secret: 'attacker' })],
  ['unknown crit header, real secret', forgeJwt({ header: { alg: 'HS256', crit: ['exp'], exp: 1 } })],
  ['crit b64 false, real secret', forgeJwt({ header: { alg: 'HS256', b64: false, crit: ['b64'] } })],
  ['header not JSON', `${Buffer.from('{"alg":"HS256"').toString('base64url')}.${alicePayload}.${aliceSig}`],
  ['base64 with padding', `${aliceHead}=.${alicePayload}.${aliceSig}`],
  ['the Heim key as a token', TEST_HEIM_KEY],
  ['a random word', 'letmein'],
  ['10 KB of dots', '.'.repeat(10 * 1024)],
];

type Carrier = [label: string, headers: (token: string) => Record<string, string>];
const CARRIERS: Carrier[] = [
  ['Bearer', (token) => ({ authorization: `Bearer ${token}` })],
  ['cookie', (token) => ({ cookie: `portal_session=${token}` })],
];
const sessionProbes: Probe[] = [
  { name: 'no session at all', anonymous: true, status: 401, code: 'unauthenticated', upstream: 'none' },
  ...BAD_TOKENS.flatMap(([label, token]) =>
    CARRIERS.map(([carrier, headers]) => ({
      name: `session (${carrier}): ${label}`,
      anonymous: true,
      headers: headers(token),
      status: 401,
      code: 'unauthenticated' as const,
      upstream: 'none' as const,
    })),
  ),
  ...BAD_TOKENS.slice(0, 10).map(([label, token]) => ({
    name: `GET appointment, session: ${label}`,
    method: 'GET',
    path: '/appointments/apt_alice_3d',
    anonymous: true,
    headers: { authorization: `Bearer ${token}` },
    status: 401,
    code: 'unauthenticated' as const,
    upstream: 'none' as const,
  })),
  ...(
    [
      ['an invalid Bearer beside a valid cookie', { authorization: 'Bearer not.a.token', cookie: `portal_session=${ALICE_TOKEN}` }],
      ['an expired Bearer beside a valid cookie', { authorization: `Bearer ${BAD_TOKENS[0]![1]}`, cookie: `portal_session=${ALICE_TOKEN}` }],
      ['two Bearer tokens', { authorization: `Bearer ${ALICE_TOKEN}, Bearer ${ALICE_TOKEN}` }],
      ['Bearer with two spaces', { authorization: `Bearer  ${ALICE_TOKEN}` }],
      ['Bearer with a suffix', { authorization: `Bearer ${ALICE_TOKEN}x` }],
      ['token with no scheme', { authorization: ALICE_TOKEN }],
      ['Token scheme', { authorization: `Token ${ALICE_TOKEN}` }],
      ['JWT scheme', { authorization: `JWT ${ALICE_TOKEN}` }],
      ['Basic credentials', { authorization: `Basic ${Buffer.from(`${ALICE}:password`).toString('base64')}` }],
      ['the Heim key as Bearer', { authorization: `Bearer ${TEST_HEIM_KEY}` }],
      ['the Heim key raw', { authorization: TEST_HEIM_KEY }],
      ['the session secret as Bearer', { authorization: `Bearer ${TEST_SESSION_SECRET}` }],
      ['a cookie of another name', { cookie: `portal_session_old=${ALICE_TOKEN}` }],
      ['a cookie name in another case', { cookie: `Portal_Session=${ALICE_TOKEN}` }],
      ['a quoted cookie', { cookie: `portal_session="${ALICE_TOKEN}"` }],
      ['a cookie name as a prefix', { cookie: `xportal_session=${ALICE_TOKEN}` }],
      ['an empty cookie before nothing', { cookie: 'portal_session=' }],
      ['a session header of our own invention', { 'x-portal-session': ALICE_TOKEN, 'x-session': ALICE_TOKEN }],
      ['an identity header', { 'x-patient-id': ALICE, 'x-authenticated-user': ALICE, 'remote-user': ALICE, 'x-user-id': ALICE }],
    ] as const
  ).map(([label, headers]) => ({
    name: `carrier: ${label}`,
    anonymous: true,
    headers: { ...headers },
    status: 401,
    code: 'unauthenticated' as const,
    upstream: 'none' as const,
  })),
  { name: 'session in the query string', anonymous: true, path: `/appointments/apt_alice_3d/cancel?token=${ALICE_TOKEN}&portal_session=${ALICE_TOKEN}`, status: 401, code: 'unauthenticated', upstream: 'none' },
  // Valid sessions of other patients: the appointment answers as missing.
  { name: 'another patient’s valid session', headers: { authorization: `Bearer ${BILAL_TOKEN}` }, status: 404, code: 'not_found', upstream: 'no-post' },
  { name: 'another patient’s valid cookie', headers: { authorization: null, cookie: `portal_session=${BILAL_TOKEN}` }, status: 404, code: 'not_found', upstream: 'no-post' },
  { name: 'a valid session of an unknown patient', headers: { authorization: `Bearer ${forgeJwt({ payload: { sub: 'p_nobody', exp: exp() } })}` }, status: 404, code: 'not_found', upstream: 'no-post' },
  { name: 'GET another patient’s appointment', method: 'GET', path: '/appointments/apt_alice_3d', headers: { authorization: `Bearer ${BILAL_TOKEN}` }, status: 404, code: 'not_found', upstream: 'no-post' },
];

// ---------------------------------------------------------------------------------------------
// 5. CSRF shapes: each alone is refused (the rest of the request is well-formed and signed in).
// ---------------------------------------------------------------------------------------------
const FOREIGN_ORIGINS = [
  'https://evil.example',
  'null',
  'http://portal.test.evil.example',
  'http://evil.example.portal.test',
  'http://sub.portal.test',
  'http://portal.testevil',
  'https://portal.test',
  'http://portal.test:8080',
  'http://portal.test:80',
  'http://portal.test/',
  'http://PORTAL.TEST',
  'http://portal.test.',
  'http://portal.test, https://evil.example',
  'https://evil.example, http://portal.test',
  'http://portal.test@evil.example',
  'file://',
  'chrome-extension://abcdefghijklmnop',
  'http://127.0.0.1',
  'http://[::1]',
  'http://localhost',
  '*',
  'undefined',
];
const csrfProbes: Probe[] = [
  { name: 'no X-Requested-With', headers: { 'x-requested-with': null }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'empty X-Requested-With', headers: { 'x-requested-with': '' }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'blank X-Requested-With', headers: { 'x-requested-with': '   ' }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  ...FOREIGN_ORIGINS.map((origin) => ({
    name: `Origin ${JSON.stringify(origin)}`,
    headers: { origin },
    status: 403,
    code: 'csrf_rejected' as const,
    upstream: 'none' as const,
  })),
  ...['cross-site', 'CROSS-SITE', 'Cross-Site', ' cross-site '].map((value) => ({
    name: `Sec-Fetch-Site ${JSON.stringify(value)}`,
    headers: { 'sec-fetch-site': value },
    status: 403,
    code: 'csrf_rejected' as const,
    upstream: 'none' as const,
  })),
  { name: 'cross-site fetch without Origin', headers: { origin: null, 'sec-fetch-site': 'cross-site' }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  {
    name: 'classic form post: urlencoded, no X-Requested-With, foreign Origin',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': null, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    body: 'reasonCode=patient_unwell',
    status: 403,
    code: 'csrf_rejected',
    upstream: 'none',
  },
  {
    name: 'text/plain JSON smuggled from a form',
    headers: { 'content-type': 'text/plain', 'x-requested-with': null, origin: 'null' },
    body: '{"reasonCode":"patient_unwell","x":"=}',
    status: 403,
    code: 'csrf_rejected',
    upstream: 'none',
  },
  // CSRF is checked before the declared size and the session.
  { name: 'foreign Origin and a 10 MB declared body', headers: { origin: 'https://evil.example', 'content-length': String(10 * 1024 * 1024) }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'foreign Origin and no session', anonymous: true, headers: { origin: 'https://evil.example' }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'null Origin and an expired session', anonymous: true, headers: { origin: 'null', authorization: `Bearer ${BAD_TOKENS[0]![1]}` }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'no X-Requested-With and no session', anonymous: true, headers: { 'x-requested-with': null }, status: 403, code: 'csrf_rejected', upstream: 'none' },
];

// ---------------------------------------------------------------------------------------------
// 6. Header spoofing: nothing a client sends stands in for a session, an origin or a method.
// ---------------------------------------------------------------------------------------------
const SPOOFS: [label: string, headers: Record<string, string>][] = [
  ['X-Forwarded-For loopback', { 'x-forwarded-for': '127.0.0.1' }],
  ['X-Forwarded-For chain', { 'x-forwarded-for': '127.0.0.1, 10.0.0.1' }],
  ['X-Real-IP', { 'x-real-ip': '127.0.0.1' }],
  ['X-Forwarded-Host', { 'x-forwarded-host': 'portal.test' }],
  ['X-Forwarded-Proto', { 'x-forwarded-proto': 'https' }],
  ['Forwarded', { forwarded: 'for=127.0.0.1;host=portal.test;proto=https' }],
  ['x-middleware-subrequest', { 'x-middleware-subrequest': 'middleware' }],
  ['x-middleware-subrequest repeated', { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' }],
  ['x-middleware-subrequest src path', { 'x-middleware-subrequest': 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware' }],
  ['x-middleware-subrequest pages', { 'x-middleware-subrequest': 'pages/_middleware' }],
  ['X-Original-URL', { 'x-original-url': '/api/healthz' }],
  ['X-Rewrite-URL', { 'x-rewrite-url': '/api/healthz' }],
  ['X-HTTP-Method-Override', { 'x-http-method-override': 'GET' }],
  ['X-Method-Override', { 'x-method-override': 'GET' }],
  ['X-Authenticated-User', { 'x-authenticated-user': ALICE }],
  ['X-Forwarded-User', { 'x-forwarded-user': ALICE }],
  ['X-Remote-User', { 'x-remote-user': ALICE }],
  ['X-Internal', { 'x-internal': 'true', 'x-debug': '1' }],
  ['X-Heim-Key', { 'x-heim-key': TEST_HEIM_KEY }],
];
const spoofProbes: Probe[] = [
  ...SPOOFS.map(([label, headers]) => ({
    name: `spoof without a session: ${label}`,
    anonymous: true,
    headers,
    status: 401,
    code: 'unauthenticated' as const,
    upstream: 'none' as const,
  })),
  ...SPOOFS.map(([label, headers]) => ({
    name: `spoof with a foreign Origin: ${label}`,
    headers: { ...headers, origin: 'https://evil.example' },
    status: 403,
    code: 'csrf_rejected' as const,
    upstream: 'none' as const,
  })),
  { name: 'Host header of the attacker with a matching Origin', headers: { host: 'evil.example', origin: 'http://evil.example' }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'X-Forwarded-Host of the attacker with a matching Origin', headers: { 'x-forwarded-host': 'evil.example', origin: 'http://evil.example' }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'request URL on the attacker’s host with a matching Origin', url: 'http://evil.example/api/appointments/apt_alice_3d/cancel', headers: { origin: 'http://evil.example' }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'request URL on a loopback host with a matching Origin', url: 'http://127.0.0.1/api/appointments/apt_alice_3d/cancel', headers: { origin: 'http://127.0.0.1' }, status: 403, code: 'csrf_rejected', upstream: 'none' },
  { name: 'GET with X-HTTP-Method-Override: POST on cancel', method: 'GET', headers: { 'x-http-method-override': 'POST' }, status: 405, code: 'method_not_allowed', upstream: 'none' },
  { name: 'GET with _method=POST on cancel', method: 'GET', path: '/appointments/apt_alice_3d/cancel?_method=POST', status: 405, code: 'method_not_allowed', upstream: 'none' },
];

// ---------------------------------------------------------------------------------------------
// 7. Idempotency keys, declared sizes and the order of checks.
// ---------------------------------------------------------------------------------------------
const BAD_KEYS: [label: string, key: string | null][] = [
  ['missing', null],
  ['empty', ''],
  ['7 characters', 'abcdefg'],
  ['129 characters', 'k'.repeat(129)],
  ['with spaces', 'abc def ghi'],
  ['with a slash', 'abcd/efgh/ijkl'],
  ['with dots', '../../etc/passwd'],
  ['latin-1 letters', 'cl\u00e9_cl\u00e9_cl\u00e9'],
  ['two keys', 'abcdefgh1, abcdefgh2'],
  ['a JSON object', '{"key":"abcdefgh"}'],
];
const keyProbes: Probe[] = BAD_KEYS.map(([label, key]) => ({
  name: `Idempotency-Key ${label}`,
  headers: { 'idempotency-key': key },
  status: 400,
  code: 'missing_idempotency_key' as const,
  upstream: 'none' as const,
}));

const sizeProbes: Probe[] = [
  ...['16385', '20000', String(10 * 1024 * 1024), '99999999999999999999999', '0016385'].map((length) => ({
    name: `declared Content-Length ${length}`,
    headers: { 'content-length': length },
    status: 413,
    code: 'payload_too_large' as const,
    upstream: 'none' as const,
  })),
  { name: 'declared 10 MB without a session (size before session)', anonymous: true, headers: { 'content-length': String(10 * 1024 * 1024) }, status: 413, code: 'payload_too_large', upstream: 'none' },
  { name: 'declared 10 MB with an XML type (size before type)', headers: { 'content-length': String(10 * 1024 * 1024), 'content-type': 'application/xml' }, status: 413, code: 'payload_too_large', upstream: 'none' },
  { name: 'no session and an XML type (session before type)', anonymous: true, headers: { 'content-type': 'application/xml' }, status: 401, code: 'unauthenticated', upstream: 'none' },
  { name: 'XML type and no key (type before key)', headers: { 'content-type': 'application/xml', 'idempotency-key': null }, status: 415, code: 'unsupported_media_type', upstream: 'none' },
  { name: 'no key and a broken body (key before body)', headers: { 'idempotency-key': null }, body: '{', status: 400, code: 'missing_idempotency_key', upstream: 'none' },
  { name: 'no session and a broken body (session before body)', anonymous: true, body: '{', status: 401, code: 'unauthenticated', upstream: 'none' },
];

// ---------------------------------------------------------------------------------------------
// 8. Other methods on every path (TRACE, TRACK and CONNECT need raw HTTP: raw-http.test.ts).
// ---------------------------------------------------------------------------------------------
const ROUTES: [path: string, allow: string][] = [
  ['/healthz', 'GET, HEAD'],
  ['/appointments/apt_alice_3d', 'GET, HEAD'],
  ['/appointments/apt_alice_3d/cancellation', 'GET, HEAD'],
  ['/appointments/apt_alice_3d/cancel', 'POST'],
  ['/webhooks/heim', 'POST'],
];
const OTHER_METHODS = ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'PURGE', 'LINK', 'SEARCH', 'FOO'];
const methodProbes: Probe[] = ROUTES.flatMap(([path, allow]) => {
  const wrong = [...OTHER_METHODS, allow === 'POST' ? 'GET' : 'POST'];
  return wrong.flatMap((method) =>
    [false, true].map((anonymous) => ({
      name: `${method} ${path}${anonymous ? ' (no session)' : ''}`,
      method,
      path,
      anonymous,
      headers: { ...goodStatic(), ...(method === 'OPTIONS' ? { 'access-control-request-method': 'POST', origin: 'https://evil.example' } : {}) },
      body: method === 'GET' ? null : VALID_BODY,
      status: 405,
      code: 'method_not_allowed' as const,
      upstream: 'none' as const,
    })),
  );
});
methodProbes.push(
  { name: 'HEAD on cancel', method: 'HEAD', status: 405, code: null, upstream: 'none' },
  { name: 'HEAD on the webhook', method: 'HEAD', path: '/webhooks/heim', status: 405, code: null, upstream: 'none' },
);
function goodStatic(): Record<string, string> {
  return { 'content-type': 'application/json', 'x-requested-with': 'heim-cancel-widget', origin: TEST_PORTAL_ORIGIN, 'idempotency-key': 'method_probe_key' };
}

const GROUPS: [string, Probe[]][] = [
  ['appointment ids', idProbes],
  ['ids the pattern allows but Alice does not own', ownershipProbes],
  ['normalised paths', pathProbes],
  ['bodies', bodyProbes],
  ['content types', typeProbes],
  ['sessions', sessionProbes],
  ['CSRF', csrfProbes],
  ['header spoofing', spoofProbes],
  ['idempotency keys, sizes and order of checks', [...keyProbes, ...sizeProbes]],
  ['other methods', methodProbes],
];
const CORPUS_SIZE = GROUPS.reduce((sum, [, probes]) => sum + probes.length, 0);

// ---------------------------------------------------------------------------------------------

let backend: TestBackend;
let prototypesBefore: Record<string, string[]>;

beforeAll(async () => {
  prototypesBefore = prototypeSnapshot();
  backend = await createSecurityBackend();
});

function buildRequest(probe: Probe): Request {
  const method = probe.method ?? 'POST';
  const headers = new Headers(method === 'POST' ? goodPostHeaders() : {});
  if (!probe.anonymous) headers.set('authorization', `Bearer ${ALICE_TOKEN}`);
  for (const [name, value] of Object.entries(probe.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  const url = probe.url ?? `${TEST_PORTAL_ORIGIN}/api${probe.path ?? cancelPath(probe.id ?? 'apt_alice_3d')}`;
  const canHaveBody = method !== 'GET' && method !== 'HEAD';
  const body = probe.body === undefined ? (canHaveBody ? VALID_BODY : null) : probe.body;
  return new Request(url, { method, headers, ...(canHaveBody && body !== null ? { body: body as BodyInit } : {}) });
}

describe('the attack corpus', () => {
  it(`holds at least 250 cases (it holds ${CORPUS_SIZE})`, () => {
    expect(CORPUS_SIZE).toBeGreaterThanOrEqual(250);
    const names = GROUPS.flatMap(([, probes]) => probes.map((probe) => probe.name));
    expect(new Set(names).size).toBe(names.length);
  });

  for (const [group, probes] of GROUPS) {
    describe(group, () => {
      it.each(probes.map((probe) => [probe.name, probe] as const))('%s', async (_name, probe) => {
        const { result: response, calls } = await upstreamDuring(backend, () => backend.handler(buildRequest(probe)));
        await expectRefusal(response, probe, calls);
        if (probe.code === 'method_not_allowed') {
          const allow = response.headers.get('allow') ?? '';
          expect(allow === 'GET, HEAD' || allow === 'POST').toBe(true);
        }
      });
    });
  }

  // Tests in a file run in order: these see the whole corpus behind them.
  it('cancelled nothing and sent Heim no POST, over the whole corpus', () => {
    expect(backend.simulator.ledger.length).toBeGreaterThan(0);
    expect(backend.simulator.ledger.filter((entry) => entry.method !== 'GET')).toEqual([]);
    for (const id of ['apt_alice_3d', 'apt_alice_5h', 'apt_alice_30m_ago', 'apt_bilal_3d']) {
      expect(backend.simulator.getAppointment(id)?.status, id).toBe('scheduled');
    }
  });

  it('polluted no prototype (__proto__, constructor.prototype and friends)', () => {
    expectNoPollution(prototypesBefore);
  });

  it('logged no secret, token or signature', () => {
    // (Refusals are mostly not logged at all; whatever was logged must hold none of these.)
    const logged = JSON.stringify(backend.logs);
    for (const secret of [TEST_HEIM_KEY, TEST_SESSION_SECRET, ALICE_TOKEN, aliceSig]) expect(logged).not.toContain(secret);
  });
});

afterAll(() => backend.close());
