/**
 * What the page shows for an instant in the appointment's zone (Europe/London), checked against
 * the instant itself through this engine's `formatToParts`, never against a hard-coded
 * abbreviation: the wall time and the offset follow from the zone's rules (the test states them),
 * the zone name must be the one the engine gives that instant, and the names of the two offsets
 * must differ, so the name shown tells the two sides of a clock change apart.
 */
import { expect } from 'vitest';
import type { TimeDevice } from './time-device';

interface ZoneFacts {
  readonly offset: string;
  readonly wall: string;
  readonly zoneName: string;
  readonly dayMonth: string;
  readonly weekday: string;
  readonly deviceZone: string;
  readonly deviceZoneName: string;
  /** The canonical name of the zone the test asked for (Asia/Kolkata may resolve as Asia/Calcutta). */
  readonly requestedZone: string;
}

/** What this engine says about an instant in Europe/London (formatToParts), and the device's zone. */
export function londonFacts(device: TimeDevice, instantMs: number, requestedZone = 'UTC'): Promise<ZoneFacts> {
  return device.page.evaluate(({ instant, requested }) => {
    const parts = (options: Intl.DateTimeFormatOptions) =>
      Object.fromEntries(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', ...options }).formatToParts(instant).map((p) => [p.type, p.value]),
      );
    const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const wall = parts({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const date = parts({ weekday: 'long', day: 'numeric', month: 'long' });
    const deviceParts = new Intl.DateTimeFormat('en-GB', { timeZone: deviceZone, timeZoneName: 'short' }).formatToParts(instant);
    // "GMT+01:00"; some locales write a zero offset as plain "GMT".
    const longOffset = parts({ timeZoneName: 'longOffset' }).timeZoneName ?? '';
    return {
      offset: longOffset === 'GMT' ? '+00:00' : longOffset.replace(/^GMT/, ''),
      wall: `${wall.hour}:${wall.minute}`,
      zoneName: parts({ timeZoneName: 'short' }).timeZoneName ?? '',
      dayMonth: `${date.day} ${date.month}`,
      weekday: date.weekday ?? '',
      deviceZone,
      deviceZoneName: deviceParts.find((p) => p.type === 'timeZoneName')?.value ?? '',
      requestedZone: new Intl.DateTimeFormat('en-GB', { timeZone: requested }).resolvedOptions().timeZone,
    };
  }, { instant: instantMs, requested: requestedZone });
}

/** Names seen per offset, to prove the shown name tells the two sides of a change apart. */
export const zoneNamesByOffset = new Map<string, Set<string>>();

/** Asserts `shown` names `instantMs` as London wall time `wall` at UTC offset `offset` (e.g. "+01:00"). */
export async function expectShownInstant(device: TimeDevice, what: string, shown: string | null, instantMs: number, wall: string, offset: string) {
  const facts = await londonFacts(device, instantMs);
  // The rules, checked against this engine's zone data, so the expectation itself is sound.
  expect(facts.offset, `${what}: offset of ${new Date(instantMs).toISOString()} in London`).toBe(offset);
  expect(facts.wall).toBe(wall);
  const match = /(\d{1,2}):(\d{2})\s+([^\s.,]+)/.exec(shown ?? '');
  expect(match, `${what}: a time and zone in ${JSON.stringify(shown)}`).not.toBeNull();
  const [, hour = '', minute = '', zoneName] = match ?? [];
  expect(`${hour.padStart(2, '0')}:${minute}`, `${what}: wall time in ${JSON.stringify(shown)}`).toBe(wall);
  expect(zoneName, `${what}: zone name in ${JSON.stringify(shown)}`).toBe(facts.zoneName);
  expect(shown).toContain(facts.dayMonth);
  expect(shown).toContain(facts.weekday);
  if (facts.deviceZone !== 'Europe/London') expect(zoneName).not.toBe(facts.deviceZoneName);
  const names = zoneNamesByOffset.get(offset) ?? new Set<string>();
  names.add(zoneName ?? '');
  zoneNamesByOffset.set(offset, names);
}
