/**
 * The one place that reads process.env (style.md). It turns the variables of bff-api.md into
 * handler options and refuses to start on anything wrong, with one line naming every bad variable
 * and never echoing a secret's value.
 */
import * as z from 'zod';
import type { PatientReasonCode } from '../core/reasons';
import {
  heimApiKeySchema,
  heimBaseUrlSchema,
  originSchema,
  reasonCodesSchema,
  sessionAudienceSchema,
  sessionMaxLifetimeSchema,
  sessionSecretSchema,
  type CancelHandlerOptions,
} from './options';
import { webhookSecretSchema } from './webhook-assumptions';

/** One bad variable and what it must be (never its value, unless it is an origin). */
export interface ConfigProblem {
  readonly variable: string;
  readonly detail: string;
}

/**
 * Every bad variable of one start-up, so a deploy is fixed in one round: one line, the problems
 * joined with "; ". `variable` is the first one's name.
 */
export class ConfigError extends Error {
  readonly variable: string;
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly [ConfigProblem, ...ConfigProblem[]]) {
    super(problems.map(({ variable, detail }) => `${variable} ${detail}`).join('; '));
    this.name = 'ConfigError';
    this.variable = problems[0].variable;
    this.problems = problems;
  }
}

export interface ProxyServerConfig {
  host: string;
  port: number;
  options: CancelHandlerOptions;
}

const commaList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

// Reported in this order.
const variables = {
  HEIM_API_URL: heimBaseUrlSchema,
  HEIM_API_KEY: heimApiKeySchema,
  PORTAL_SESSION_SECRET: sessionSecretSchema,
  // Opt-in hardening of sessions beyond the contract's `sub` and `exp` (options.ts).
  PORTAL_SESSION_MAX_LIFETIME_SECONDS: z.string().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number).pipe(sessionMaxLifetimeSchema).optional(),
  PORTAL_SESSION_AUDIENCE: sessionAudienceSchema.optional(),
  // Unset (or empty) turns the webhook route off.
  HEIM_WEBHOOK_SECRET: webhookSecretSchema.optional(),
  ALLOWED_ORIGINS: z.string().transform(commaList).pipe(z.array(originSchema).min(1, 'must list at least one origin')).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(3000),
  CHARGE_WINDOW_HOURS: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a positive number of hours')
    .transform(Number)
    .pipe(z.number().positive('must be more than 0').max(336, 'must be at most 336'))
    .optional(),
  PATIENT_REASON_CODES: z.string().transform(commaList).pipe(reasonCodesSchema).optional(),
  UPSTREAM_TIMEOUT_MS: integer(100, 120_000).optional(),
  READ_RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).optional(),
} as const;

type VariableName = keyof typeof variables;

/** Problems found so far; `read` adds to it instead of stopping at the first. */
type Problems = ConfigProblem[];

function read<N extends VariableName>(env: NodeJS.ProcessEnv, name: N, problems: Problems): z.output<(typeof variables)[N]> | undefined {
  const raw = env[name];
  const result = variables[name].safeParse(raw === '' ? undefined : raw);
  if (result.success) return result.data as z.output<(typeof variables)[N]>;
  const issue = result.error.issues[0];
  let detail = raw === undefined || raw === '' ? 'is required' : (issue?.message ?? 'is invalid');
  // Which entry of the list: an origin is no secret, and "https://a.org/" is found at a glance.
  const index = issue?.path[0];
  if (name === 'ALLOWED_ORIGINS' && raw !== undefined && typeof index === 'number') {
    detail = `entry ${JSON.stringify(commaList(raw)[index])} ${detail}`;
  }
  problems.push({ variable: name, detail });
  return undefined;
}

export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProxyServerConfig {
  const problems: Problems = [];
  const baseUrl = read(env, 'HEIM_API_URL', problems);
  const apiKey = read(env, 'HEIM_API_KEY', problems);
  const sessionSecret = read(env, 'PORTAL_SESSION_SECRET', problems);
  const sessionMaxLifetimeSeconds = read(env, 'PORTAL_SESSION_MAX_LIFETIME_SECONDS', problems);
  const sessionAudience = read(env, 'PORTAL_SESSION_AUDIENCE', problems);
  const webhookSecret = read(env, 'HEIM_WEBHOOK_SECRET', problems);
  const allowedOrigins = read(env, 'ALLOWED_ORIGINS', problems);
  const host = read(env, 'HOST', problems);
  const port = read(env, 'PORT', problems);
  const chargeWindowHours = read(env, 'CHARGE_WINDOW_HOURS', problems);
  const reasonCodes = read(env, 'PATIENT_REASON_CODES', problems) as PatientReasonCode[] | undefined;
  const timeoutMs = read(env, 'UPSTREAM_TIMEOUT_MS', problems);
  const readsPerMinute = read(env, 'READ_RATE_LIMIT_PER_MINUTE', problems);
  const [first, ...rest] = problems;
  if (first !== undefined) throw new ConfigError([first, ...rest]);
  // Every required variable parsed, since none was reported.
  if (baseUrl === undefined || apiKey === undefined || sessionSecret === undefined || host === undefined || port === undefined) {
    throw new Error('unreachable: a required variable was neither read nor reported');
  }

  const options: CancelHandlerOptions = {
    heim: { baseUrl, apiKey, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
    sessionSecret,
    ...(sessionMaxLifetimeSeconds === undefined ? {} : { sessionMaxLifetimeSeconds }),
    ...(sessionAudience === undefined ? {} : { sessionAudience }),
    ...(webhookSecret === undefined ? {} : { webhookSecret }),
    ...(allowedOrigins === undefined ? {} : { allowedOrigins }),
    ...(chargeWindowHours === undefined ? {} : { chargeWindowHours }),
    ...(reasonCodes === undefined ? {} : { reasonCodes }),
    ...(readsPerMinute === undefined ? {} : { readRateLimit: { max: readsPerMinute, windowMs: 60_000 } }),
  };
  return { host, port, options };
}
