/**
 * axe-core (WCAG 2.2 AA tags) in Chromium on the demo portal and on every state the widget reaches
 * there, driven through the real proxy and simulator. Each state must have zero violations, and
 * every "incomplete" result must be one a person has reviewed (src/demo/stories/a11y-review.ts).
 * The stories cover the same ground again in the storybook project (.storybook/preview.tsx).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { ScanReport } from './a11y-scan';
import { launchChromium } from './browser';
import { startBuiltDemo } from './demo-server';
import { addAliceVisit, closeDialog, HOUR, holdRequests, MINUTE, openDialogFor, signInAsAlice } from './demo-fixtures';

let browser: Browser;
let demo: RunningDemo;
let context: BrowserContext;
let page: Page;
const report = new ScanReport();

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startBuiltDemo()]);
  // The last hour before the charge window, when the countdown shows seconds and offers to hide them.
  addAliceVisit(demo, 'apt_alice_last_hour', 'Physiotherapy review', 24 * HOUR + 30 * MINUTE);
  // Never opened before their test: a widget that has read a visit once keeps showing what it read.
  addAliceVisit(demo, 'apt_alice_unreadable', 'Hearing test', 4 * 24 * HOUR);
  addAliceVisit(demo, 'apt_alice_elsewhere', 'Dietitian visit', 5 * 24 * HOUR);
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  page = await context.newPage();
});
afterAll(async () => {
  if (report.scans.length > 0) report.print('demo');
  await browser?.close();
  await demo?.close();
});

/** Scans and expects no violation; incomplete results are judged together at the end. */
async function scan(state: string): Promise<void> {
  const result = await report.scan(page, state);
  expect(result.violations, state).toEqual([]);
}

const dialog = () => page.getByRole('alertdialog');
const appointmentUrl = (id: string) => `**/api/appointments/${id}`;

describe('axe (WCAG 2.2 AA) in Chromium on the demo and every widget state', () => {
  // axe treats everything outside an open modal <dialog> as inert, so the page is scanned closed.
  it('the portal page, signed out and signed in', async () => {
    await page.goto(demo.url);
    await page.getByRole('link', { name: 'Sign in as Alice Morgan' }).waitFor();
    await scan('page: signed out');
    await signInAsAlice(page, demo);
    await scan('page: signed in, visits listed');
  });

  it('loading, then loaded with days left to cancel free', async () => {
    const held = await holdRequests(page, appointmentUrl('apt_alice_3d'), 'GET');
    await openDialogFor(page, 'Wound dressing');
    await dialog().getByText('Loading appointment…').waitFor();
    await scan('dialog: loading');
    await held.release();
    await dialog().getByText(/free to cancel/i).first().waitFor();
    await scan('dialog: free, days left');
    await closeDialog(page);
  });

  it.each([
    ['dialog: no arrival time', 'Arrival time not set yet', /no charge to cancel/i],
    ['dialog: chargeable, hours left', 'INR blood test', /may be charged/i],
    ['dialog: due', 'ECG at home', /due now/i],
    ['dialog: already cancelled', 'Status: Cancelled', /already cancelled/i],
    ['dialog: not cancellable', 'Status: Completed', /can.t be cancelled/i],
  ])('%s', async (state, cardText, expected) => {
    await openDialogFor(page, cardText);
    await dialog().getByText(expected).first().waitFor();
    await scan(state);
    await closeDialog(page);
  });

  it('the last hour: seconds shown with "Hide seconds", then hidden', async () => {
    await openDialogFor(page, 'Physiotherapy review');
    await dialog().getByText(/free of charge: \d+ minutes?, \d+ seconds?\./).waitFor();
    await scan('dialog: free, last hour, seconds shown');
    await dialog().getByRole('button', { name: 'Hide seconds' }).click();
    await dialog().getByRole('button', { name: 'Show seconds' }).waitFor();
    await scan('dialog: free, last hour, seconds hidden');
    await closeDialog(page);
  });

  it('validation errors, then "charges may now apply" refused by the proxy', async () => {
    await openDialogFor(page, 'Blood pressure check');
    await dialog().getByRole('radio').first().waitFor();
    await dialog().getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog().getByRole('link', { name: 'Choose why you are cancelling' }).waitFor();
    await scan('dialog: validation error (no reason)');

    await dialog().getByRole('radio', { name: 'Another reason (please tell us more)' }).check();
    await dialog().getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog().getByRole('link', { name: 'Tell us why you are cancelling' }).waitFor();
    await scan('dialog: validation error (note required)');

    // Heim moves the visit into the charge window while the dialog still shows it free: the proxy
    // refuses the cancel until the patient has seen the warning. The dialog's own re-reads are
    // held back until then, so it really does still show "free" when the patient confirms.
    const held = await holdRequests(page, appointmentUrl('apt_alice_30h'), 'GET');
    demo.simulator.moveEta('apt_alice_30h', new Date(Date.now() + 5 * HOUR).toISOString());
    await dialog().getByRole('textbox').fill('Moving house');
    await held.release();
    await dialog().getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog().getByText(/Charges may now apply to this appointment/).waitFor();
    await dialog().getByRole('checkbox').waitFor();
    await scan('dialog: acknowledgement now required');
    await closeDialog(page);
  });

  it('cancelling (waiting for the proxy), then cancelled', async () => {
    const held = await holdRequests(page, `${appointmentUrl('apt_alice_3d')}/cancel`, 'POST');
    await openDialogFor(page, 'Wound dressing');
    await dialog().getByRole('radio', { name: "I'm unwell" }).check();
    await dialog().getByRole('button', { name: 'Cancel appointment' }).click();
    await dialog().getByRole('button', { name: 'Cancelling…' }).waitFor();
    await scan('dialog: cancelling');
    await held.release();
    await dialog().getByRole('heading', { name: 'Your appointment is cancelled' }).waitFor();
    await scan('dialog: cancelled');
    await closeDialog(page);
    await page.locator('li.demo-card', { hasText: 'Wound dressing' }).getByText('Appointment cancelled').waitFor();
    await scan('page: a visit cancelled (status in place of the button)');
  });

  it('Heim fails (retry offered), then the cancellation awaits confirmation', async () => {
    await openDialogFor(page, 'Vitamin B12 injection');
    try {
      await dialog().getByRole('radio', { name: "I'm unwell" }).check();
      await dialog().getByRole('checkbox').check();
      demo.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
      await dialog().getByRole('button', { name: 'Cancel appointment' }).click();
      await dialog().getByRole('button', { name: 'Try again' }).waitFor();
      await scan('dialog: upstream failure, retry offered');

      // Heim cancels but answers 503 and its cancellation reads keep failing: the proxy cannot
      // confirm yet (a 404, with the appointment reading cancelled, would settle it).
      demo.simulator.setFault({ route: 'cancel', status: 503, commit: true, times: 1 });
      demo.simulator.setFault({ route: 'cancellation', status: 500, times: 1000 });
      await dialog().getByRole('button', { name: 'Try again' }).click();
      await dialog().getByRole('heading', { name: "We're confirming your cancellation" }).waitFor();
      await scan('dialog: pending confirmation');
    } finally {
      demo.simulator.clearFaults();
      await closeDialog(page);
    }
  });

  it('offline', async () => {
    await openDialogFor(page, 'Arrival time not set yet');
    await dialog().getByRole('radio').first().waitFor();
    await context.setOffline(true);
    try {
      await dialog().getByText("You're offline.", { exact: false }).waitFor();
      await scan('dialog: offline, confirm disabled');
    } finally {
      await context.setOffline(false);
    }
    await closeDialog(page);
  });

  it('the appointment cannot be loaded, or is not this patient’s', async () => {
    demo.simulator.setFault({ route: 'appointment', status: 500, times: 100 });
    await openDialogFor(page, 'Hearing test');
    await dialog().getByRole('heading', { name: "We couldn't load your appointment" }).waitFor();
    await scan('dialog: load error');
    demo.simulator.clearFaults();
    await closeDialog(page);

    // The proxy answers 404 for another patient's visit, exactly as for one that does not exist.
    const redirect = appointmentUrl('apt_alice_elsewhere');
    await page.route(redirect, (route) => route.continue({ url: route.request().url().replace('apt_alice_elsewhere', 'apt_bilal_3d') }));
    await openDialogFor(page, 'Dietitian visit');
    await dialog().getByRole('heading', { name: "We couldn't find this appointment" }).waitFor();
    await scan('dialog: not found');
    await page.unroute(redirect);
    await closeDialog(page);
  });

  it('the session has expired', async () => {
    await context.clearCookies();
    await openDialogFor(page, 'INR blood test');
    await dialog().getByRole('heading', { name: 'Your session has expired' }).waitFor();
    await scan('dialog: session expired');
    await closeDialog(page);
  });

  it('in all: no violations, and every incomplete result has been reviewed', () => {
    expect(report.scans.length).toBeGreaterThanOrEqual(20);
    expect(report.scans.flatMap((scan) => scan.violations)).toEqual([]);
    const unreviewed = report.scans.flatMap((scan) =>
      scan.incomplete.filter((finding) => finding.review === undefined).map((finding) => ({ state: scan.state, ...finding })),
    );
    expect(unreviewed).toEqual([]);
  });
});
