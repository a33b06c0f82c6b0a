/**
 * Keyboard only, in Chromium against the demo: Tab and Shift+Tab stay in the open dialog, and a
 * failed submit puts focus on the error summary, whose links move focus to the fields. (The whole
 * flow, Escape and the success heading are in demo-keyboard.test.ts.)
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { launchChromium } from './browser';
import { startBuiltDemo } from './demo-server';
import { closeDialog, signInAsAlice } from './demo-fixtures';
import { describeFocus, tabUntil, type FocusInfo } from './keyboard';

let browser: Browser;
let demo: RunningDemo;
let page: Page;

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startBuiltDemo()]);
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signInAsAlice(page, demo);
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function openByKeyboard(visit: string): Promise<void> {
  await tabUntil(page, (f) => f.tag === 'button' && f.text === 'Cancel appointment' && f.cardText.startsWith(visit));
  await page.keyboard.press('Enter');
  await page.getByRole('alertdialog').getByRole('radio').first().waitFor();
}

/** Where focus goes over `presses` presses of Tab (or Shift+Tab). */
async function walk(presses: number, key: 'Tab' | 'Shift+Tab'): Promise<FocusInfo[]> {
  const stops: FocusInfo[] = [];
  for (let i = 0; i < presses; i += 1) {
    await page.keyboard.press(key);
    stops.push(await describeFocus(page));
  }
  return stops;
}

const label = (f: FocusInfo) => `${f.tag}:${f.text || f.label}`.slice(0, 50);

describe('keyboard only, in Chromium', () => {
  it('Tab and Shift+Tab cycle through the dialog and never reach the page behind it', async () => {
    await openByKeyboard('Wound dressing');
    // Keep appointment, a radio, the note, Cancel appointment: ~6 stops, so 20 presses go round 3 times.
    for (const key of ['Tab', 'Shift+Tab'] as const) {
      // Twice round and then some: every stop is in the dialog (or, between rounds, the browser's
      // own toolbar, which Chromium reaches from a modal dialog; the page behind never is).
      const stops = await walk(20, key);
      const outside = stops.filter((f) => !f.insideDialog && f.tag !== 'body');
      expect(outside.map(label), key).toEqual([]);
      const inside = new Set(stops.filter((f) => f.insideDialog).map(label));
      expect(inside.size, key).toBeGreaterThanOrEqual(4);
      // It really went round: the first stop comes back.
      const first = stops.find((f) => f.insideDialog)!;
      expect(stops.filter((f) => label(f) === label(first)).length, key).toBeGreaterThanOrEqual(2);
    }
    await closeDialog(page);
  });

  it('after a failed submit focus is on the error summary, and its links move focus to the fields', async () => {
    await page.keyboard.press('Shift+Tab');
    await openByKeyboard('Blood pressure check');

    await tabUntil(page, (f) => f.tag === 'button' && f.text === 'Cancel appointment' && f.insideDialog);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await describeFocus(page)).text).toMatch(/^There is a problem/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');

    await page.keyboard.press('Tab');
    expect(await describeFocus(page)).toMatchObject({ tag: 'a', text: 'Choose why you are cancelling' });
    await page.keyboard.press('Enter');
    expect(await describeFocus(page)).toMatchObject({ tag: 'input', type: 'radio', insideDialog: true });

    // Arrow keys move through the radio group and choose as they go: "Another reason" needs a note.
    for (let i = 0; i < 8 && !(await describeFocus(page)).label.startsWith('Another reason'); i += 1) {
      await page.keyboard.press('ArrowDown');
    }
    expect((await describeFocus(page)).label).toMatch(/^Another reason/);
    await page.keyboard.press('Space');
    expect(await page.getByRole('radio', { name: 'Another reason (please tell us more)' }).isChecked()).toBe(true);

    await tabUntil(page, (f) => f.tag === 'button' && f.text === 'Cancel appointment' && f.insideDialog);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await describeFocus(page)).text).toMatch(/^There is a problem/);
    await page.keyboard.press('Tab');
    expect(await describeFocus(page)).toMatchObject({ tag: 'a', text: 'Tell us why you are cancelling' });
    await page.keyboard.press('Enter');
    expect(await describeFocus(page)).toMatchObject({ tag: 'textarea', insideDialog: true });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    expect(demo.simulator.ledger.filter((entry) => entry.method === 'POST')).toHaveLength(0);
    await closeDialog(page);
  });

  it('opening moves focus once, straight to "Keep appointment", by keyboard and by pointer: nothing is announced before it', async () => {
    // Every focus that lands in a dialog, in order. showModal() alone would focus the first
    // focusable element (the charge section) before the widget moved focus on.
    await page.evaluate(() => {
      const log: string[] = [];
      (window as unknown as { focusLog: string[] }).focusLog = log;
      document.addEventListener(
        'focusin',
        (event) => {
          const target = event.target as HTMLElement;
          if (target.closest('dialog') !== null) log.push(`${target.tagName.toLowerCase()}:${(target.textContent ?? '').trim().slice(0, 40)}`);
        },
        true,
      );
    });
    const takeLog = () => page.evaluate(() => (window as unknown as { focusLog: string[] }).focusLog.splice(0));

    await openByKeyboard('Wound dressing');
    expect(await takeLog()).toEqual(['button:Keep appointment']);
    await closeDialog(page);

    await page.locator('li.demo-card', { hasText: 'Blood pressure check' }).getByRole('button', { name: 'Cancel appointment' }).click();
    await page.getByRole('alertdialog').getByRole('radio').first().waitFor();
    expect(await takeLog()).toEqual(['button:Keep appointment']);
    await closeDialog(page);
  });
});
