/**
 * The dialog's code is split from the button's: a page with a list of visits pays for a button per
 * visit, and only a patient who shows intent (hovers, focuses, touches or clicks a trigger) loads
 * the dialog, the form, the client and the copy. The loaded component is shared by every button
 * on the page, so once one trigger has loaded it, every other one opens without waiting.
 */
import { useSyncExternalStore, type ComponentType } from 'react';
import type { CancelAppointmentDialogProps } from './cancel-appointment-dialog';

export type CancelDialogComponent = ComponentType<CancelAppointmentDialogProps>;

let loaded: CancelDialogComponent | null = null;
let loading: Promise<CancelDialogComponent> | null = null;
const listeners = new Set<() => void>();

/**
 * Starts loading the dialog (once) and resolves with it. A failed load (a flaky network, a
 * deployment that replaced the chunk) is forgotten, so the next intent tries again.
 */
export function loadCancelDialog(): Promise<CancelDialogComponent> {
  loading ??= import('./cancel-appointment-dialog').then(
    (module) => {
      loaded = module.CancelAppointmentDialog;
      for (const listener of listeners) listener();
      return loaded;
    },
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

const current = () => loaded;
// The server never loads it: server-rendered markup is the button alone.
const onServer = () => null;

/** The dialog component once loaded by any trigger on the page, else null. */
export function useLoadedCancelDialog(): CancelDialogComponent | null {
  return useSyncExternalStore(subscribe, current, onServer);
}
