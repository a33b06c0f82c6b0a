/**
 * The one place that reads process.env (style.md). It turns the variables of bff-api.md into
 * handler options and refuses to start on anything wrong, with one line naming the variable and
 * never echoing a secret's value.
 */
import * as z from 'zod';
import type { PatientReasonCode } from '../core/reasons';
import {
  heimApiKeySchema,
  heimBaseUrlSchema,
  originSchema,
  reasonCodesSchema,
  sessionSecretSchema,
  type CancelHandlerOptions,
} from './options';
import { webhookSecretSchema } from './webhook-assumptions';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable} ${detail}`);
    this.name = 'ConfigError';
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

// Order matters: the first bad variable is the one reported.
const variables = {
  HEIM_API_URL: heimBaseUrlSchema,
  HEIM_API_KEY: heimApiKeySchema,
  PORTAL_SESSION_SECRET: sessionSecretSchema,
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
} as const;

type VariableName = keyof typeof variables;

function read<N extends VariableName>(env: NodeJS.ProcessEnv, name: N): z.output<(typeof variables)[N]> {
  const raw = env[name];
  const result = variables[name].safeParse(raw === '' ? undefined : raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const detail = raw === undefined || raw === '' ? 'is required' : (issue?.message ?? 'is invalid');
    throw new ConfigError(name, detail);
  }
  return result.data as z.output<(typeof variables)[N]>;
}

export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProxyServerConfig {
  const baseUrl = read(env, 'HEIM_API_URL');
  const apiKey = read(env, 'HEIM_API_KEY');
  const sessionSecret = read(env, 'PORTAL_SESSION_SECRET');
  const webhookSecret = read(env, 'HEIM_WEBHOOK_SECRET');
  const allowedOrigins = read(env, 'ALLOWED_ORIGINS');
  const host = read(env, 'HOST');
  const port = read(env, 'PORT');
  const chargeWindowHours = read(env, 'CHARGE_WINDOW_HOURS');
  const reasonCodes = read(env, 'PATIENT_REASON_CODES') as PatientReasonCode[] | undefined;
  const timeoutMs = read(env, 'UPSTREAM_TIMEOUT_MS');

  const options: CancelHandlerOptions = {
    heim: { baseUrl, apiKey, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
    sessionSecret,
    ...(webhookSecret === undefined ? {} : { webhookSecret }),
    ...(allowedOrigins === undefined ? {} : { allowedOrigins }),
    ...(chargeWindowHours === undefined ? {} : { chargeWindowHours }),
    ...(reasonCodes === undefined ? {} : { reasonCodes }),
  };
  return { host, port, options };
}
