/**
 * The Heim simulator's public surface: a stateful stand-in for Heim's API, used by the demo and by
 * tests (which assert on its ledger). What it assumes about Heim is in `heim-assumptions.ts`.
 */
export { SIMULATOR_DEFAULT_API_KEY } from './options';
export type { SimulatorOptions } from './options';
export { createSimulator } from './simulator';
export type { Simulator } from './simulator';
export { startSimulator } from './server';
export type { RunningSimulator, StartSimulatorOptions } from './server';
export { DEMO_PATIENTS, demoSeed } from './seed';
export { FAULT_ROUTES } from './faults';
export type { Fault, FaultRoute } from './faults';
export { SimulatorStateError } from './store';
export { signWebhook } from './webhook-sender';
export type { SendWebhookOptions, WebhookDelivery, WebhookDeliveryStatus, WebhookTarget } from './webhook-sender';
export type { HeimWebhookEvent, HeimWebhookEventType } from './webhook-assumptions';
export type { LedgerEntry } from './ledger';
export type {
  HeimAppointment,
  HeimCancellation,
  HeimLocation,
  HeimPatient,
  JsonObject,
  JsonValue,
  SeedAppointment,
  SeedCancellation,
} from './heim-types';
export type { DuplicateCancelStatus, HeimAppointmentStatus, HeimErrorBody, HeimListBody } from './heim-assumptions';
