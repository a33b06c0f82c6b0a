import { onTestFinished, vi } from 'vitest';

/**
 * For tests that use partial translations on purpose: the development warning about words left
 * in English (src/widget/messages-check.ts) is expected there, and
 * tests/widget/messages-warnings.test.tsx checks it. Silences `console.warn` for the current test.
 */
export function quietUntranslatedWarnings(): void {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  onTestFinished(() => warn.mockRestore());
}
