import type { QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/**
 * Which appointments have a dialog open, per QueryClient (the widgets that share one share their
 * attempts). A portal may show two buttons for one visit (a "next visit" card above the list):
 * when the patient cancels from one, the report of the confirmation belongs to the dialog they
 * are looking at, which holds it until they close it, not to the closed one elsewhere.
 */
const openByClient = new WeakMap<QueryClient, Map<string, number>>();

/** Counts this dialog as open for its appointment while `isOpen`. */
export function useCountOpenDialog(queryClient: QueryClient, appointmentId: string, isOpen: boolean): void {
  useEffect(() => {
    if (!isOpen) return undefined;
    let byId = openByClient.get(queryClient);
    if (byId === undefined) {
      byId = new Map();
      openByClient.set(queryClient, byId);
    }
    const counts = byId;
    counts.set(appointmentId, (counts.get(appointmentId) ?? 0) + 1);
    return () => {
      const left = (counts.get(appointmentId) ?? 1) - 1;
      if (left > 0) counts.set(appointmentId, left);
      else counts.delete(appointmentId);
    };
  }, [queryClient, appointmentId, isOpen]);
}

/** Whether any dialog for this appointment is open. */
export function isDialogOpenFor(queryClient: QueryClient, appointmentId: string): boolean {
  return (openByClient.get(queryClient)?.get(appointmentId) ?? 0) > 0;
}
