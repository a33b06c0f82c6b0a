/**
 * `/_sim/*`: control routes for tests, the demo and people poking at the simulator with curl. No
 * authentication and never in the ledger: they are not Heim's API, and the simulator only listens
 * on loopback. They are thin wrappers around the `Simulator` methods, so both ways behave alike.
 */
import * as z from 'zod';
import { faultSchema, type Fault } from './faults';
import { PATIENT_FILTER_PARAM, heimListBody } from './heim-assumptions';
import type { SeedAppointment } from './heim-types';
import { amendPatchSchema, seedAppointmentSchema } from './request-schemas';
import { errorResponse, jsonResponse, methodNotAllowed, noContent, parseJson } from './responses';
import type { Simulator } from './simulator';
import { SimulatorStateError } from './store';

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/** Parse a control body with `schema`; the raw value is returned once it is known to be valid. */
async function readBody<T>(request: Request, schema: z.ZodType): Promise<Parsed<T>> {
  const json = parseJson(await request.text());
  if (!json.ok) return { ok: false, response: errorResponse(400, 'invalid_request', 'The body is not valid JSON.') };
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, response: errorResponse(400, 'invalid_request', z.prettifyError(parsed.error)) };
  }
  // The raw value, not zod's output: the Simulator methods take the public input types and parse again.
  return { ok: true, value: json.value as T };
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function unknownAppointment(id: string): Response {
  return errorResponse(404, 'not_found', `No appointment with id "${id}".`);
}

async function appointmentRoutes(sim: Simulator, request: Request, url: URL, rest: readonly string[]): Promise<Response> {
  const [rawId, action, ...extra] = rest;
  if (rawId === undefined || rawId === '') {
    if (request.method === 'GET') {
      const patientId = url.searchParams.get(PATIENT_FILTER_PARAM);
      return jsonResponse(200, heimListBody(sim.listAppointments(patientId === null ? {} : { patientId })));
    }
    if (request.method !== 'POST') return methodNotAllowed('GET, POST');
    const body = await readBody<SeedAppointment>(request, seedAppointmentSchema);
    if (!body.ok) return body.response;
    try {
      return jsonResponse(201, sim.addAppointment(body.value));
    } catch (error) {
      if (error instanceof SimulatorStateError) return errorResponse(409, 'invalid_request', error.message);
      throw error;
    }
  }
  const id = decodeSegment(rawId);
  if (id === null || extra.length > 0) return errorResponse(404, 'not_found', 'No such control route.');
  if (action === undefined) {
    if (request.method !== 'GET') return methodNotAllowed('GET');
    const appointment = sim.getAppointment(id);
    if (appointment === undefined) return unknownAppointment(id);
    return jsonResponse(200, { appointment, cancellation: sim.getCancellation(id) ?? null });
  }
  if (action !== 'amend') return errorResponse(404, 'not_found', 'No such control route.');
  if (request.method !== 'POST') return methodNotAllowed('POST');
  if (sim.getAppointment(id) === undefined) return unknownAppointment(id);
  const patch = await readBody<Parameters<Simulator['amendCancellation']>[1]>(request, amendPatchSchema);
  if (!patch.ok) return patch.response;
  try {
    return jsonResponse(200, sim.amendCancellation(id, patch.value));
  } catch (error) {
    if (error instanceof SimulatorStateError) return errorResponse(400, 'invalid_request', error.message);
    throw error;
  }
}

export async function handleControl(sim: Simulator, request: Request, url: URL): Promise<Response> {
  const [, prefix, resource, ...rest] = url.pathname.split('/');
  if (prefix !== '_sim') return errorResponse(404, 'not_found', 'No such control route.');
  const method = request.method;
  switch (resource) {
    case 'ledger':
      if (rest.length > 0) break;
      if (method === 'GET') return jsonResponse(200, { entries: sim.ledger });
      if (method === 'DELETE') {
        sim.clearLedger();
        return noContent();
      }
      return methodNotAllowed('GET, DELETE');
    case 'faults': {
      if (rest.length > 0) break;
      if (method === 'DELETE') {
        sim.clearFaults();
        return noContent();
      }
      if (method !== 'POST') return methodNotAllowed('POST, DELETE');
      const fault = await readBody<Fault>(request, faultSchema);
      if (!fault.ok) return fault.response;
      sim.setFault(fault.value);
      return noContent();
    }
    case 'reset':
      if (rest.length > 0) break;
      if (method !== 'POST') return methodNotAllowed('POST');
      sim.reset();
      return noContent();
    case 'appointments':
      return appointmentRoutes(sim, request, url, rest);
  }
  return errorResponse(404, 'not_found', 'No such control route.');
}
