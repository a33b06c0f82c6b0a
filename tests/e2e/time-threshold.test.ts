/**
 * The charge threshold passing while the dialog is open, in real Chromium against the real demo:
 * the proxy refuses an unacknowledged cancel that arrives after the window opened (and sends Heim
 * nothing), the dialog asks again, and no threshold ever closes or submits the dialog by itself.
 * The proxy runs on a frozen TruthClock and the page on Playwright's paused clock, moved together.
 */
import type { Browser, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { launchChromium } from './browser';
import { addVisit, startTimeDemo, TIME_PATIENT, upstreamCancels, WINDOW_MS } from './time-demo';
import { TimeDevice } from './time-device';
import { TruthClock } from './time-truth-clock';

const START_MS = Date.parse('2026-06-10T09:00:00.000Z');

let browser: Browser;
let truth: TruthClock;
let demo: RunningDemo;
let device: TimeDevice;
/** Every cancel the page sent to the proxy, with its body. */
let cancelsSent: { acknowledgeCharge: unknown }[];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  truth = new TruthClock(START_MS);
  demo = await startTimeDemo(truth);
  // The device clock is wrong by +2 h, so only the proxy's clock can be deciding.
  device = await TimeDevice.open(browser, { timezoneId: 'Europe/London', deviceNowMs: START_MS + 2 * 3_600_000, paused: true });
  cancelsSent = [];
  device.page.on('request', (request: Request) => {
    if (request.method() === 'POST' && request.url().endsWith('/cancel')) cancelsSent.push(request.postDataJSON() as { acknowledgeCharge: unknown });
  });
});
afterEach(async () => {
  await device?.close();
  await demo?.close();
});

async function openWithReasonChosen(title: string): Promise<void> {
  await device.signIn(demo.url, TIME_PATIENT.id);
  await device.openDialog(title);
  const dialog = device.page.getByRole('alertdialog');
  await dialog.getByRole('radio', { name: "I'm unwell" }).check();
  await dialog.getByRole('textbox').fill('Feeling too ill today');
}

const confirmButton = () => device.page.getByRole('alertdialog').getByRole('button', { name: 'Cancel appointment', exact: true });
const acknowledgement = () => device.page.getByRole('alertdialog').getByRole('checkbox');

describe('the charge window opens while the dialog is open', () => {
  it('the proxy refuses the unacknowledged cancel, sends Heim nothing, and the dialog warns and asks again', async () => {
    const chargeableFromMs = START_MS + 20_000;
    addVisit(demo, { id: 'apt_time_race', title: 'Threshold race', etaMs: chargeableFromMs + WINDOW_MS });
    await openWithReasonChosen('Threshold race');
    expect((await device.read()).state).toBe('free');
    expect(await acknowledgement().count()).toBe(0);

    // The patient confirms 300 ms before the window opens by the page's clock; the request reaches
    // the proxy 300 ms after it opened.
    await device.advanceWith(truth, chargeableFromMs - 300 - truth.now());
    expect((await device.read()).state).toBe('free');
    truth.advance(600);
    await confirmButton().click();

    await device.until(async () => (await device.page.locator('[data-notice="acknowledgement_required"]').count()) === 1, 'the dialog asks again');
    expect(cancelsSent).toEqual([expect.objectContaining({ acknowledgeCharge: false })]);
    expect(upstreamCancels(demo)).toHaveLength(0);
    const shown = await device.read();
    expect(shown.dialogOpen).toBe(true);
    // The proxy's word raised the state although the page's own clock has not reached the threshold.
    expect(shown.state).toBe('chargeable');
    expect(await acknowledgement().isChecked()).toBe(false);
    expect(await device.page.getByRole('alertdialog').getByRole('radio', { name: "I'm unwell" }).isChecked()).toBe(true);

    // Confirming again without the tick sends nothing; with it, Heim receives exactly one cancel.
    await confirmButton().click();
    await device.pump();
    expect(cancelsSent).toHaveLength(1);
    await acknowledgement().check();
    await confirmButton().click();
    await device.until(async () => upstreamCancels(demo).length === 1 && !(await device.read()).state, 'the cancellation succeeds');
    await device.page.getByRole('alertdialog').getByRole('heading', { name: /cancelled/i }).waitFor();
    expect(cancelsSent.map((body) => body.acknowledgeCharge)).toEqual([false, true]);
    expect(upstreamCancels(demo)).toHaveLength(1);
    expect(JSON.parse(upstreamCancels(demo)[0]!.body)).toMatchObject({ reasonCode: 'patient_unwell', cancellingEntity: 'patient' });
  });

  it('flips free → chargeable → due at the exact millisecond, and never closes or submits by itself', async () => {
    const chargeableFromMs = START_MS + 10_500;
    const etaMs = chargeableFromMs + WINDOW_MS;
    addVisit(demo, { id: 'apt_time_never', title: 'Never by itself', etaMs });
    await openWithReasonChosen('Never by itself');

    await device.advanceWith(truth, chargeableFromMs - 1 - truth.now());
    expect((await device.read()).state).toBe('free');
    await device.advanceWith(truth, 1);
    expect((await device.read()).state).toBe('chargeable');
    expect(await acknowledgement().isChecked()).toBe(false);

    // Most of a day later (timers that fall due fire once), then the last seconds on time.
    const jumpMs = etaMs - 3000 - truth.now();
    await device.quiet();
    truth.advance(jumpMs);
    await device.jumpTo((await device.deviceNow()) + jumpMs);
    await device.pump();
    expect((await device.read()).state).toBe('chargeable');
    await device.advanceWith(truth, 2999);
    expect((await device.read()).state).toBe('chargeable');
    await device.advanceWith(truth, 1);
    expect((await device.read()).state).toBe('due');
    await device.advanceWith(truth, 5000);

    const shown = await device.read();
    expect(shown.dialogOpen).toBe(true);
    expect(cancelsSent).toHaveLength(0);
    expect(upstreamCancels(demo)).toHaveLength(0);
    const dialog = device.page.getByRole('alertdialog');
    expect(await dialog.getByRole('radio', { name: "I'm unwell" }).isChecked()).toBe(true);
    expect(await dialog.getByRole('textbox').inputValue()).toBe('Feeling too ill today');
    expect(await acknowledgement().isChecked()).toBe(false);
  });
});
