/** Launches the system Chromium (never a downloaded one) the way this machine needs it. */
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error: a plain .mjs helper shared with scripts/test.mjs, typed by use.
import { findChromium } from '../../scripts/find-chromium.mjs';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  const executablePath = (findChromium as (o: { install: boolean }) => string)({ install: false });
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}
