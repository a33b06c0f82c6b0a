/** Shared steps of the stories' play functions. */
import { expect, waitFor, within } from 'storybook/test';
import type { InMemoryBackend } from '../in-memory-backend';

/** Waits until no animation runs (the dialog fades in), so visibility and colours are final. */
export async function animationsSettled(): Promise<void> {
  await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
}

/** The open dialog, once something other than "Loading" shows in it. */
export async function openedDialog(canvasElement: HTMLElement, { loaded = true }: { loaded?: boolean } = {}) {
  const element = await within(canvasElement).findByRole('alertdialog', {}, { timeout: 5000 });
  const dialog = within(element);
  if (loaded) {
    // Loaded: the "Loading" line has made way for the summary or a status panel.
    await waitFor(() => expect(element.querySelector('.hc-loading') === null && element.querySelector('button') !== null).toBe(true), {
      timeout: 5000,
    });
  }
  await animationsSettled();
  return { element, dialog };
}

/** The story's backend (real proxy + simulator in the page), as the preview's loader made it. */
export function storyBackend(loaded: Record<string, unknown>): InMemoryBackend {
  const backend = loaded.backend as InMemoryBackend | undefined;
  if (!backend) throw new Error('The story has no backend: is the preview loader installed?');
  return backend;
}

/** Cancel POSTs that reached the simulated Heim. */
export function upstreamCancels(loaded: Record<string, unknown>): number {
  return storyBackend(loaded).simulator.ledger.filter((entry) => entry.method === 'POST').length;
}
