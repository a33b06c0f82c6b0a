/** Launches the system Chromium (never a downloaded one) the way this machine needs it. */
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error: a plain .mjs helper shared with scripts/test.mjs, typed by use.
import { CHROMIUM_FLAGS, findChromium } from '../../scripts/find-chromium.mjs';


export function launchChromium(): Promise<Browser> {
  const executablePath = (findChromium as (o: { install: boolean }) => string)({ install: false });
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS as string[] });
}
