import type { ChargeChange } from './time-device';
import type { TruthClock } from './time-truth-clock';

/**
 * Reading remaining times off the page and scoring them against the truth, plus the tally behind
 * the one-line summary (`time-truth: largest error … over N readings`).
 */

const UNIT_MS = { day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 } as const;
type Unit = keyof typeof UNIT_MS;

/** The smallest step the widget's format shows under each largest unit ("2 days, 3 hours": hours). */
const RESOLUTION_MS: Record<Unit, number> = { day: UNIT_MS.hour, hour: UNIT_MS.minute, minute: UNIT_MS.second, second: UNIT_MS.second };

export interface ShownDuration {
  /** What the text says, in ms (rounded down by the widget). */
  readonly ms: number;
  /** How coarse it is: the true remaining time lies in [ms, ms + resolutionMs). */
  readonly resolutionMs: number;
}

/**
 * Parses "Time left to cancel free of charge: 1 hour, 30 minutes." into ms. Reads the numbers and
 * unit words only, so a reworded sentence around them does not break the time tests.
 */
export function parseShownDuration(text: string): ShownDuration {
  const found = [...text.matchAll(/(\d+)\s+(day|hour|minute|second)s?\b/g)];
  if (found.length === 0) throw new Error(`No remaining time in ${JSON.stringify(text)}`);
  let ms = 0;
  let largest: Unit = 'second';
  for (const [, value, unit] of found) {
    const u = unit as Unit;
    ms += Number(value) * UNIT_MS[u];
    if (UNIT_MS[u] > UNIT_MS[largest]) largest = u;
  }
  return { ms, resolutionMs: RESOLUTION_MS[largest] };
}

/**
 * How far a shown remaining time is from the true one, in ms: 0 when the truth lies inside what the
 * rounded-down text means ([shown, shown + resolution)), else the distance to that interval.
 */
export function displayErrorMs(shown: ShownDuration, trueRemainingMs: number): number {
  if (trueRemainingMs < shown.ms) return shown.ms - trueRemainingMs;
  const end = shown.ms + shown.resolutionMs;
  return trueRemainingMs >= end ? trueRemainingMs - end + 1 : 0;
}

export type ReadingKind =
  /** A shown remaining time checked against the truth at the moment it was read. */
  | 'display'
  /** The instant the text stepped to the next second, against the instant it should have. */
  | 'tick'
  /** The instant the charge state changed, against the threshold. */
  | 'threshold';

export interface TimeReading {
  readonly label: string;
  readonly kind: ReadingKind;
  /** Signed where it has a direction (positive: the page was late), else the distance. */
  readonly errorMs: number;
  /** Whether the page's clock flowed in real time (real round trips) or was paused (exact). */
  readonly realTime: boolean;
}

export class ReadingTally {
  private readonly readings: TimeReading[] = [];
  private readonly notes: string[] = [];

  /** Context printed under the summary (e.g. the round trips behind the real-time readings). */
  note(line: string): void {
    this.notes.push(line);
  }

  add(reading: TimeReading): TimeReading {
    this.readings.push(reading);
    return reading;
  }

  get all(): readonly TimeReading[] {
    return this.readings;
  }

  /** The quotable line for the closing note. */
  summary(): string {
    const largest = (list: readonly TimeReading[]) =>
      list.reduce((worst, r) => (Math.abs(r.errorMs) > Math.abs(worst?.errorMs ?? -1) ? r : worst), undefined as TimeReading | undefined);
    const real = this.readings.filter((r) => r.realTime);
    const worst = largest(this.readings);
    const worstReal = largest(real);
    const describe = (r: TimeReading | undefined) => (r === undefined ? 'none' : `${Math.abs(r.errorMs)} ms (${r.label}, ${r.kind})`);
    return (
      `time-truth: largest error ${Math.abs(worst?.errorMs ?? 0)} ms over ${this.readings.length} readings; ` +
      `real-time clock (real loopback round trips): largest ${describe(worstReal)} over ${real.length}; ` +
      `paused clock (exact): ${this.readings.length - real.length} readings` +
      this.notes.map((line) => `\n  ${line}`).join('')
    );
  }
}

/**
 * Scores what one device showed while its clock flowed: the first reading against the truth,
 * each one-second step against the instant the truth crossed that second, and the change to
 * `chargeable` against chargeableFrom. Positive errors mean the page was late.
 */
export function scoreRealTimeChanges(
  tally: ReadingTally,
  label: string,
  changes: readonly ChargeChange[],
  chargeableFromMs: number,
  windowMs: number,
  truth: TruthClock,
) {
  const etaMs = chargeableFromMs + windowMs;
  const shown = changes.filter((change) => change.state !== null && change.countdown !== null);
  const readings: TimeReading[] = [];
  let ticks = 0;
  let thresholds = 0;
  for (const [index, change] of shown.entries()) {
    const truthMs = truth.atReal(change.realMs);
    const targetMs = change.state === 'free' ? chargeableFromMs : etaMs;
    const current = parseShownDuration(change.countdown ?? '');
    const previous = shown[index - 1];
    if (previous === undefined) {
      readings.push(tally.add({ label, kind: 'display', errorMs: displayErrorMs(current, targetMs - truthMs), realTime: true }));
    } else if (previous.state === 'free' && change.state === 'chargeable') {
      thresholds += 1;
      readings.push(tally.add({ label, kind: 'threshold', errorMs: truthMs - chargeableFromMs, realTime: true }));
      readings.push(tally.add({ label, kind: 'display', errorMs: displayErrorMs(current, targetMs - truthMs), realTime: true }));
    } else if (previous.state === change.state) {
      const before = parseShownDuration(previous.countdown ?? '');
      // The text steps from `before` down when the true remaining time drops below `before`.
      if (before.ms - current.ms === current.resolutionMs) {
        ticks += 1;
        readings.push(tally.add({ label, kind: 'tick', errorMs: before.ms - (targetMs - truthMs), realTime: true }));
      } else {
        readings.push(tally.add({ label, kind: 'display', errorMs: displayErrorMs(current, targetMs - truthMs), realTime: true }));
      }
    } else {
      throw new Error(`${label}: unexpected change ${previous.state} → ${change.state}`);
    }
  }
  return { readings, ticks, thresholds };
}
