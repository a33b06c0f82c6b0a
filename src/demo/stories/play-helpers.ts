/** Shared steps of the stories' play functions. */
import { within } from 'storybook/test';
import type { InMemoryBackend } from '../in-memory-backend';

/** Waits until no animation runs (the dialog fades in), so visibility and colours are final. */
export async function animationsSettled(): Promise<void> {
  await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
}

/** The open dialog, once something other than "Loading" shows in it. */
export async function openedDialog(canvasElement: HTMLElement, { loaded = true }: { loaded?: boolean } = {}) {
  const element = await within(canvasElement).findByRole('alertdialog', {}, { timeout: 5000 });
  const dialog = within(element);
  if (loaded) await dialog.findByRole('button', { name: /Keep appointment|Close/ }, { timeout: 5000 });
  if (loaded) {
    const waitUntil = Date.now() + 5000;
    while (element.querySelector('.hc-loading') && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
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
