/** Time helpers: every timestamp the simulator writes comes from the injected clock. */

/** ISO-8601 UTC with milliseconds, the format Heim uses (`2026-11-25T10:30:00.000Z`). */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A new `updatedAt` that is strictly later than the previous one, even when the injected clock
 * has not moved (frozen clocks in tests): anyone comparing timestamps must always see a change.
 */
export function isoAfter(previousIso: string, nowMs: number): string {
  return isoAt(Math.max(nowMs, Date.parse(previousIso) + 1));
}

/** Resolve after `ms` using the global timer, so tests can drive it with fake timers. */
export function delay(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}
