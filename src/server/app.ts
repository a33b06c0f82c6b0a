/**
 * The proxy as a Web-standard `(Request) => Promise<Response>` handler, so a portal can mount it
 * in Express, Fastify, Next.js route handlers or Hono, and our bin can serve it on Node.
 */
import { Hono, type Context } from 'hono';
import { ERROR_CODES } from '../core/errors';
import { isAppointmentId } from '../core/ids';
import type { IncomingMessage } from 'node:http';
import { createCancellationService } from './cancellation-service';
import { assertJsonContentType, assertSameSiteWrite } from './csrf';
import { createHeimClient } from './heim-client';
import { consoleJsonLogger, redactingLogger } from './logger';
import { resolveOptions, type CancelHandlerOptions } from './options';
import { parseCancelBody, readIdempotencyKey } from './parse-cancel-request';
import { callPortalAuthenticate, type AuthenticateContext, type CancelHandlerContext } from './portal-authenticate';
import { FixedWindowRateLimiter } from './rate-limit';
import { ClientAbortedError, assertDeclaredLengthWithin, readJsonBody } from './read-body';
import { ProxyError, errorResponse, jsonResponse, withBaseHeaders } from './responses';
import { createExplainingSessionVerifier, importSessionKey, type PatientIdentity } from './session';
import { answerUnhandledError } from './unhandled-error';
import { logIfUnmounted } from './unmounted-path';
import { createHeimWebhookHandler } from './webhooks';

/**
 * `(request) => Promise<Response>` for any host. The package's Node adapters (`toNodeListener`,
 * `startProxyServer`) also pass `{ nodeRequest }`, which reaches `authenticate`.
 */
export type CancelHandler = (request: Request, context?: CancelHandlerContext) => Promise<Response>;

export function createCancelHandler<NodeRequest extends IncomingMessage = IncomingMessage>(options: CancelHandlerOptions<NodeRequest>): CancelHandler {
  // The type argument only types what authenticate receives; at run time it is Node's request.
  const resolved = resolveOptions(options as CancelHandlerOptions);
  const log = redactingLogger(resolved.logger ?? consoleJsonLogger, [
    resolved.heim.apiKey,
    resolved.sessionSecret ?? '',
    resolved.webhookSecret ?? '',
  ]);
  const heim = createHeimClient(resolved.heim, log);
  const service = createCancellationService({ heim, options: resolved, log });
  const limiter = new FixedWindowRateLimiter(resolved.rateLimit.max, resolved.rateLimit.windowMs, resolved.now);
  const readLimiter = new FixedWindowRateLimiter(resolved.readRateLimit.max, resolved.readRateLimit.windowMs, resolved.now);
  // The opt-in hardening of our own sessions (off by default: the contract asks only sub and exp).
  const sessionPolicy = {
    ...(resolved.sessionMaxLifetimeSeconds === undefined ? {} : { maxLifetimeSeconds: resolved.sessionMaxLifetimeSeconds }),
    ...(resolved.sessionAudience === undefined ? {} : { audience: resolved.sessionAudience }),
  };
  const verifySession =
    resolved.sessionSecret === undefined ? undefined : createExplainingSessionVerifier(importSessionKey(resolved.sessionSecret), sessionPolicy);

  // The routes authenticate from the Request alone; what the host passed with it is found here.
  const contexts = new WeakMap<Request, AuthenticateContext>();

  async function authenticate(request: Request): Promise<PatientIdentity> {
    // Each 401 carries why, for the log only (proxy.refused's reason, never the token): the
    // answer is the same whatever the reason.
    if (resolved.authenticate) {
      const context = contexts.get(request) ?? { nodeRequest: undefined };
      const identity = await callPortalAuthenticate(resolved.authenticate, request, context);
      if (!identity) throw new ProxyError('unauthenticated', {}, 'authenticate_returned_null');
      return identity;
    }
    const verdict = await verifySession!(request);
    if ('refused' in verdict) throw new ProxyError('unauthenticated', {}, verdict.refused);
    return verdict.identity;
  }

  function appointmentIdFrom(c: Context): string {
    const id = c.req.param('appointmentId');
    if (id === undefined || !isAppointmentId(id)) throw new ProxyError('invalid_appointment_id');
    return id;
  }

  /**
   * Each read is one Heim call with the organisation's key, whatever the id (a made-up one is a
   * 404 from Heim): a session past its read limit is answered 429 here, before Heim. Answered, not
   * thrown, so a script's thousands of refusals are not each a proxy.refused line: one warning per
   * patient and window says who, where and how long.
   */
  function readLimited(c: Context, patientId: string): Response | null {
    const decision = readLimiter.hit(patientId);
    if (decision.allowed) return null;
    if (decision.firstRefusal) {
      log({
        level: 'warn',
        event: 'read.rate_limited',
        method: c.req.method,
        route: c.req.routePath,
        patientId,
        limit: resolved.readRateLimit.max,
        windowMs: resolved.readRateLimit.windowMs,
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    return errorResponse('rate_limited', {
      message: 'Too many reads for this session: wait for the time in Retry-After before reading again.',
      headers: { 'retry-after': String(decision.retryAfterSeconds) },
    });
  }

  const app = new Hono().basePath(resolved.basePath);

  app.get('/healthz', () => jsonResponse(200, { ok: true }));

  app.get('/appointments/:appointmentId', async (c) => {
    const id = appointmentIdFrom(c);
    const { patientId } = await authenticate(c.req.raw);
    return readLimited(c, patientId) ?? jsonResponse(200, await service.getAppointment(patientId, id));
  });

  app.get('/appointments/:appointmentId/cancellation', async (c) => {
    const id = appointmentIdFrom(c);
    const { patientId } = await authenticate(c.req.raw);
    return readLimited(c, patientId) ?? jsonResponse(200, await service.getCancellationStatus(patientId, id));
  });

  app.post('/appointments/:appointmentId/cancel', async (c) => {
    const request = c.req.raw;
    const appointmentId = appointmentIdFrom(c);
    assertSameSiteWrite(request, resolved.allowedOrigins ?? null);
    assertDeclaredLengthWithin(request);
    const { patientId } = await authenticate(request);
    assertJsonContentType(request);
    const idempotencyKey = readIdempotencyKey(request);
    // A retry with a key whose request is answered or still running (a lost connection, a double
    // tap) gets that answer and never reaches Heim: it is not a new attempt, so it is not counted.
    // Anything else is counted before its body is read, so a limited sender costs us no reading; a
    // "retry" whose first request ended meanwhile is counted by the service when it runs anew.
    let limited: { retryAfterSeconds: number } | null = null;
    const countAttempt = (): boolean => {
      const decision = limiter.hit(patientId);
      if (!decision.allowed) limited = decision;
      return decision.allowed;
    };
    const rateLimited = (decision: { retryAfterSeconds: number }) => {
      log({ level: 'warn', event: 'cancel.rate_limited', appointmentId, patientId });
      return errorResponse('rate_limited', { headers: { 'retry-after': String(decision.retryAfterSeconds) } });
    };
    const retry = service.isAnsweredRetry(patientId, idempotencyKey);
    if (!retry && !countAttempt()) return rateLimited(limited!);
    const body = parseCancelBody(await readJsonBody(request), resolved.noteMaxLength);
    const result = await service.cancel({ patientId, appointmentId, idempotencyKey, body }, retry ? countAttempt : undefined);
    if (result === 'not_admitted') return rateLimited(limited!);
    // One line per answer, retries answered from their key included, so operations can follow a
    // patient's attempt by its key from the first click to the last.
    const code = (result.body as { error?: { code?: string } }).error?.code ?? null;
    log({
      level: 'info',
      event: 'cancel.answered',
      appointmentId,
      patientId,
      idempotencyKey,
      status: result.status,
      code,
      replayed: result.replayed === true,
    });
    return jsonResponse(result.status, result.body);
  });

  const methodNotAllowed = (allow: string) => () =>
    errorResponse('method_not_allowed', { headers: { allow } });

  // Off unless a secret is configured: then the path is unknown (404) like any other.
  if (resolved.webhookSecret !== undefined) {
    const handleWebhook = createHeimWebhookHandler({
      secret: resolved.webhookSecret,
      refresh: (appointmentId) => service.refresh(appointmentId),
      log,
      now: resolved.now,
    });
    app.post('/webhooks/heim', (c) => handleWebhook(c.req.raw));
    app.all('/webhooks/heim', methodNotAllowed('POST'));
  }

  app.all('/healthz', methodNotAllowed('GET, HEAD'));
  app.all('/appointments/:appointmentId', methodNotAllowed('GET, HEAD'));
  app.all('/appointments/:appointmentId/cancellation', methodNotAllowed('GET, HEAD'));
  app.all('/appointments/:appointmentId/cancel', methodNotAllowed('POST'));

  app.notFound((c) => {
    logIfUnmounted(c.req.raw, resolved.basePath, log);
    return errorResponse('not_found', { message: 'No such endpoint.' });
  });
  app.onError((error, c) => {
    if (error instanceof ClientAbortedError) {
      // The client went away mid-body: nothing of ours failed, and there is likely no one to answer.
      log({
        level: 'info',
        event: 'proxy.client_aborted',
        method: c.req.method,
        route: c.req.routePath,
        ...(error.streamErrorCode === undefined ? {} : { errorCode: error.streamErrorCode }),
      });
      return error.toResponse();
    }
    if (error instanceof ProxyError) {
      const { status } = ERROR_CODES[error.code];
      // Every refusal is a line for operations (a run of csrf_rejected after a deploy behind a TLS
      // terminator, of unauthenticated after a session change, of upstream_error in an outage):
      // its code, method and route pattern only, never the URL, a header or a body.
      log({
        // A 500 is the portal's set-up or ours, never the patient's request: an error to act on.
        level: status === 500 ? 'error' : 'info',
        event: 'proxy.refused',
        code: error.code,
        status,
        method: c.req.method,
        route: c.req.routePath,
        ...(error.logReason === undefined ? {} : { reason: error.logReason }),
      });
      return error.toResponse();
    }
    return answerUnhandledError(error, { method: c.req.method, route: c.req.routePath }, log);
  });

  return async (request, context) => {
    // Only nodeRequest is read from what a host passes (Bun and Deno pass objects of their own).
    const nodeRequest = typeof context === 'object' && context !== null ? context.nodeRequest : undefined;
    contexts.set(request, { nodeRequest });
    return withBaseHeaders(await app.fetch(request));
  };
}
