/**
 * A fixed-window limit per patient, so one session cannot hammer Heim with the organisation's key
 * (Heim's own throttling, if per key, would then refuse every patient). The proxy keeps two: cancel
 * attempts, and reads.
 */

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
  /** The first refusal of this subject's window: what a log line is written for, once a window. */
  firstRefusal: boolean;
}

export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  hit(subject: string): RateLimitDecision {
    const now = this.now();
    let window = this.windows.get(subject);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(subject, window);
      if (this.windows.size > 100_000) this.prune(now);
    }
    window.count += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return { allowed: window.count <= this.max, retryAfterSeconds, firstRefusal: window.count === this.max + 1 };
  }

  private prune(now: number): void {
    for (const [subject, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(subject);
    }
  }
}
