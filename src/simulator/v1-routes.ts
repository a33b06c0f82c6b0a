/**
 * Heim's `/v1` API as the simulator serves it: matching a path to a route, and each route's
 * answer once authentication and fault injection (in `simulator.ts`) have let the request through.
 */
import * as z from 'zod';
import {
  CANCEL_SUCCESS_STATUS,
  CANCELLATION_PATH_SEGMENT,
  COMPLETED_CANCEL_STATUS,
  PATIENT_FILTER_PARAM,
  REQUIRES_JSON_CONTENT_TYPE,
  heimListBody,
  type DuplicateCancelStatus,
} from './heim-assumptions';
import type { V1RouteName } from './faults';
import { cancelBodySchema } from './request-schemas';
import { errorResponse, jsonResponse, methodNotAllowed, parseJson } from './responses';
import type { AppointmentStore } from './store';

export type V1Match =
  | { kind: 'route'; route: V1RouteName; appointmentId: string }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allow: string };

const ROUTE_METHODS: Record<V1RouteName, string> = {
  list: 'GET',
  appointment: 'GET',
  cancel: 'POST',
  cancellation: 'GET',
};

function routeFor(segments: readonly string[]): { route: V1RouteName; rawId: string } | null {
  const [version, collection, rawId, action, ...rest] = segments;
  if (version !== 'v1' || collection !== 'appointments' || rest.length > 0) return null;
  // Heim documents the list at `/v1/appointments/`; accept it with or without the slash.
  if (rawId === undefined || (rawId === '' && action === undefined)) return { route: 'list', rawId: '' };
  if (rawId === '') return null;
  if (action === undefined) return { route: 'appointment', rawId };
  if (action === 'cancel') return { route: 'cancel', rawId };
  if (action === CANCELLATION_PATH_SEGMENT) return { route: 'cancellation', rawId };
  return null;
}

export function matchV1(method: string, pathname: string): V1Match {
  const matched = routeFor(pathname.split('/').slice(1));
  if (matched === null) return { kind: 'not_found' };
  let appointmentId: string;
  try {
    appointmentId = decodeURIComponent(matched.rawId);
  } catch {
    return { kind: 'not_found' };
  }
  const allow = ROUTE_METHODS[matched.route];
  if (method !== allow) return { kind: 'method_not_allowed', allow };
  return { kind: 'route', route: matched.route, appointmentId };
}

export interface V1RequestContext {
  store: AppointmentStore;
  duplicateCancelStatus: DuplicateCancelStatus;
  embedCancellation: boolean;
  url: URL;
  headers: Headers;
  body: string;
}

function notFound(appointmentId: string): Response {
  return errorResponse(404, 'not_found', `No appointment with id "${appointmentId}".`);
}

function getAppointment(ctx: V1RequestContext, id: string): Response {
  const appointment = ctx.store.get(id);
  if (appointment === undefined) return notFound(id);
  if (!ctx.embedCancellation) return jsonResponse(200, appointment);
  return jsonResponse(200, { ...appointment, cancellation: ctx.store.getCancellation(id) ?? null });
}

function listAppointments(ctx: V1RequestContext): Response {
  const patientId = ctx.url.searchParams.get(PATIENT_FILTER_PARAM);
  const items = ctx.store.list(patientId === null ? {} : { patientId });
  return jsonResponse(200, heimListBody(items));
}

function getCancellation(ctx: V1RequestContext, id: string): Response {
  if (ctx.store.get(id) === undefined) return notFound(id);
  const cancellation = ctx.store.getCancellation(id);
  if (cancellation === undefined) {
    return errorResponse(404, 'not_found', `Appointment "${id}" has no cancellation.`);
  }
  return jsonResponse(200, cancellation);
}

function cancel(ctx: V1RequestContext, id: string): Response {
  if (REQUIRES_JSON_CONTENT_TYPE && !(ctx.headers.get('content-type') ?? '').includes('json')) {
    return errorResponse(415, 'invalid_request', 'Send the cancellation as application/json.');
  }
  if (ctx.store.get(id) === undefined) return notFound(id);
  const json = parseJson(ctx.body);
  if (!json.ok) return errorResponse(400, 'invalid_request', 'The request body is not valid JSON.');
  const parsed = cancelBodySchema.safeParse(json.value);
  if (!parsed.success) {
    return errorResponse(400, 'invalid_request', `The cancellation is invalid: ${z.prettifyError(parsed.error)}`);
  }
  const outcome = ctx.store.cancel(id, parsed.data);
  switch (outcome.kind) {
    case 'cancelled':
      return jsonResponse(CANCEL_SUCCESS_STATUS, outcome.cancellation);
    case 'not_found':
      return notFound(id);
    case 'already_cancelled':
      return errorResponse(
        ctx.duplicateCancelStatus,
        'already_cancelled',
        `Appointment "${id}" has already been cancelled; it can only be cancelled once.`,
      );
    case 'not_cancellable':
      return errorResponse(
        COMPLETED_CANCEL_STATUS,
        'not_cancellable',
        `Appointment "${id}" is ${outcome.status} and can no longer be cancelled.`,
      );
  }
}

export function answerV1(ctx: V1RequestContext, route: V1RouteName, appointmentId: string): Response {
  switch (route) {
    case 'list':
      return listAppointments(ctx);
    case 'appointment':
      return getAppointment(ctx, appointmentId);
    case 'cancellation':
      return getCancellation(ctx, appointmentId);
    case 'cancel':
      return cancel(ctx, appointmentId);
  }
}

export function answerUnmatched(match: Exclude<V1Match, { kind: 'route' }>): Response {
  if (match.kind === 'method_not_allowed') return methodNotAllowed(match.allow);
  return errorResponse(404, 'not_found', 'No such route in the Heim API.');
}
