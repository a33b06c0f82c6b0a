import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { axeViolations } from './axe';
import { launchChromium } from './browser';
import { startBuiltDemo } from './demo-server';

let browser: Browser;
let demo: RunningDemo;
let page: Page;

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startBuiltDemo()]);
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${demo.url}demo/sign-in?patient=p_demo_alice`);
  await page.getByRole('heading', { name: 'Wound dressing' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function openDialogFor(cardText: string): Promise<void> {
  await page.locator('li.demo-card', { hasText: cardText }).getByRole('button', { name: 'Cancel appointment' }).click();
  await page.getByRole('alertdialog').waitFor();
}

async function closeDialog(): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
}

// axe treats everything outside an open modal <dialog> as inert, so the page is scanned first.
describe('axe (WCAG 2.2 AA) in Chromium finds no violations', () => {
  it('on the demo portal page', async () => {
    expect(await axeViolations(page)).toEqual([]);
  });

  it.each([
    ['no ETA', 'Arrival time not set yet', /no charge to cancel/i],
    ['free', 'Wound dressing', /free to cancel/i],
    ['chargeable', 'INR blood test', /may be charged/i],
    ['due', 'ECG at home', /due now/i],
    ['already cancelled', 'Status: Cancelled', /already cancelled/i],
    ['not cancellable', 'Status: Completed', /can.t be cancelled|cannot be cancelled|no longer be cancelled/i],
  ])('on the dialog: %s', async (_state, cardText, expected) => {
    await openDialogFor(cardText);
    try {
      await page.getByRole('alertdialog').getByText(expected).first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await closeDialog();
    }
  });

  it('on the dialog with a validation error, then after success', async () => {
    await openDialogFor('Blood pressure check');
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('radio').first().waitFor();
    await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog.getByText('There is a problem').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await dialog.getByRole('radio', { name: 'I need a different date or time' }).check();
    await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog.getByRole('heading', { name: 'Your appointment is cancelled' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await closeDialog();
  });

  it('on the dialog when Heim fails (retry offered) and while a cancellation awaits confirmation', async () => {
    await openDialogFor('Vitamin B12 injection');
    const dialog = page.getByRole('alertdialog');
    try {
      await dialog.getByRole('radio', { name: "I'm unwell" }).check();
      await dialog.getByRole('checkbox').check();

      demo.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
      await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
      await dialog.getByRole('button', { name: 'Try again' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);

      // Heim cancels but answers 503 and its cancellation read lags: the proxy cannot confirm yet.
      demo.simulator.setFault({ route: 'cancel', status: 503, commit: true, times: 1 });
      demo.simulator.setFault({ route: 'cancellation', status: 404, times: 1000 });
      await dialog.getByRole('button', { name: 'Try again' }).click();
      await dialog.getByRole('heading', { name: "We're confirming your cancellation" }).waitFor();
      expect(await axeViolations(page)).toEqual([]);

      // Once Heim's read catches up, the widget's polling confirms it without the patient acting.
      demo.simulator.clearFaults();
      await dialog.getByRole('heading', { name: 'Your appointment is cancelled' }).waitFor({ timeout: 20_000 });
    } finally {
      await closeDialog();
    }
  });
});
