/**
 * Honest time, in real Chromium against the real demo (proxy + simulator on loopback).
 *
 * The proxy and the simulator run on a TruthClock; the patient's device runs on Playwright's
 * clock, set wrong or in another zone on purpose. Every assertion compares what the page shows with
 * the truth, and every comparison is tallied: afterAll prints the largest error seen.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { addVisit, startTimeDemo, TIME_PATIENT, WINDOW_MS } from './time-demo';
import { TimeDevice, type ChargeSnapshot } from './time-device';
import { displayErrorMs, parseShownDuration, ReadingTally, scoreRealTimeChanges } from './time-readings';
import { expectShownInstant, londonFacts, zoneNamesByOffset } from './time-zone-facts';
import { TruthClock } from './time-truth-clock';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The bound: shown times and state changes within 1 s of the truth. */
const BOUND_MS = 1000;

let browser: Browser;
const tally = new ReadingTally();

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  console.log(tally.summary());
});

describe('a device clock that is wrong does not move the countdown', () => {
  const skews = [
    { label: '−24 h', ms: -DAY_MS },
    { label: '−2 h', ms: -2 * HOUR_MS },
    { label: '+2 h', ms: 2 * HOUR_MS },
    { label: '+7 days', ms: 7 * DAY_MS },
  ];

  it('shows the remaining time within 1 s of the truth and flips within 1 s of chargeableFrom, for −24 h, −2 h, +2 h and +7 days', async () => {
    // Real time throughout: the page's clock flows, round trips are real, the truth flows too.
    const truth = new TruthClock(0);
    truth.flowFrom(Date.parse('2026-06-10T09:00:00.000Z'));
    const demo = await startTimeDemo(truth);
    // Long enough for four devices to sign in and open the dialog, short enough to wait for.
    // The window opens only once the devices exist (making a context is the slow part on a busy
    // machine), so the countdown has seconds to tick while free however long that took.
    const leadMs = 9 * SECOND_MS;
    const devices: TimeDevice[] = [];
    try {
      await Promise.all(
        skews.map(async (skew, index) => {
          const device = await TimeDevice.open(browser, {
            timezoneId: 'Europe/London',
            deviceNowMs: truth.now() + skew.ms,
            paused: false,
          });
          devices[index] = device;
          // The control: the page's clock really is wrong by the skew.
          const pageNow = await device.page.evaluate(() => Date.now());
          expect(Math.abs(pageNow - truth.now() - skew.ms)).toBeLessThan(5 * SECOND_MS);
        }),
      );
      const chargeableFromMs = truth.now() + leadMs;
      const runs = skews.map(async (skew, index) => {
        const title = `Skew check ${index + 1}`;
        const device = devices[index]!;
        addVisit(demo, { id: `apt_time_skew_${index}`, title, etaMs: chargeableFromMs + WINDOW_MS });
        await device.signIn(demo.url, TIME_PATIENT.id);
        await device.openDialog(title);
        await device.until(async () => (await device.read()).state === 'chargeable', 'charges may apply', leadMs + 5 * SECOND_MS);
        // A moment more, so a wrong text right after the change would be recorded too.
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { skew, changes: await device.changes(), roundTripsMs: device.roundTripsMs };
      });
      const results = await Promise.all(runs);

      for (const { skew, changes, roundTripsMs } of results) {
        tally.note(`${skew.label}: appointment reads took ${roundTripsMs.join(', ')} ms`);
        const scored = scoreRealTimeChanges(tally, skew.label, changes, chargeableFromMs, WINDOW_MS, truth);
        // The test saw the countdown tick in real time, before and after the threshold.
        expect(scored.ticks, `${skew.label}: seconds ticked while free`).toBeGreaterThanOrEqual(2);
        expect(scored.thresholds, `${skew.label}: the state flipped once`).toBe(1);
        for (const reading of scored.readings) {
          expect(Math.abs(reading.errorMs), `${skew.label}: ${reading.kind} error`).toBeLessThanOrEqual(BOUND_MS);
        }
      }
    } finally {
      await Promise.all(devices.filter(Boolean).map((device) => device.close()));
      await demo.close();
    }
  });
});

/** Scores a snapshot taken with the page's clock paused, where the widget's estimate must be exact. */
function scorePaused(label: string, countdown: string | null, trueRemainingMs: number): number {
  expect(countdown, `${label}: a countdown is shown`).not.toBeNull();
  return tally.add({ label, kind: 'display', errorMs: displayErrorMs(parseShownDuration(countdown ?? ''), trueRemainingMs), realTime: false })
    .errorMs;
}

describe('a tab hidden for 10 minutes', () => {
  it('is right on the first frame after it becomes visible again, is restored (pageshow) or regains focus', async () => {
    const start = Date.parse('2026-06-10T09:00:00.000Z');
    const truth = new TruthClock(start);
    const demo = await startTimeDemo(truth);
    // The device is wrong too (−2 h) and in another zone: neither may matter.
    const device = await TimeDevice.open(browser, { timezoneId: 'America/New_York', deviceNowMs: start - 2 * HOUR_MS, paused: true });
    try {
      const chargeableFromMs = start + 45 * MINUTE_MS + 30_500;
      addVisit(demo, { id: 'apt_time_hidden', title: 'Hidden tab check', etaMs: chargeableFromMs + WINDOW_MS });
      await device.signIn(demo.url, TIME_PATIENT.id);
      await device.openDialog('Hidden tab check');
      let shown: ChargeSnapshot = await device.read();
      expect(scorePaused('hidden tab: opened', shown.countdown, chargeableFromMs - truth.now())).toBe(0);

      const asleepMs = 10 * MINUTE_MS;
      for (const event of ['visibilitychange', 'pageshow', 'focus'] as const) {
        await device.quiet();
        if (event === 'visibilitychange') await device.setHidden(true);
        truth.advance(asleepMs);
        await device.sleepWithoutTimers(asleepMs);
        // The control: no timer ran while asleep, so the text is still the old one.
        expect((await device.read()).countdown, `${event}: stale while asleep`).toBe(shown.countdown);
        const { atOnce, firstFrame } = await device.wake(event);
        expect(scorePaused(`hidden tab: at once on ${event}`, atOnce.countdown, chargeableFromMs - truth.now())).toBe(0);
        expect(scorePaused(`hidden tab: first frame after ${event}`, firstFrame.countdown, chargeableFromMs - truth.now())).toBe(0);
        expect(firstFrame.state).toBe('free');
        shown = firstFrame;
      }

      // Asleep across the threshold (15 min 30 s were left): the first frame already shows that
      // charges may apply, and the countdown to the ETA.
      await device.quiet();
      await device.setHidden(true);
      truth.advance(2 * asleepMs);
      await device.sleepWithoutTimers(2 * asleepMs);
      expect((await device.read()).state).toBe('free');
      const { atOnce, firstFrame } = await device.wake('visibilitychange');
      expect(truth.now()).toBeGreaterThan(chargeableFromMs);
      for (const [when, seen] of [['at once', atOnce], ['first frame', firstFrame]] as const) {
        expect(seen.state, when).toBe('chargeable');
        expect(scorePaused(`hidden tab: ${when} after the threshold`, seen.countdown, chargeableFromMs + WINDOW_MS - truth.now())).toBe(0);
      }
    } finally {
      await device.close();
      await demo.close();
    }
  });
});

/**
 * Around the clock changes of 2026 in the appointment's zone (Europe/London): on 29 March 01:00
 * GMT becomes 02:00 BST, on 25 October 02:00 BST becomes 01:00 GMT, so "01:30" happens once, not at
 * all, or twice. The wall times and offsets below follow from those rules, not from the engine.
 */
const CLOCK_CHANGE_CASES = [
  { eta: '2026-03-29T00:30:00.000Z', etaWall: '00:30', etaOffset: '+00:00', fromWall: '00:30', fromOffset: '+00:00' },
  // 24 elapsed hours before 02:30 BST is 01:30 GMT the day before, not 02:30.
  { eta: '2026-03-29T01:30:00.000Z', etaWall: '02:30', etaOffset: '+01:00', fromWall: '01:30', fromOffset: '+00:00' },
  // The first 01:30 of 25 October (BST) …
  { eta: '2026-10-25T00:30:00.000Z', etaWall: '01:30', etaOffset: '+01:00', fromWall: '01:30', fromOffset: '+01:00' },
  // … and the second (GMT), whose window opens at 02:30 BST the day before.
  { eta: '2026-10-25T01:30:00.000Z', etaWall: '01:30', etaOffset: '+00:00', fromWall: '02:30', fromOffset: '+01:00' },
] as const;

describe.each(['Europe/London', 'America/New_York', 'Asia/Kolkata'])('clock changes of 2026, on a device in %s', (zone) => {
  it('shows each ETA and the start of its window at the right instant, with the right zone name, and counts elapsed time', async () => {
    const first = Date.parse(CLOCK_CHANGE_CASES[0].eta) - WINDOW_MS - 90 * MINUTE_MS;
    const truth = new TruthClock(first);
    const demo = await startTimeDemo(truth);
    const device = await TimeDevice.open(browser, { timezoneId: zone, deviceNowMs: first, paused: true });
    try {
      for (const [index, c] of CLOCK_CHANGE_CASES.entries()) {
        addVisit(demo, { id: `apt_time_dst_${index}`, title: `Clock change ${index + 1}`, etaMs: Date.parse(c.eta) });
      }
      await device.signIn(demo.url, TIME_PATIENT.id);
      const { deviceZone, requestedZone } = await londonFacts(device, first, zone);
      expect(deviceZone, 'the device zone took effect').toBe(requestedZone);

      // Each visit is read 90 minutes before its window opens (free, "until" that instant) and 90
      // elapsed minutes before its ETA (chargeable): whatever the wall clocks say, 2 h 30 or 30 min.
      // In time order, since a device clock only moves forward.
      const steps = CLOCK_CHANGE_CASES.flatMap((c, index) => {
        const etaMs = Date.parse(c.eta);
        return [
          { c, index, etaMs, phase: 'free' as const, atMs: etaMs - WINDOW_MS - 90 * MINUTE_MS },
          { c, index, etaMs, phase: 'chargeable' as const, atMs: etaMs - 90 * MINUTE_MS },
        ];
      }).sort((a, b) => a.atMs - b.atMs);

      for (const { c, index, etaMs, phase, atMs } of steps) {
        const fromMs = etaMs - WINDOW_MS;
        const label = `${zone}, ETA ${c.eta}, ${phase}`;
        // Nothing in flight while both clocks jump: a read sent before the jump and answered after
        // it would say the proxy's clock leapt hours within a 0 ms round trip (the page's clock is
        // paused), which no real network can do, and would skew the page's estimate by the leap.
        await device.quiet();
        truth.freezeAt(atMs);
        await device.jumpTo(atMs);
        await device.openDialog(`Clock change ${index + 1}`);
        const shown = await device.read();
        try {
          expect(shown.state, label).toBe(phase);
          expect(shown.whenIso, `${label}: the summary's instant`).toBe(c.eta);
          await expectShownInstant(device, `${label}: ETA`, shown.whenText, etaMs, c.etaWall, c.etaOffset);
          const targetMs = phase === 'free' ? fromMs : etaMs;
          expect(parseShownDuration(shown.countdown ?? '').ms, `${label}: elapsed time left`).toBe(90 * MINUTE_MS);
          expect(scorePaused(label, shown.countdown, targetMs - truth.now())).toBe(0);
          if (phase === 'free') await expectShownInstant(device, `${label}: free until`, shown.text, fromMs, c.fromWall, c.fromOffset);
        } catch (error) {
          // What the proxy said and the page did, for a failure seen only on a busy machine.
          throw new Error(`${error instanceof Error ? error.message : String(error)}\ntruth ${new Date(truth.now()).toISOString()}\n${await device.describe()}`);
        }
        await device.closeDialog();
      }
      // GMT and BST are told apart by the names shown (whatever this engine calls them).
      const gmt = zoneNamesByOffset.get('+00:00');
      const bst = zoneNamesByOffset.get('+01:00');
      expect(gmt?.size).toBe(1);
      expect(bst?.size).toBe(1);
      expect([...(gmt ?? [])][0]).not.toBe([...(bst ?? [])][0]);
    } finally {
      await device.close();
      await demo.close();
    }
  });
});

describe('Heim moves the ETA while the dialog is open', () => {
  it('re-fetches the appointment on its 30 s interval and the countdown follows the new ETA', async () => {
    const start = Date.parse('2026-06-10T09:00:00.000Z');
    const truth = new TruthClock(start);
    const demo = await startTimeDemo(truth);
    const device = await TimeDevice.open(browser, { timezoneId: 'Asia/Kolkata', deviceNowMs: start + 7 * DAY_MS, paused: true });
    try {
      const oldFromMs = start + 2 * HOUR_MS + 10 * MINUTE_MS;
      const newFromMs = oldFromMs + HOUR_MS;
      addVisit(demo, { id: 'apt_time_moved', title: 'Moved ETA check', etaMs: oldFromMs + WINDOW_MS });
      await device.signIn(demo.url, TIME_PATIENT.id);
      await device.openDialog('Moved ETA check');
      let shown = await device.read();
      expect(scorePaused('moved ETA: before', shown.countdown, oldFromMs - truth.now())).toBe(0);
      const freeUntilBefore = shown.text;

      demo.simulator.moveEta('apt_time_moved', new Date(newFromMs + WINDOW_MS).toISOString());
      // Until the interval comes round the page knows nothing of it (the control).
      await device.advanceWith(truth, 29 * SECOND_MS);
      shown = await device.read();
      expect(scorePaused('moved ETA: not yet re-read', shown.countdown, oldFromMs - truth.now())).toBe(0);

      await device.advanceWith(truth, 2 * SECOND_MS);
      await device.until(async () => (await device.read()).whenIso === new Date(newFromMs + WINDOW_MS).toISOString(), 'the new ETA is shown');
      shown = await device.read();
      expect(scorePaused('moved ETA: re-read', shown.countdown, newFromMs - truth.now())).toBe(0);
      expect(shown.text).not.toBe(freeUntilBefore);
      expect(shown.dialogOpen).toBe(true);
    } finally {
      await device.close();
      await demo.close();
    }
  });
});

