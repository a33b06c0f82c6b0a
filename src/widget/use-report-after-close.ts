import { useCallback, useEffect, useRef } from 'react';

/**
 * Holds a report back while the dialog is open and delivers it when the dialog closes (or the
 * widget goes away). For `onCancelled`: the natural thing for a portal to do there is refresh its
 * list of visits, and a list that drops cancelled visits would unmount the button, and the dialog
 * inside it, while the patient is reading "Your appointment is cancelled" — the confirmation
 * would vanish and focus fall to the page's body. Held until the patient closes it, the refresh
 * comes after the news. A report made while the dialog is closed (a confirmation that arrived in
 * the background) is delivered at once.
 */
export function useReportAfterClose<T>(report: ((value: T) => void) | undefined, open: boolean): (value: T) => void {
  const latest = useRef({ report, open });
  latest.current = { report, open };
  const held = useRef<{ value: T } | null>(null);

  const deliver = useCallback(() => {
    const pending = held.current;
    held.current = null;
    if (pending !== null) latest.current.report?.(pending.value);
  }, []);

  useEffect(() => {
    if (!open) deliver();
  }, [open, deliver]);
  // Unmounted with a report held (the portal navigated away with the dialog open): still delivered.
  useEffect(() => deliver, [deliver]);

  return useCallback(
    (value: T) => {
      if (latest.current.open) held.current = { value };
      else latest.current.report?.(value);
    },
    [],
  );
}
