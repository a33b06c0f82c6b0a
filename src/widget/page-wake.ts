/**
 * Calls `listener` whenever a page that may have slept comes back: it becomes visible, is
 * restored from the back/forward cache, or regains focus. Timers are throttled or frozen in the
 * background, so anything time-based must re-read the clock then.
 */
export function onPageWake(listener: () => void): () => void {
  if (typeof document === 'undefined' || typeof window === 'undefined') return () => {};
  const onVisibility = () => {
    if (document.visibilityState === 'visible') listener();
  };
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pageshow', listener);
  window.addEventListener('focus', listener);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pageshow', listener);
    window.removeEventListener('focus', listener);
  };
}

/** setTimeout's ceiling (about 24.8 days); longer delays would fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
