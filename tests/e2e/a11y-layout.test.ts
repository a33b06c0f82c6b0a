/**
 * Layout and display preferences in Chromium against the demo: target size (WCAG 2.5.8), reflow at
 * 320 CSS px (1.4.10), 400 % zoom (a 320×256 CSS-px viewport, which is 1280×1024 at 400 %), a
 * visible focus indicator in forced-colours mode (2.4.7), and no motion when the system asks;
 * and, at 320 px, the dialog's width and the alignment of "Hide seconds" and the error summary's bullets.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { launchChromium } from './browser';
import { startBuiltDemo } from './demo-server';
import { addAliceVisit, closeDialog, HOUR, MINUTE, openDialogFor, signInAsAlice } from './demo-fixtures';
import { describeFocus } from './keyboard';

let browser: Browser;
let demo: RunningDemo;

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startBuiltDemo()]);
  addAliceVisit(demo, 'apt_alice_last_hour', 'Physiotherapy review', 24 * HOUR + 30 * MINUTE);
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function pageAt(width: number, height: number, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height }, ...options });
  const page = await context.newPage();
  await signInAsAlice(page, demo);
  return { context, page };
}

const INTERACTIVE = 'button, a[href], input, textarea, select, [role="button"], [role="link"]';

/** The dialog states with the most controls: the form (free, last hour), chargeable, the error summary. */
const DIALOG_STATES: Array<{ name: string; open: (page: Page) => Promise<void> }> = [
  {
    name: 'form, last hour (with "Hide seconds")',
    open: async (page) => {
      await openDialogFor(page, 'Physiotherapy review');
      await page.getByRole('alertdialog').getByRole('button', { name: 'Hide seconds' }).waitFor();
    },
  },
  {
    name: 'chargeable, with the acknowledgement',
    open: async (page) => {
      await openDialogFor(page, 'INR blood test');
      await page.getByRole('alertdialog').getByRole('checkbox').waitFor();
    },
  },
  {
    name: 'error summary (every field in error)',
    open: async (page) => {
      await openDialogFor(page, 'INR blood test');
      const dialog = page.getByRole('alertdialog');
      await dialog.getByRole('radio').first().waitFor();
      await dialog.getByRole('textbox').fill('x'.repeat(501));
      await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
      await dialog.getByRole('link', { name: /Tick the box/ }).waitFor();
    },
  },
];

interface Target {
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

/** Every visible interactive element of the dialog if open, else of the page. */
function measureTargets(page: Page): Promise<Target[]> {
  return page.evaluate((selector) => {
    const root = document.querySelector('dialog[open]') ?? document;
    return [...root.querySelectorAll<HTMLElement>(selector)]
      .filter((element) => element.checkVisibility())
      .map((element) => {
        const box = element.getBoundingClientRect();
        const name = `${element.tagName.toLowerCase()}${element.getAttribute('type') ? `[${element.getAttribute('type')}]` : ''} "${(element.textContent || element.getAttribute('aria-label') || element.id).trim().slice(0, 40)}"`;
        return { name, width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10 };
      });
  }, INTERACTIVE);
}

describe('target size (2.5.8): every interactive element at least 24×24 CSS px', () => {
  it('on the page and in each dialog state, on a phone and on a desktop screen', async () => {
    const all: Target[] = [];
    // Both: text wraps on a phone, so a link there is two lines tall; on a desktop it is one.
    for (const [width, height] of [[390, 844], [1280, 800]] as const) {
      const { context, page } = await pageAt(width, height);
      all.push(...(await measureTargets(page)));
      for (const state of DIALOG_STATES) {
        await state.open(page);
        all.push(...(await measureTargets(page)));
        await closeDialog(page);
      }
      await context.close();
    }
    const small = all.filter((target) => target.width < 24 || target.height < 24);
    const bySmallerSide = [...all].sort((a, b) => Math.min(a.width, a.height) - Math.min(b.width, b.height));
    console.log(
      `target size: ${all.length} targets measured; the smallest: ${bySmallerSide
        .slice(0, 4)
        .map((target) => `${target.width}×${target.height} ${target.name}`)
        .join('; ')}`,
    );
    expect(all.length).toBeGreaterThan(60);
    expect(small).toEqual([]);
  });
});

describe('reflow and zoom', () => {
  const noHorizontalScroll = (page: Page) =>
    page.evaluate(() => {
      const dialog = document.querySelector('dialog[open]');
      return {
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        dialog: dialog === null ? 0 : dialog.scrollWidth - dialog.clientWidth,
      };
    });

  it('no horizontal scrolling at 320 CSS px wide, page or dialog', async () => {
    const { context, page } = await pageAt(320, 640);
    expect(await noHorizontalScroll(page)).toEqual({ page: 0, dialog: 0 });
    for (const state of DIALOG_STATES) {
      await state.open(page);
      expect(await noHorizontalScroll(page), state.name).toEqual({ page: 0, dialog: 0 });
      await closeDialog(page);
    }
    await context.close();
  });

  it('at 400 % zoom (320×256 CSS px) every control of the dialog can be scrolled to and is then on screen, uncovered', async () => {
    const { context, page } = await pageAt(320, 256);
    for (const state of DIALOG_STATES) {
      await state.open(page);
      expect(await noHorizontalScroll(page), state.name).toEqual({ page: 0, dialog: 0 });
      const unreachable = await page.evaluate((selector) => {
        const dialog = document.querySelector('dialog[open]')!;
        const problems: string[] = [];
        for (const element of dialog.querySelectorAll<HTMLElement>(selector)) {
          if (!element.checkVisibility()) continue;
          element.scrollIntoView({ block: 'center', inline: 'nearest' });
          const box = element.getBoundingClientRect();
          const x = box.left + box.width / 2;
          const y = box.top + Math.min(box.height / 2, 8);
          const hit = document.elementFromPoint(x, y);
          const onScreen = box.left >= 0 && box.right <= window.innerWidth && box.top >= 0 && box.top < window.innerHeight;
          const uncovered = hit !== null && (hit === element || element.contains(hit) || (element as HTMLInputElement).labels?.[0]?.contains(hit) === true);
          if (!onScreen || !uncovered) problems.push(`${element.tagName} ${(element.textContent || element.id).trim().slice(0, 30)}`);
        }
        return problems;
      }, INTERACTIVE);
      expect(unreachable, state.name).toEqual([]);
      await closeDialog(page);
    }
    await context.close();
  });
});

describe('forced colours and reduced motion', () => {
  it('in forced-colours mode every control of the dialog shows a focus outline when reached by keyboard', async () => {
    const { context, page } = await pageAt(390, 844);
    await page.emulateMedia({ forcedColors: 'active' });
    expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
    await DIALOG_STATES[2]!.open(page);
    const seen = new Map<string, { style: string; width: string }>();
    for (let i = 0; i < 16; i += 1) {
      await page.keyboard.press('Tab');
      const focus = await describeFocus(page);
      if (!focus.insideDialog || focus.tag === 'dialog') continue;
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement!);
        return { style: style.outlineStyle, width: style.outlineWidth };
      });
      seen.set(`${focus.tag} ${focus.text || focus.label}`.slice(0, 50), outline);
    }
    expect(seen.size).toBeGreaterThanOrEqual(6);
    const invisible = [...seen].filter(([, outline]) => outline.style === 'none' || parseFloat(outline.width) < 2);
    expect(invisible).toEqual([]);
    // The error summary, focused by the widget itself, shows it too.
    const summary = await page.locator('.hc-error-summary').evaluate((element) => {
      (element as HTMLElement).focus();
      const style = getComputedStyle(element);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(summary.style).not.toBe('none');
    expect(summary.width).toBeGreaterThanOrEqual(2);
    await context.close();
  });

  it('the dialog fades in only when the system does not ask for reduced motion', async () => {
    const animationOf = async (reducedMotion: 'reduce' | 'no-preference') => {
      const { context, page } = await pageAt(390, 844, { reducedMotion });
      await openDialogFor(page, 'Arrival time not set yet');
      const result = await page.evaluate(() => {
        const dialog = document.querySelector('dialog[open]')!;
        const moving = [dialog, ...dialog.querySelectorAll('*')].filter((element) => {
          const style = getComputedStyle(element);
          return style.animationName !== 'none' || style.transitionDuration.split(',').some((duration) => parseFloat(duration) > 0);
        });
        return { moving: moving.map((element) => element.className || element.tagName), animations: document.getAnimations().length };
      });
      await context.close();
      return result;
    };
    // Without the preference it does animate, so the assertion below can tell the difference.
    expect((await animationOf('no-preference')).moving).toContain('hc-dialog');
    expect(await animationOf('reduce')).toEqual({ moving: [], animations: 0 });
  });
});

/** Opens the dialog for a card, waits for its form and for the fade-in to end. */
async function openFormAt(page: Page, cardText: string): Promise<void> {
  await openDialogFor(page, cardText);
  await page.getByRole('alertdialog').getByRole('radio').first().waitFor();
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
}

describe('layout at 320 px', () => {
  it('the dialog is as wide as the screen less its 8 px margins', async () => {
    const { context, page } = await pageAt(320, 640);
    await openFormAt(page, 'Wound dressing');
    const width = await page.evaluate(() => document.querySelector('dialog[open]')!.getBoundingClientRect().width);
    expect(width).toBe(304);
    await context.close();
  });

  it('"Hide seconds" lines up with the countdown above it', async () => {
    const { context, page } = await pageAt(320, 640);
    await openFormAt(page, 'Physiotherapy review');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Hide seconds' }).waitFor();
    const offset = await page.evaluate(() => {
      const text = (selector: string) => {
        // Where the words start, not the box: a button's padding would shift its text.
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(`dialog[open] ${selector}`)!);
        return range.getClientRects()[0]!.left;
      };
      return text('.hc-charge__seconds') - text('.hc-charge__countdown');
    });
    // Within its 2 px border (transparent, and kept: forced colours draw it).
    expect(Math.abs(offset)).toBeLessThanOrEqual(2);
    await context.close();
  });

  it("each error summary bullet sits by the first line of its link, not the last", async () => {
    const { context, page } = await pageAt(320, 640);
    await openFormAt(page, 'INR blood test');
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
    const link = dialog.getByRole('link', { name: /Tick the box/ });
    await link.waitFor();
    // The bullet is drawn, not in the DOM: find it in a screenshot of the list's left gutter (one
    // image pixel per CSS pixel, the context's scale).
    const gutter = await link.evaluate((element) => {
      const item = element.closest('li')!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(element);
      const lines = [...range.getClientRects()].filter((rect, index, all) => index === 0 || rect.top > all[index - 1]!.top);
      return { x: item.left - 20, y: item.top, width: 20, height: item.height, firstLineBottom: lines[0]!.bottom - item.top, lines: lines.length };
    });
    // The case in question: a link that wraps.
    expect(gutter.lines).toBeGreaterThan(1);
    const png = await page.screenshot({ clip: { x: gutter.x, y: gutter.y, width: gutter.width, height: gutter.height } });
    const inkRows = await page.evaluate(async (dataUrl) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      const rows: number[] = [];
      for (let y = 0; y < image.height; y += 1) {
        for (let x = 0; x < image.width; x += 1) {
          const i = (y * image.width + x) * 4;
          // Anything clearly darker than the white surface is the bullet.
          if (data[i]! + data[i + 1]! + data[i + 2]! < 600) {
            rows.push(y);
            break;
          }
        }
      }
      return rows;
    }, `data:image/png;base64,${png.toString('base64')}`);
    expect(inkRows.length).toBeGreaterThan(0);
    expect(Math.max(...inkRows)).toBeLessThanOrEqual(gutter.firstLineBottom);
    await context.close();
  });
});
