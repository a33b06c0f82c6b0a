/**
 * The countdown in real Chromium, on Playwright's clock (hours pass in a second, nothing waits):
 * what the polite live region says over a three-hour countdown to the charge window, and the
 * control that stops the per-second ticking (WCAG 2.2.2), worked by keyboard.
 *
 * The demo's proxy keeps real time while the page's clock runs ahead, so once the dialog has
 * loaded, its periodic re-reads of the appointment are held back (a re-read would bring the real,
 * hours-earlier server time with it). The widget's own clock, timers and rendering run unchanged.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { launchChromium } from './browser';
import { startBuiltDemo } from './demo-server';
import { addAliceVisit, HOUR, holdRequests, MINUTE, openDialogFor, signInAsAlice } from './demo-fixtures';
import { describeFocus, tabUntil } from './keyboard';

let browser: Browser;
let demo: RunningDemo;
let page: Page;
/** When cancelling "Occupational therapy" may start to be charged (ETA − 24 h), in epoch ms. */
let chargeableFromMs: number;

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startBuiltDemo()]);
  chargeableFromMs = addAliceVisit(demo, 'apt_alice_3h_free', 'Occupational therapy', 24 * HOUR + 3 * HOUR) - 24 * HOUR;
  addAliceVisit(demo, 'apt_alice_20m_free', 'Speech therapy', 24 * HOUR + 20 * MINUTE);
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.clock.install({ time: Date.now() });
  await signInAsAlice(page, demo);
});
afterEach(async () => {
  await page?.close();
});

interface Change {
  readonly at: number;
  readonly text: string;
}

/** Records, in the page, every text the element shows from now on, with the page's clock time. */
async function recordChanges(page: Page, selector: string, key: string): Promise<void> {
  await page.evaluate(
    ({ selector, key }) => {
      const element = document.querySelector(selector);
      if (element === null) throw new Error(`nothing matches ${selector}`);
      const changes: { at: number; text: string }[] = [];
      (window as unknown as Record<string, unknown>)[key] = changes;
      new MutationObserver(() => {
        const text = element.textContent ?? '';
        if (text !== '' && changes.at(-1)?.text !== text) changes.push({ at: Date.now(), text });
      }).observe(element, { childList: true, characterData: true, subtree: true });
    },
    { selector, key },
  );
}

const changesOf = (page: Page, key: string) =>
  page.evaluate((key) => (window as unknown as Record<string, Change[]>)[key] ?? [], key);

const POLITE_REGION = '.hc-dialog .hc-charge [aria-live="polite"]';
const COUNTDOWN = '.hc-dialog .hc-charge__countdown';

describe('announcements over a three-hour countdown to the charge window', () => {
  it('speaks at coarse thresholds only: at most once a minute, at most 8 in all, once "charges may now apply"', async () => {
    await openDialogFor(page, 'Occupational therapy');
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(/^Time left to cancel free of charge: (3 hours|2 hours, 59 minutes)\.$/).waitFor();
    await holdRequests(page, '**/api/appointments/apt_alice_3h_free', 'GET');

    // The ticking text is not (inside) a live region; the announcer is a separate polite one.
    const countdownLive = await page.evaluate(
      (selector) => document.querySelector(selector)?.closest('[aria-live], [role="status"], [role="alert"], [role="log"], [role="timer"], [role="marquee"]') ?? null,
      COUNTDOWN,
    );
    expect(countdownLive).toBeNull();
    expect(await page.locator(POLITE_REGION).getAttribute('role')).toBe('status');
    // Opened before the appointment arrived: its arrival was said once (announceLoaded), nothing since.
    expect(await page.locator(POLITE_REGION).textContent()).toMatch(/^Appointment loaded\. Free to cancel until .+\.$/);

    await recordChanges(page, POLITE_REGION, '__announcements');
    await recordChanges(page, COUNTDOWN, '__countdown');
    const start = await page.evaluate(() => Date.now());
    await page.clock.runFor(3 * HOUR + 10 * MINUTE);

    const announcements = await changesOf(page, '__announcements');
    const countdownChanges = (await changesOf(page, '__countdown')).length;
    const gaps = announcements.slice(1).map((change, index) => change.at - announcements[index]!.at);
    const chargesBegin = announcements.filter((change) => /charges may now apply/i.test(change.text));
    console.log(
      `announcements over a 3-hour countdown: ${announcements.length} in all, ${chargesBegin.length} "charges may now apply", ` +
        `smallest gap ${Math.min(...gaps) / 1000} s; the visible countdown changed ${countdownChanges} times\n` +
        announcements.map((change) => `  +${((change.at - start) / MINUTE).toFixed(1)} min: ${change.text}`).join('\n'),
    );

    expect(announcements.length).toBeLessThanOrEqual(8);
    expect(chargesBegin).toHaveLength(1);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(MINUTE);
    expect(announcements.map((change) => change.text)).toEqual([
      '1 hour left to cancel free of charge.',
      '30 minutes left to cancel free of charge.',
      '15 minutes left to cancel free of charge.',
      '10 minutes left to cancel free of charge.',
      '5 minutes left to cancel free of charge.',
      '1 minute left to cancel free of charge.',
      'Charges may now apply. If you cancel from now on, you may be charged.',
    ]);
    // "Charges may now apply" is said when the window opens (by the widget's estimate of the
    // proxy's clock, which may differ from the page's by a fraction of a round trip).
    expect(Math.abs(chargesBegin[0]!.at - chargeableFromMs)).toBeLessThan(2_000);
    // Meanwhile the visible text did tick (so silence above is the announcer's doing).
    expect(countdownChanges).toBeGreaterThan(3600);
    await expect.poll(() => dialog.getAttribute('data-charge')).toBe('chargeable');
    expect(await dialog.evaluate((element) => (element as HTMLDialogElement).open)).toBe(true);
    expect(demo.simulator.ledger.filter((entry) => entry.method === 'POST')).toHaveLength(0);
  });
});

describe('stopping the per-second ticking (WCAG 2.2.2), by keyboard', () => {
  it('"Hide seconds" makes the countdown change once a minute; "Show seconds" brings the seconds back', async () => {
    await page.getByRole('heading', { name: 'Speech therapy' }).waitFor();
    await tabUntil(page, (focus) => focus.tag === 'button' && focus.text === 'Cancel appointment' && focus.cardText.startsWith('Speech therapy'));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(/^Time left to cancel free of charge: \d+ minutes, \d+ seconds?\.$/).waitFor();
    await holdRequests(page, '**/api/appointments/apt_alice_20m_free', 'GET');

    await tabUntil(page, (focus) => focus.tag === 'button' && focus.text === 'Hide seconds');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Show seconds' }).waitFor();
    expect(await describeFocus(page)).toMatchObject({ tag: 'button', text: 'Show seconds', insideDialog: true });
    expect(await page.locator(COUNTDOWN).textContent()).toMatch(/^Time left to cancel free of charge: \d+ minutes\.$/);

    await recordChanges(page, COUNTDOWN, '__hidden');
    await page.clock.runFor(3 * MINUTE);
    const hidden = await changesOf(page, '__hidden');
    expect(hidden).toHaveLength(3);
    for (const change of hidden) expect(change.text).toMatch(/^Time left to cancel free of charge: \d+ minutes?\.$/);

    await page.keyboard.press('Space');
    await dialog.getByRole('button', { name: 'Hide seconds' }).waitFor();
    await recordChanges(page, COUNTDOWN, '__shown');
    await page.clock.runFor(10_000);
    const shown = await changesOf(page, '__shown');
    expect(shown.length).toBeGreaterThanOrEqual(9);
    expect(shown.at(-1)?.text).toMatch(/\d+ minutes?, \d+ seconds?\.$/);
  });
});
