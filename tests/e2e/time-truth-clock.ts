/**
 * "The truth" for the time tests: the clock the simulator and the proxy share (passed to the demo
 * as its `now`). The browser's clock is set apart from it on purpose (Playwright's clock), so
 * every assertion compares what the page shows with this clock, never with the page's own.
 *
 * Two modes. Frozen: the truth moves only when a test moves it, in step with a paused page clock,
 * so a round trip costs no time and results are exact. Flowing: the truth is the real clock plus an
 * offset, the page's clock flows in real time too, and round trips are real loopback round trips:
 * that is where a real estimation error can show.
 */
export class TruthClock {
  private offsetMs = 0;
  private frozenAtMs: number | null;

  constructor(startMs: number) {
    this.frozenAtMs = startMs;
  }

  /** The truth now, in epoch ms (an arrow so it can be handed to the demo as `now`). */
  readonly now = (): number => this.frozenAtMs ?? Date.now() + this.offsetMs;

  /** Stops the truth at `ms`. */
  freezeAt(ms: number): void {
    this.frozenAtMs = ms;
  }

  /** Lets the truth flow in real time from `ms` on. */
  flowFrom(ms: number): void {
    this.frozenAtMs = null;
    this.offsetMs = ms - Date.now();
  }

  /** Moves the truth on by `ms` (frozen or flowing). */
  advance(ms: number): void {
    if (this.frozenAtMs === null) this.offsetMs += ms;
    else this.frozenAtMs += ms;
  }

  /** The truth at a real instant (a `Date.now()` value, in this process or the page's real clock). */
  atReal(realMs: number): number {
    return this.frozenAtMs ?? realMs + this.offsetMs;
  }
}
