/**
 * The charge rule from Heim's guide: cancelling is in general chargeable less than `windowHours`
 * (24 by default; the organisation's agreement is authoritative) before the ETA, and free when no
 * ETA is set. The window is elapsed time (ETA − window), never a calendar day, so it is the same
 * across clock changes.
 */

export const CHARGE_STATES = ['no_eta', 'free', 'chargeable', 'due'] as const;
export type ChargeState = (typeof CHARGE_STATES)[number];

export const DEFAULT_CHARGE_WINDOW_HOURS = 24;

export interface Charge {
  readonly state: ChargeState;
  readonly windowHours: number;
  /** ISO instant from which cancelling may be charged; null when there is no ETA. */
  readonly chargeableFrom: string | null;
}

export function chargeableFromMs(etaMs: number, windowHours: number): number {
  return etaMs - windowHours * 3_600_000;
}

/** The state at `nowMs` for an ETA (epoch ms or null). Pure, so browser and proxy agree. */
export function chargeStateAt(etaMs: number | null, windowHours: number, nowMs: number): ChargeState {
  if (etaMs === null) return 'no_eta';
  if (nowMs >= etaMs) return 'due';
  if (nowMs >= chargeableFromMs(etaMs, windowHours)) return 'chargeable';
  return 'free';
}

/**
 * The later of a state read off a clock and one the proxy reported: states only move forward in
 * time (free → chargeable → due), so the proxy's word wins when it is further on. Without an ETA
 * there is nothing to raise.
 */
export function laterChargeState(computed: ChargeState, reported: ChargeState | undefined): ChargeState {
  if (reported === undefined || computed === 'no_eta') return computed;
  return CHARGE_STATES.indexOf(reported) > CHARGE_STATES.indexOf(computed) ? reported : computed;
}

/**
 * How far Heim's clock may be ahead of the proxy's (assumed; see server/heim-assumptions.ts). A
 * cancel whose recording time Heim does not give is taken as recorded this much after we learned
 * of it, so the charge is told as "may be charged" in doubt, never "free".
 */
export const HEIM_CLOCK_SLACK_MS = 2_000;

/**
 * A charge read earlier (the one the patient was shown) as it stands for a cancel Heim recorded
 * at `recordedAtMs`, for the ETA that charge was read for: what the proxy's 200 says, since it
 * reads its charge at Heim's `createdAt` the same way (a lost answer can land after the window
 * opened; one acknowledged just before it, and recorded before it, is free).
 */
export function chargeAtRecording(charge: Charge, recordedAtMs: number): Charge {
  if (charge.chargeableFrom === null) return charge;
  const etaMs = Date.parse(charge.chargeableFrom) + charge.windowHours * 3_600_000;
  return { ...charge, state: chargeStateAt(etaMs, charge.windowHours, recordedAtMs) };
}

export function computeCharge(etaMs: number | null, windowHours: number, nowMs: number): Charge {
  return {
    state: chargeStateAt(etaMs, windowHours, nowMs),
    windowHours,
    chargeableFrom: etaMs === null ? null : new Date(chargeableFromMs(etaMs, windowHours)).toISOString(),
  };
}

/** Whether the patient must acknowledge a possible charge before confirming. */
export function requiresChargeAcknowledgement(state: ChargeState): boolean {
  return state === 'chargeable' || state === 'due';
}

/**
 * The next instant at which the state changes on its own (free → chargeable → due), or null when
 * it never will. The widget uses it to flip the state exactly on time.
 */
export function nextChargeTransitionMs(etaMs: number | null, windowHours: number, nowMs: number): number | null {
  if (etaMs === null) return null;
  const from = chargeableFromMs(etaMs, windowHours);
  if (nowMs < from) return from;
  if (nowMs < etaMs) return etaMs;
  return null;
}
