/**
 * Fake time for the widget's tests, every step of it inside React's `act()`.
 *
 * The tests need fake timers that also move on by themselves (like Vitest's
 * `shouldAdvanceTime`): the in-process proxy verifies sessions with WebCrypto on real time, and
 * Testing Library's `findBy*` and `waitFor` poll with the (faked) `setInterval`. But
 * `shouldAdvanceTime` ticks from a plain interval, outside `act()`: whatever fake timer it fires
 * (a countdown tick, a query's answer reaching its observers) updates React unwrapped. Worse, one
 * of its ticks can run both the timer that ends a `findBy`/`user.click` and the timer that
 * delivers a query's data, so the render it schedules lands just after Testing Library has
 * switched act's environment back on, and every effect of that render warns "not wrapped in act".
 * Here the same 20 ms steps run inside `act()`, so their updates are rendered before the step ends.
 */
import { act } from '@testing-library/react';
import { clearInterval as clearRealInterval, setInterval as setRealInterval } from 'node:timers';
import { onTestFinished, vi } from 'vitest';

/** Fake milliseconds per real step, as `shouldAdvanceTime`'s default `advanceTimeDelta`. */
const STEP_MS = 20;

/**
 * Fakes the timers and `Date` for the rest of the current test, and moves fake time on by 20 ms
 * every 20 real ms, inside `act()`. The test still jumps ahead with `advance(ms)`. Stops when the
 * test finishes or calls `vi.useRealTimers()`.
 */
export function useFakeClock(): void {
  vi.useFakeTimers();
  const pump = setRealInterval(() => {
    if (!vi.isFakeTimers()) {
      clearRealInterval(pump);
      return;
    }
    act(() => {
      vi.advanceTimersByTime(STEP_MS);
    });
  }, STEP_MS);
  onTestFinished(() => clearRealInterval(pump));
}

/** Jumps fake time ahead by `ms` inside `act()`, running due timers and what they resolve. */
export async function advance(ms: number): Promise<void> {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

/**
 * For `userEvent.setup({ advanceTimers })`: user-event's own pauses, inside `act()` too. A no-op
 * while the timers are real.
 */
export function advanceTimersForUserEvent(ms: number): void {
  if (!vi.isFakeTimers()) return;
  act(() => {
    vi.advanceTimersByTime(ms);
  });
}
