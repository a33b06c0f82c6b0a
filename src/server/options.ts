/**
 * The options of the embedded handler, validated once when it is created. The standalone bin
 * builds the same options from environment variables (config.ts), so both paths share one check.
 */
import * as z from 'zod';
import { DEFAULT_CHARGE_WINDOW_HOURS } from '../core/charge';
import { DEFAULT_NOTE_MAX_LENGTH } from '../core/note';
import {
  DEFAULT_PATIENT_REASON_CODES,
  DEFAULT_PRACTITIONER_LATE_AFTER_MINUTES,
  PATIENT_ELIGIBLE_REASON_CODES,
  type PatientReasonCode,
} from '../core/reasons';
import type { Logger } from './logger';
import type { Authenticate } from './session';
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

export interface CancelHandlerOptions {
  heim: HeimOptions;
  /** Signs and verifies patient sessions (HS256), at least 32 bytes. Required unless `authenticate` is given. */
  sessionSecret?: string;
  /** Reuse the portal's own session: return the patient's Heim id, or null when signed out. */
  authenticate?: Authenticate;
  /**
   * Verifies Heim's webhooks (Standard Webhooks, `whsec_` + base64 of at least 24 bytes) on
   * `POST {basePath}/webhooks/heim`. Default unset: the route is off and answers 404 like any unknown path.
   */
  webhookSecret?: string;
  /** Origins allowed to POST. Default: the proxy's own origin. */
  allowedOrigins?: readonly string[];
  /** Hours before the ETA in which cancelling may be charged. Default 24. */
  chargeWindowHours?: number;
  /** Narrows the patient reasons (must be patient-eligible). Default: the four "always" codes and practitioner_late. */
  reasonCodes?: readonly PatientReasonCode[];
  /** Minutes after the ETA before practitioner_late is offered. Default 15. */
  practitionerLateAfterMinutes?: number;
  /** Longest patient note, in characters after cleaning. Default 500. */
  noteMaxLength?: number;
  /** The zone appointment times are shown in. Default Europe/London. */
  timeZone?: string;
  /** Where the handler is mounted. Default `/api`. */
  basePath?: string;
  /** Cancel attempts allowed per patient session in `windowMs`. Default 10 per minute. */
  rateLimit?: { max: number; windowMs: number };
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
  .url({ message: 'must be a URL', abort: true })
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
  .string()
  .regex(/^(test|live)_[A-Za-z0-9_-]+$/, 'must start with test_ or live_ followed by letters, digits, _ or -');

export const sessionSecretSchema = z
  .string()
  .refine((value) => new TextEncoder().encode(value).byteLength >= 32, 'must be at least 32 bytes');

export const reasonCodesSchema = z
  .array(z.enum(PATIENT_ELIGIBLE_REASON_CODES, { message: 'must list only patient-eligible reason codes' }))
  .min(1, 'must list at least one reason');

export const originSchema = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be an origin such as https://portal.example.org');

const optionsSchema = z.object({
  heim: z.object({
    baseUrl: heimBaseUrlSchema,
    apiKey: heimApiKeySchema,
    timeoutMs: z.number().int().min(100).max(120_000).default(8000),
  }),
  sessionSecret: sessionSecretSchema.optional(),
  webhookSecret: webhookSecretSchema.optional(),
  allowedOrigins: z.array(originSchema).optional(),
  chargeWindowHours: z.number().positive().max(24 * 14).default(DEFAULT_CHARGE_WINDOW_HOURS),
  reasonCodes: reasonCodesSchema.default([...DEFAULT_PATIENT_REASON_CODES]),
  practitionerLateAfterMinutes: z.number().min(0).max(24 * 60).default(DEFAULT_PRACTITIONER_LATE_AFTER_MINUTES),
  noteMaxLength: z.number().int().min(1).max(2000).default(DEFAULT_NOTE_MAX_LENGTH),
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
  rateLimit: z
    .object({ max: z.number().int().positive(), windowMs: z.number().int().positive() })
    .default({ max: 10, windowMs: 60_000 }),
});

export type ResolvedOptions = z.infer<typeof optionsSchema> & {
  heim: z.infer<typeof optionsSchema>['heim'] & { fetch: typeof fetch };
  authenticate: Authenticate | undefined;
  logger: Logger | undefined;
  now: () => number;
};

/** Validates options; throws an Error naming the first bad option (never echoing its value). */
export function resolveOptions(options: CancelHandlerOptions): ResolvedOptions {
  const { authenticate, logger, now, heim, ...rest } = options;
  const parsed = optionsSchema.safeParse({ ...rest, heim: { baseUrl: heim.baseUrl, apiKey: heim.apiKey, timeoutMs: heim.timeoutMs } });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid cancel handler option ${issue.path.join('.')}: ${issue.message}`);
  }
  if (!parsed.data.sessionSecret && !authenticate) {
    throw new Error('Invalid cancel handler option sessionSecret: required unless authenticate is given');
  }
  return {
    ...parsed.data,
    heim: { ...parsed.data.heim, fetch: heim.fetch ?? globalThis.fetch.bind(globalThis) },
    authenticate,
    logger,
    now: now ?? Date.now,
  };
}
