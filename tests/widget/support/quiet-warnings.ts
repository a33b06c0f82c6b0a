import { onTestFinished, vi } from 'vitest';

/**
 * For tests that use partial translations on purpose: the development warning about words left
 * in English (src/widget/messages-check.ts) is expected there, and
 * tests/widget/messages-warnings.test.tsx checks it. Silences those for the current test.
 */
export function quietUntranslatedWarnings(): void {
  const original = console.warn.bind(console);
  // Only the widget's own development warnings: anything else still reaches the output.
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('heim-cancel:')) return;
    original(...args);
  });
  onTestFinished(() => warn.mockRestore());
}
