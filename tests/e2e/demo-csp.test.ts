/**
 * The demo under a strict Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval'): the
 * whole cancellation works, the widget is styled by its stylesheet file, and Chromium reports no
 * violation. So a portal with a strict CSP can host the widget, which injects no style or script
 * at run time.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { launchChromium } from './browser';
import { startBuiltDemo } from './demo-server';

let browser: Browser;
let demo: RunningDemo;
let page: Page;

interface CspReport {
  directive: string;
  blocked: string;
}

beforeAll(async () => {
  browser = await launchChromium();
  demo = await startBuiltDemo();
  page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  // Listening before any script of the page runs, so an early violation is not missed.
  await page.addInitScript(() => {
    const reports: { directive: string; blocked: string }[] = [];
    (window as unknown as { __csp: typeof reports }).__csp = reports;
    document.addEventListener('securitypolicyviolation', (event) => {
      reports.push({ directive: event.effectiveDirective, blocked: event.blockedURI, at: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}` } as never);
    });
  });
});
afterAll(async () => {
  await page?.close();
  await demo?.close();
  await browser?.close();
});

const violations = () => page.evaluate(() => (window as unknown as { __csp: CspReport[] }).__csp);

describe('the demo under a strict Content-Security-Policy', () => {
  it('is served with a CSP that allows no inline script or style', async () => {
    const response = await page.goto(demo.url);
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('cancels an appointment with zero violations and no style injected at run time', async () => {
    await page.getByRole('link', { name: 'Sign in as Alice Morgan' }).click();
    await page.getByText('Signed in as').waitFor();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Wound dressing' }) });
    await card.getByRole('button', { name: 'Cancel appointment' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('radio', { name: "I'm unwell" }).check();

    // Styled by the stylesheet file: the theme's custom properties resolve and the layout applies.
    const look = await dialog.evaluate((element) => {
      const style = getComputedStyle(element);
      return { primary: style.getPropertyValue('--hc-color-primary').trim(), maxWidth: style.maxWidth, radius: style.borderTopLeftRadius };
    });
    expect(look.primary).toMatch(/^#[0-9a-f]{6}$/i);
    expect(look.radius).not.toBe('0px');

    await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog.getByRole('heading', { name: /cancelled/i }).waitFor();

    const injected = await page.evaluate(() => ({
      styleElements: document.querySelectorAll('style').length,
      inlineScripts: [...document.querySelectorAll('script')].filter((script) => !script.src).length,
      adopted: document.adoptedStyleSheets.length,
      sheetsWithoutFile: [...document.styleSheets].filter((sheet) => !sheet.href).length,
    }));
    expect(injected).toEqual({ styleElements: 0, inlineScripts: 0, adopted: 0, sheetsWithoutFile: 0 });
    expect(await violations()).toEqual([]);
    expect(demo.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
  });

  it('reports a violation when something does inject a style (the check can fail)', async () => {
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { outline: 1px solid red; }';
      document.head.append(style);
    });
    await expect.poll(async () => (await violations()).map((report) => report.directive)).toContain('style-src-elem');
  });
});
