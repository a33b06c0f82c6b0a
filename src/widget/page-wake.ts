import { flushSync } from 'react-dom';

/**
 * Calls `listener` whenever a page that may have slept comes back: it becomes visible, is
 * restored from the back/forward cache, or regains focus. Timers are throttled or frozen in the
 * background, so anything time-based must re-read the clock then.
 *
 * The listener runs inside `flushSync`: React treats `visibilitychange` and `pageshow` as
 * default-priority events and would render their updates in a later task, so the first frame
 * after the tab comes back could still show the time it went to sleep with. Flushed here, it is
 * right on that first frame (tests/e2e/time-truth.test.ts proves it in Chromium).
 */
export function onPageWake(listener: () => void): () => void {
  if (typeof document === 'undefined' || typeof window === 'undefined') return () => {};
  const wake = () => flushSync(listener);
  const onVisibility = () => {
    if (document.visibilityState === 'visible') wake();
  };
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pageshow', wake);
  window.addEventListener('focus', wake);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pageshow', wake);
    window.removeEventListener('focus', wake);
  };
}

/** setTimeout's ceiling (about 24.8 days); longer delays would fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
