import { describe, expect, it } from 'vitest';
import { createServerClock } from '../../src/index';

function setVisibility(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

function fakeClocks() {
  const clocks = { mono: 1_000, wall: Date.parse('2026-11-23T09:00:00.000Z') };
  const advance = (ms: number) => {
    clocks.mono += ms;
    clocks.wall += ms;
  };
  return { clocks, advance, options: { monotonicNow: () => clocks.mono, wallNow: () => clocks.wall } };
}

describe('createServerClock', () => {
  it('uses the device clock until a sample arrives, then the proxy clock plus elapsed monotonic time', () => {
    const { clocks, advance, options } = fakeClocks();
    const clock = createServerClock(options);
    expect(clock.now()).toBe(clocks.wall);
    expect(clock.isSynchronised()).toBe(false);

    const server = clocks.wall + 90_000; // the device is 90 s slow
    clock.addSample({ serverNowMs: server, startedAt: clocks.mono, endedAt: clocks.mono + 100 });
    advance(100);
    // The proxy's stamp is placed mid-way through the round trip.
    expect(clock.now()).toBe(server + 50);
    advance(10_000);
    expect(clock.now()).toBe(server + 10_050);
  });

  it('keeps the sample with the shortest round trip and notifies only when it changes', () => {
    const { clocks, options } = fakeClocks();
    const clock = createServerClock(options);
    let notified = 0;
    clock.subscribe(() => {
      notified += 1;
    });
    clock.addSample({ serverNowMs: 5_000_000, startedAt: clocks.mono, endedAt: clocks.mono + 400 });
    const afterFirst = clock.now();
    clock.addSample({ serverNowMs: 9_000_000, startedAt: clocks.mono, endedAt: clocks.mono + 800 });
    expect(clock.now()).toBe(afterFirst);
    clock.addSample({ serverNowMs: 7_000_000, startedAt: clocks.mono, endedAt: clocks.mono + 20 });
    // Anchored mid-way through its 20 ms round trip, which is 10 ms after "now".
    expect(clock.now()).toBe(7_000_000 - 10);
    expect(notified).toBe(2);
    expect(clock.getVersion()).toBe(2);
  });

  it('distrusts its anchor when the monotonic clock stopped (the machine slept) and takes the next sample', () => {
    const { clocks, options } = fakeClocks();
    const clock = createServerClock(options);
    clock.addSample({ serverNowMs: 1_000_000, startedAt: clocks.mono, endedAt: clocks.mono + 10 });
    // Asleep for an hour: wall time moved, monotonic time did not.
    clocks.wall += 3_600_000;
    clock.addSample({ serverNowMs: 4_600_000, startedAt: clocks.mono, endedAt: clocks.mono + 500 });
    expect(clock.now()).toBe(4_600_000 - 250);
  });

  it('after a sleep (the page hidden, the monotonic clock paused), reads the device clock plus the last offset before any new sample', () => {
    const { clocks, options } = fakeClocks();
    const clock = createServerClock(options);
    // The proxy is 90 s ahead of the device.
    clock.addSample({ serverNowMs: clocks.wall + 90_000, startedAt: clocks.mono, endedAt: clocks.mono });
    // The phone locks (the page is hidden), then two hours asleep on a platform that pauses
    // performance.now(): only the wall clock moved.
    setVisibility('hidden');
    clocks.wall += 2 * 3_600_000;
    setVisibility('visible');
    expect(clock.now()).toBe(clocks.wall + 90_000);
  });

  it('does not follow a device clock stepped forward while the page stayed visible (a slow clock corrected)', () => {
    const { clocks, advance, options } = fakeClocks();
    const clock = createServerClock(options);
    // The device is an hour slow: the proxy's time is an hour ahead of it.
    const truth = clocks.wall + 3_600_000;
    clock.addSample({ serverNowMs: truth, startedAt: clocks.mono, endedAt: clocks.mono });
    advance(5_000);
    // NTP corrects the device clock: following it with the old offset would be an hour ahead.
    clocks.wall += 3_600_000;
    expect(clock.now()).toBe(truth + 5_000);
    expect(clock.needsSample()).toBe(true);
  });

  it('does not follow a device clock set back: the monotonic time stands', () => {
    const { clocks, advance, options } = fakeClocks();
    const clock = createServerClock(options);
    clock.addSample({ serverNowMs: 5_000_000, startedAt: clocks.mono, endedAt: clocks.mono });
    advance(10_000);
    clocks.wall -= 3_600_000;
    expect(clock.now()).toBe(5_010_000);
  });

  it('asks once for a sample when its clocks disagree, and is sure again after the next one', async () => {
    const { clocks, advance, options } = fakeClocks();
    const clock = createServerClock(options);
    let notified = 0;
    clock.subscribe(() => (notified += 1));
    clock.addSample({ serverNowMs: 5_000_000, startedAt: clocks.mono, endedAt: clocks.mono });
    expect(notified).toBe(1);
    advance(1_000);
    clock.now();
    await Promise.resolve();
    expect([clock.needsSample(), notified]).toEqual([false, 1]);
    // A slow device clock corrected forward by an hour (or a sleep with the monotonic clock paused).
    clocks.wall += 3_600_000;
    clock.now();
    clock.now();
    await Promise.resolve();
    expect([clock.needsSample(), notified]).toEqual([true, 2]);
    clock.addSample({ serverNowMs: 5_001_500, startedAt: clocks.mono, endedAt: clocks.mono + 40 });
    expect([clock.needsSample(), notified]).toEqual([false, 3]);
    expect(clock.now()).toBe(5_001_500 - 20);
  });
});
