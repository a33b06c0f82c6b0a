/**
 * An estimate of the proxy's clock, so the countdown and the charge state agree with the proxy
 * even when the device clock is wrong.
 *
 * Each timed GET gives a sample: the proxy said `serverNow` somewhere between `startedAt` and
 * `endedAt` (monotonic time); the midpoint is the best guess, with an error of at most half the
 * round trip. So we keep the sample with the shortest round trip, and read the time as
 * `anchor + elapsed monotonic time`. Nothing ever counts down: every reading is computed afresh,
 * so a throttled or sleeping tab is right again on its next reading.
 */

export interface ServerClockSample {
  /** The proxy's clock in epoch ms. */
  readonly serverNowMs: number;
  /** `performance.now()` just before the request. */
  readonly startedAt: number;
  /** `performance.now()` when the response arrived. */
  readonly endedAt: number;
}

export interface ServerClockOptions {
  /** Monotonic clock. Default `performance.now()`. */
  readonly monotonicNow?: () => number;
  /** Wall clock, used only before the first sample and to detect a suspended monotonic clock. Default `Date.now()`. */
  readonly wallNow?: () => number;
}

export interface ServerClock {
  /** The proxy's current time in epoch ms (the device clock until a sample arrives). */
  now(): number;
  /** Offers a sample; it becomes the anchor if it is more precise than the current one. */
  addSample(sample: ServerClockSample): void;
  /** Whether at least one sample has been taken. */
  isSynchronised(): boolean;
  /**
   * Whether the anchor is in doubt (the device's wall and monotonic clocks have drifted apart: a
   * sleep, or the device clock changed) and a read should bring a new sample now. Subscribers are
   * notified once when `now()` finds it so.
   */
  needsSample(): boolean;
  /** Notified whenever the anchor changes, so timers can be re-planned. */
  subscribe(listener: () => void): () => void;
  /** Increments on every anchor change (a snapshot for `useSyncExternalStore`). */
  getVersion(): number;
}

interface Anchor {
  readonly serverMs: number;
  readonly monoMs: number;
  readonly wallMs: number;
  readonly roundTripMs: number;
  /** `hiddenCount` when it was taken: a sleep hides the page first. */
  readonly hiddenCount: number;
}

/**
 * How many times the page has been hidden (a locked phone, a closed lid, another tab), counted
 * once for every clock by one listener. Without a document (SSR, Node) it stays 0.
 */
let hiddenCount = 0;
let countingHidden = false;
function countHidden(): void {
  if (countingHidden || typeof document === 'undefined') return;
  countingHidden = true;
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') hiddenCount += 1;
  });
}
const hiddenSince = (count: number) => hiddenCount > count;

/**
 * How far the monotonic and wall clocks may drift apart before the anchor is distrusted. Some
 * platforms pause `performance.now()` while the machine sleeps; the wall clock keeps going.
 */
const DISCONTINUITY_MS = 2_000;

/** Creates a clock estimate; the provider makes one per widget tree and feeds it every appointment read. */
export function createServerClock(options: ServerClockOptions = {}): ServerClock {
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const wallNow = options.wallNow ?? (() => Date.now());
  const listeners = new Set<() => void>();
  countHidden();
  let anchor: Anchor | null = null;
  let version = 0;
  /** Whether subscribers were told the current anchor is in doubt (once per anchor). */
  let doubtTold = false;

  function notify(): void {
    version += 1;
    for (const listener of listeners) listener();
  }

  function anchorIsSuspect(current: Anchor): boolean {
    const monoElapsed = monotonicNow() - current.monoMs;
    const wallElapsed = wallNow() - current.wallMs;
    return Math.abs(wallElapsed - monoElapsed) > DISCONTINUITY_MS;
  }

  return {
    now() {
      if (anchor === null) return wallNow();
      if (!doubtTold && anchorIsSuspect(anchor)) {
        doubtTold = true;
        // Not from inside now(), which renders call: subscribers ask for a read (use-cancel-flow).
        queueMicrotask(notify);
      }
      const monoElapsed = monotonicNow() - anchor.monoMs;
      // The wall clock ran on further than the monotonic one, and the page was hidden meanwhile:
      // the machine slept with `performance.now()` paused (macOS, iOS), and the device clock with
      // the last known offset is the better guess until the read asked for above re-anchors (it
      // may wait for Wi-Fi). Without a hidden page it is the device clock stepped forward (a slow
      // one corrected), and the monotonic time stands until that read, as for a clock set back:
      // following it would count the correction twice and could say "charges may now apply".
      if (hiddenSince(anchor.hiddenCount) && wallNow() - anchor.wallMs - monoElapsed > DISCONTINUITY_MS) {
        return wallNow() + (anchor.serverMs - anchor.wallMs);
      }
      return anchor.serverMs + monoElapsed;
    },
    addSample(sample) {
      const roundTripMs = Math.max(0, sample.endedAt - sample.startedAt);
      if (!Number.isFinite(sample.serverNowMs) || !Number.isFinite(roundTripMs)) return;
      // A shorter round trip bounds the error more tightly; a suspect anchor loses to anything.
      if (anchor !== null && roundTripMs >= anchor.roundTripMs && !anchorIsSuspect(anchor)) return;
      const monoMs = sample.startedAt + roundTripMs / 2;
      anchor = {
        serverMs: sample.serverNowMs,
        monoMs,
        wallMs: wallNow() - (monotonicNow() - monoMs),
        roundTripMs,
        hiddenCount,
      };
      doubtTold = false;
      notify();
    },
    isSynchronised() {
      return anchor !== null;
    },
    needsSample() {
      return anchor !== null && anchorIsSuspect(anchor);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getVersion() {
      return version;
    },
  };
}
