/**
 * The options of the embedded handler, validated once when it is created. The standalone bin
 * builds the same options from environment variables (config.ts), so both paths share one check.
 */
import type { IncomingMessage } from 'node:http';
import * as z from 'zod';
import { DEFAULT_CHARGE_WINDOW_HOURS } from '../core/charge';
import { DEFAULT_NOTE_MAX_LENGTH, HEIM_NOTE_MAX_LENGTH, NOTE_MAX_LENGTH_LIMIT } from '../core/note';
import {
  DEFAULT_PATIENT_REASON_CODES,
  DEFAULT_PRACTITIONER_LATE_AFTER_MINUTES,
  PATIENT_ELIGIBLE_REASON_CODES,
  type PatientReasonCode,
} from '../core/reasons';
import { closestName } from './closest-name';
import type { Logger } from './logger';
import type { Authenticate } from './portal-authenticate';
import { webhookSecretSchema } from './webhook-assumptions';

export interface HeimOptions {
  /** Heim's base URL including `/v1`; `https:` unless the host is loopback. */
  baseUrl: string;
  /** The organisation's key (`test_...` or `live_...`). Never leaves the server. */
  apiKey: string;
  /** Per-request timeout towards Heim in ms. Default 8000. */
  timeoutMs?: number;
  /** The fetch used to reach Heim (tests route it to the simulator in process). Default global fetch. */
  fetch?: typeof fetch;
}

/**
 * `NodeRequest` types the `nodeRequest` that `authenticate` receives under Node adapters:
 * `createCancelHandler<express.Request>(…)` for Express's `req` with its session.
 */
export interface CancelHandlerOptions<NodeRequest extends IncomingMessage = IncomingMessage> {
  heim: HeimOptions;
  /** Signs and verifies patient sessions (HS256), at least 32 bytes. Required unless `authenticate` is given. */
  sessionSecret?: string;
  /**
   * Reuse the portal's own session: return the patient's Heim id (`{ patientId: 'p_…' }`), or null
   * when signed out. Its second argument holds Node's request (`{ nodeRequest }`) under
   * `toNodeListener` and the bin's server, for a session kept there (`req.session`, `req.user`).
   */
  authenticate?: Authenticate<NodeRequest>;
  /**
   * Verifies Heim's webhooks (Standard Webhooks, `whsec_` + base64 of at least 24 bytes) on
   * `POST {basePath}/webhooks/heim`. Default unset: the route is off and answers 404 like any unknown path.
   */
  webhookSecret?: string;
  /**
   * Opt-in: refuse a session (of `sessionSecret`) whose `exp` is more than this many seconds ahead,
   * such as a token minted to last for years. Measured from now, so `iat` is not required. Default
   * unset: the contract requires only `sub` and `exp`, and a portal may mint its own tokens.
   */
  sessionMaxLifetimeSeconds?: number;
  /**
   * Opt-in: require this `aud` in sessions (of `sessionSecret`), so a token the portal signs for
   * another service with the same secret is refused. Mint with `createPatientSession({ audience })`.
   * Default unset: `aud` is not checked.
   */
  sessionAudience?: string;
  /** Origins allowed to POST. Default: the proxy's own origin. */
  allowedOrigins?: readonly string[];
  /** Hours before the ETA in which cancelling may be charged. Default 24. */
  chargeWindowHours?: number;
  /** Narrows the patient reasons (must be patient-eligible). Default: the four "always" codes and practitioner_late. */
  reasonCodes?: readonly PatientReasonCode[];
  /** Minutes after the ETA before practitioner_late is offered. Default 15. */
  practitionerLateAfterMinutes?: number;
  /**
   * Longest patient note, in characters after cleaning. Default 500; at most 896
   * (`NOTE_MAX_LENGTH_LIMIT`), so the note Heim receives, the reason and the patient's words
   * quoted, fits the 2000 characters Heim is assumed to accept.
   */
  noteMaxLength?: number;
  /** The zone appointment times are shown in. Default Europe/London. */
  timeZone?: string;
  /** Where the handler is mounted. Default `/api`. */
  basePath?: string;
  /** Cancel attempts allowed per patient session in `windowMs`. Default 10 per minute. */
  rateLimit?: { max: number; windowMs: number };
  /**
   * Reads (`GET /appointments/{id}` and `…/cancellation`, each one Heim call) allowed per patient in
   * `windowMs`, apart from the cancel limit. Default 300 per minute: many times what a widget asks
   * with several tabs and dialogs open (one read per 30 s per open dialog, pending polls backing
   * off from 2 s to 30 s), and it stops one session from spending the organisation's Heim key.
   */
  readRateLimit?: { max: number; windowMs: number };
  /** Structured log sink. Default: JSON lines on stdout/stderr. */
  logger?: Logger;
  /** Clock in epoch ms, for tests. Default Date.now. */
  now?: () => number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export const heimBaseUrlSchema = z
  // Missing is the likelier mistake (an unset environment variable read into the options), and
  // "must be a URL" would send the developer to check a value that is not there.
  .url({ error: (issue) => (issue.input === undefined ? 'required, e.g. https://api.heim.health/v1' : 'must be a URL'), abort: true })
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  }, 'must be https: unless the host is loopback')
  // Paths are appended to it (`/appointments/{id}`), so without the version every call is a 404
  // that would only show up when a patient first opened the dialog.
  .refine((value) => {
    const url = new URL(value);
    return /\/v\d+\/*$/.test(url.pathname) && url.search === '' && url.hash === '';
  }, 'must end with the API version path, e.g. https://api.heim.health/v1, with no query or fragment')
  .transform((value) => value.replace(/\/+$/, ''));

export const heimApiKeySchema = z
  .string({ error: (issue) => (issue.input === undefined ? "required: the organisation's Heim key, test_… or live_…" : 'must be a string') })
  .regex(/^(test|live)_[A-Za-z0-9_-]+$/, 'must start with test_ or live_ followed by letters, digits, _ or -');

export const sessionSecretSchema = z
  .string()
  .refine((value) => new TextEncoder().encode(value).byteLength >= 32, 'must be at least 32 bytes');

/** At least a minute (the widget's page outlives that), at most a year. */
export const sessionMaxLifetimeSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(60, 'must be at least 60 seconds')
  .max(366 * 24 * 60 * 60, 'must be at most 31622400 seconds (a year)');

// Printable ASCII without spaces: what an `aud` is in practice (a URL, a service name).
export const sessionAudienceSchema = z.string().regex(/^[\x21-\x7e]{1,256}$/, 'must be 1 to 256 printable characters without spaces');

export const reasonCodesSchema = z
  .array(z.enum(PATIENT_ELIGIBLE_REASON_CODES, { message: 'must list only patient-eligible reason codes' }))
  .min(1, 'must list at least one reason');

const ORIGIN_EXAMPLE = 'must be an origin such as https://portal.example.org';

/**
 * What an origin-like value lacks, or undefined when it is an origin. Copied from the address bar,
 * an origin often keeps its trailing slash or a path; the browser's `Origin` header never has
 * either, so such an entry would refuse every POST as csrf_rejected.
 */
function originProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ORIGIN_EXAMPLE;
  }
  if (url.origin === value) return undefined;
  if (url.origin === 'null') return ORIGIN_EXAMPLE;
  if (`${url.origin}/` === value) return `${ORIGIN_EXAMPLE}: remove the trailing slash`;
  return `${ORIGIN_EXAMPLE}: scheme, host and port only (remove the path, query or fragment)`;
}

export const originSchema = z.string().check((ctx) => {
  const problem = originProblem(ctx.value);
  if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

/**
 * A function option, checked for being callable when the handler is made: a string or an object
 * given by mistake would otherwise fail only on the first patient's request, as a 500.
 */
const functionOption = <T>(shape: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `must be a function ${shape}` }).optional();

// Strict objects throughout: an unknown key is a typo (`allowedOrigin`) whose option would
// otherwise silently keep its default.
const heimSchema = z.strictObject(
  {
    baseUrl: heimBaseUrlSchema,
    apiKey: heimApiKeySchema,
    timeoutMs: z.number().int().min(100).max(120_000).default(8000),
    fetch: functionOption<typeof fetch>('like the global fetch'),
  },
  {
    error: (issue) =>
      issue.code !== 'invalid_type'
        ? undefined
        : issue.input === undefined
          ? "required: { baseUrl: 'https://api.heim.health/v1', apiKey: 'live_…' }"
          : 'must be an object { baseUrl, apiKey }',
  },
);

export const DEFAULT_READ_RATE_LIMIT_PER_MINUTE = 300;

const rateLimitSchema = z.strictObject({ max: z.number().int().positive(), windowMs: z.number().int().positive() });

const optionsSchema = z.strictObject(
  {
    heim: heimSchema,
    sessionSecret: sessionSecretSchema.optional(),
    sessionMaxLifetimeSeconds: sessionMaxLifetimeSchema.optional(),
    sessionAudience: sessionAudienceSchema.optional(),
    authenticate: functionOption<Authenticate>('(request) => ({ patientId }) or null, or a promise of it'),
    webhookSecret: webhookSecretSchema.optional(),
    allowedOrigins: z.array(originSchema).optional(),
    chargeWindowHours: z.number().positive().max(24 * 14).default(DEFAULT_CHARGE_WINDOW_HOURS),
    reasonCodes: reasonCodesSchema.default([...DEFAULT_PATIENT_REASON_CODES]),
    practitionerLateAfterMinutes: z.number().min(0).max(24 * 60).default(DEFAULT_PRACTITIONER_LATE_AFTER_MINUTES),
    noteMaxLength: z
      .number()
      .int()
      .min(1)
      // Above it, a note of quotes or emoji would make the composed note longer than Heim accepts:
      // Heim would refuse the cancel with a 400 and every "Try again" the same way.
      .max(
        NOTE_MAX_LENGTH_LIMIT,
        `must be at most ${NOTE_MAX_LENGTH_LIMIT}: the note sent to Heim holds the reason and the patient's words quoted (where " and emoji count twice) within Heim's ${HEIM_NOTE_MAX_LENGTH} characters`,
      )
      .default(DEFAULT_NOTE_MAX_LENGTH),
    timeZone: z
      .string()
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-GB', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone')
      .default('Europe/London'),
    basePath: z
      .string()
      .regex(/^(\/[A-Za-z0-9_.-]+)*$/, 'must look like /api')
      .default('/api'),
    rateLimit: rateLimitSchema.default({ max: 10, windowMs: 60_000 }),
    readRateLimit: rateLimitSchema.default({ max: DEFAULT_READ_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 }),
    logger: functionOption<Logger>('(entry) => void'),
    now: functionOption<() => number>('() => epoch milliseconds'),
  },
  {
    error: (issue) => (issue.code === 'invalid_type' ? 'must be an object { heim, authenticate or sessionSecret, … }' : undefined),
  },
);

/** Every option name, dotted for the nested ones: what an unknown name is compared with. */
const NESTED_OPTION_NAMES: Readonly<Record<string, readonly string[]>> = {
  heim: Object.keys(heimSchema.shape).map((key) => `heim.${key}`),
  rateLimit: Object.keys(rateLimitSchema.shape).map((key) => `rateLimit.${key}`),
  readRateLimit: Object.keys(rateLimitSchema.shape).map((key) => `readRateLimit.${key}`),
};
const TOP_LEVEL_OPTION_NAMES = Object.keys(optionsSchema.shape);

type ParsedOptions = z.output<typeof optionsSchema>;

export type ResolvedOptions = Omit<ParsedOptions, 'heim' | 'authenticate' | 'logger' | 'now'> & {
  heim: Omit<ParsedOptions['heim'], 'fetch'> & { fetch: typeof fetch };
  authenticate: Authenticate | undefined;
  logger: Logger | undefined;
  now: () => number;
};

/**
 * The one line a developer reads. An unknown key is reported before anything else: a misspelt
 * `heim.baseURL` also leaves `heim.baseUrl` missing, and the typo is the cause.
 */
function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const unknown = issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown !== undefined && unknown.code === 'unrecognized_keys') {
    const parent = unknown.path.map(String);
    const key = unknown.keys[0]!;
    // At the top level, a nested option given one level too high (`apiKey`) is suggested in place.
    const candidates =
      parent.length === 0 ? [...TOP_LEVEL_OPTION_NAMES, ...Object.values(NESTED_OPTION_NAMES).flat()] : (NESTED_OPTION_NAMES[parent.join('.')] ?? []);
    const suggestion = closestName(key, candidates);
    return `${[...parent, key].join('.')}: unknown option${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`;
  }
  const issue = issues[0]!;
  return `${issue.path.length === 0 ? 'options' : issue.path.join('.')}: ${issue.message}`;
}

/** Validates options; throws an Error naming the first bad option (never echoing its value). */
export function resolveOptions(options: CancelHandlerOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`Invalid cancel handler option ${describeIssue(parsed.error.issues)}`);
  const { heim, authenticate, logger, now, ...rest } = parsed.data;
  if (!rest.sessionSecret && !authenticate) {
    throw new Error('Invalid cancel handler option sessionSecret: required unless authenticate is given');
  }
  return {
    ...rest,
    heim: { ...heim, fetch: heim.fetch ?? globalThis.fetch.bind(globalThis) },
    authenticate,
    logger,
    now: now ?? Date.now,
  };
}
