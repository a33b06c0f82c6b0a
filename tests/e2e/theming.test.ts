/**
 * Theming in Chromium: dark mode follows the system's `prefers-color-scheme` and stays accessible
 * (axe, WCAG 2.2 AA, every state the patient passes through), and a portal's own custom property
 * values re-colour the widget without touching its rules.
 */
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { scanState } from './a11y-scan';
import { demoPerTest } from './demo-server';
import { openDialogFor, signInAsAlice } from './demo-fixtures';

const e2e = demoPerTest();
let demo: RunningDemo;
let page: Page;

beforeEach(() => {
  demo = e2e.demo;
});

/** Relative luminance (WCAG) of a computed `rgb(…)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const colours = (selector: string) =>
  page.locator(selector).evaluate((element) => {
    const style = getComputedStyle(element);
    return { background: style.backgroundColor, text: style.color };
  });

describe('dark mode', () => {
  it('follows prefers-color-scheme: dark surfaces, light text, and no axe violation in any state', async () => {
    page = await e2e.openPage({ colorScheme: 'dark', viewport: { width: 1024, height: 800 } });
    await signInAsAlice(page, demo);
    await openDialogFor(page, 'Wound dressing');
    await page.getByRole('alertdialog').getByRole('radio').first().waitFor();

    const dialog = await colours('dialog[open]');
    expect(luminance(dialog.background)).toBeLessThan(0.05);
    expect(luminance(dialog.text)).toBeGreaterThan(0.7);

    const states: string[] = [];
    const check = async (state: string) => {
      const scan = await scanState(page, `dark: ${state}`);
      expect(scan.violations, state).toEqual([]);
      expect(scan.incomplete.filter((finding) => finding.review === undefined), state).toEqual([]);
      states.push(state);
    };
    await check('form');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel appointment' }).click();
    await page.getByRole('alertdialog').getByRole('alert').first().waitFor();
    await check('validation error');
    await page.getByRole('alertdialog').getByRole('radio', { name: "I'm unwell" }).check();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel appointment' }).click();
    await page.getByRole('alertdialog').getByRole('heading', { name: /cancelled/i }).waitFor();
    await check('success');
    console.log(`theming: dark mode, ${states.length} states scanned, 0 violations`);
  });

  it('the last hour of a chargeable visit: "Hide seconds" on the warning surface keeps 4.5:1, and axe finds nothing', async () => {
    page = await e2e.openPage({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
    await signInAsAlice(page, demo);
    // Due in 20 minutes: the warning, with seconds showing and the control that hides them.
    await openDialogFor(page, 'Vitamin B12 injection');
    const toggle = page.getByRole('alertdialog').getByRole('button', { name: 'Hide seconds' });
    await toggle.waitFor();
    const text = await colours('.hc-charge__seconds');
    const surface = await colours('.hc-charge');
    const [lighter, darker] = [luminance(text.text), luminance(surface.background)].sort((a, b) => b - a);
    expect((lighter! + 0.05) / (darker! + 0.05)).toBeGreaterThanOrEqual(4.5);
    const scan = await scanState(page, 'dark: chargeable, last hour, seconds shown');
    expect(scan.violations).toEqual([]);
    expect(scan.incomplete.filter((finding) => finding.review === undefined)).toEqual([]);
  });

  it('stays light when the system asks for light', async () => {
    page = await e2e.openPage({ colorScheme: 'light', viewport: { width: 1024, height: 800 } });
    await signInAsAlice(page, demo);
    await openDialogFor(page, 'Wound dressing');
    const dialog = await colours('dialog[open]');
    expect(luminance(dialog.background)).toBeGreaterThan(0.9);
  });

  it('stays light under a dark system when the page opts out (a portal with no dark mode of its own)', async () => {
    page = await e2e.openPage({ colorScheme: 'dark', viewport: { width: 1024, height: 800 } });
    await signInAsAlice(page, demo);
    await page.evaluate("document.documentElement.setAttribute('data-hc-color-scheme', 'light')");
    await openDialogFor(page, 'Wound dressing');
    const dialog = await colours('dialog[open]');
    expect(luminance(dialog.background)).toBeGreaterThan(0.9);
    expect(luminance(dialog.text)).toBeLessThan(0.05);
  });
});

describe('custom properties', () => {
  it("re-colour the widget from the portal's own stylesheets, loaded before or after the widget's", async () => {
    page = await e2e.openPage({ viewport: { width: 1024, height: 800 } });
    await signInAsAlice(page, demo);
    // What a portal's stylesheets would say, added through the CSSOM (which the page's CSP allows):
    // one rule at the very start of the cascade, before the widget's stylesheet, one after it.
    await page.evaluate(() => {
      document.styleSheets[0]!.insertRule(':root { --hc-color-danger: rgb(106, 27, 154); }', 0);
      const after = new CSSStyleSheet();
      after.replaceSync(':root { --hc-radius: 0px; --hc-focus-width: 4px; }');
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, after];
    });
    await openDialogFor(page, 'Wound dressing');
    const confirm = page.getByRole('alertdialog').getByRole('button', { name: 'Cancel appointment' });
    const look = await confirm.evaluate((element) => {
      const style = getComputedStyle(element);
      return { background: style.backgroundColor, radius: style.borderTopLeftRadius };
    });
    expect(look).toEqual({ background: 'rgb(106, 27, 154)', radius: '0px' });
    await confirm.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await confirm.evaluate((element) => getComputedStyle(element).outlineWidth)).toBe('4px');
  });
});
