/** Keyboard-only helpers: move focus with Tab as a patient would, never by clicking. */
import type { Page } from 'playwright-core';

export interface FocusInfo {
  tag: string;
  text: string;
  type: string | null;
  label: string;
  insideDialog: boolean;
  cardText: string;
}

export function describeFocus(page: Page): Promise<FocusInfo> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const input = el as HTMLInputElement | null;
    const labelText = input?.labels?.[0]?.textContent ?? el?.getAttribute('aria-label') ?? '';
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.textContent ?? '').trim(),
      type: el?.getAttribute('type') ?? null,
      label: labelText.trim(),
      insideDialog: Boolean(el?.closest('dialog')),
      cardText: (el?.closest('li.demo-card')?.textContent ?? '').trim(),
    };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches, at most `max` times. */
export async function tabUntil(
  page: Page,
  matches: (focus: FocusInfo) => boolean,
  { max = 60, backwards = false }: { max?: number; backwards?: boolean } = {},
): Promise<FocusInfo> {
  const seen: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const focus = await describeFocus(page);
    if (matches(focus)) return focus;
    seen.push(`${focus.tag}:${focus.text || focus.label}`.slice(0, 60));
  }
  throw new Error(`Tab never reached the wanted element; focus went through: ${seen.join(' | ')}`);
}
