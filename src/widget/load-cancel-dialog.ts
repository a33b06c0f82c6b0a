/**
 * The dialog's code is split from the button's: a page with a list of visits pays for a button per
 * visit, and only a patient who shows intent (hovers, focuses, touches or clicks a trigger) loads
 * the dialog, the form, the client and the copy. The loaded component is shared by every button
 * on the page, so once one trigger has loaded it, every other one opens without waiting.
 */
import { useSyncExternalStore, type ComponentType } from 'react';
import type { CancelAppointmentDialogProps } from './cancel-appointment-dialog';

export type CancelDialogComponent = ComponentType<CancelAppointmentDialogProps>;

export interface CancelDialogLoader {
  /** The dialog component once any trigger on the page has loaded it, else null. */
  readonly dialog: CancelDialogComponent | null;
  /** The click waiting for the code, if any: the last one wins, so two triggers never open two dialogs. */
  readonly waitingClick: object | null;
}

// Also the server's: it never loads the dialog, so server-rendered markup is the button alone.
const initial: CancelDialogLoader = { dialog: null, waitingClick: null };
let state = initial;
let loading: Promise<CancelDialogComponent> | null = null;
const listeners = new Set<() => void>();

function update(next: Partial<CancelDialogLoader>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

/**
 * Starts loading the dialog (once) and resolves with it. A failed load (a flaky network, a
 * deployment that replaced the chunk) is forgotten, so the next intent tries again.
 */
export function loadCancelDialog(): Promise<CancelDialogComponent> {
  loading ??= import('./cancel-appointment-dialog').then(
    ({ CancelAppointmentDialog }) => {
      update({ dialog: CancelAppointmentDialog });
      return CancelAppointmentDialog;
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

/** The page's loader: the dialog once loaded, and the click waiting for it. */
export function useCancelDialogLoader(): CancelDialogLoader {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => initial,
  );
}

/** Stops `click` waiting, if it still is (its dialog will then not open); says whether it was. */
export function stopWaiting(click: object): boolean {
  const was = state.waitingClick === click;
  if (was) update({ waitingClick: null });
  return was;
}

/**
 * A click that came before the code waits for it. `settle` is called once: true when the code
 * has arrived, false when it could not; never if another click has waited since, or if
 * stopWaiting(click) came first (the button gave up after its timeout, went away, or now stands
 * for another appointment).
 */
export function waitForCancelDialog(click: object, settle: (arrived: boolean) => void): void {
  update({ waitingClick: click });
  loadCancelDialog().then(
    () => {
      if (stopWaiting(click)) settle(true);
    },
    () => {
      if (stopWaiting(click)) settle(false);
    },
  );
}
