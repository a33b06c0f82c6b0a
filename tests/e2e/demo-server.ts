/** The demo exactly as `npm start` runs it, on an ephemeral loopback port. */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { startDemo, type RunningDemo } from '../../src/demo/run-demo';
import { launchChromium } from './browser';

export const E2E_HEIM_KEY = `test_e2e_canary_${randomBytes(6).toString('hex')}`;

/** `now`: the clock the simulator and the proxy share (default the real one), for the time tests. */
export async function startBuiltDemo(options: { now?: () => number } = {}): Promise<RunningDemo> {
  return startDemo({
    ...options,
    host: '127.0.0.1',
    port: 0,
    // Built once per run by tests/e2e/global-setup.ts.
    staticRoot: inject('demoRoot'),
    heimApiKey: E2E_HEIM_KEY,
    sessionSecret: randomBytes(32).toString('base64url'),
  });
}

/**
 * The set-up every demo test file shares: one Chromium for the file, a fresh demo for each test,
 * and every page a test opens (`openPage`) closed after it, before its demo.
 */
export function demoPerTest() {
  let browser: Browser | undefined;
  let demo: RunningDemo | undefined;
  const pages: Page[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    demo = await startBuiltDemo();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
    await demo?.close();
  });
  return {
    /** This test's demo (read it in a test or a later `beforeEach`). */
    get demo(): RunningDemo {
      if (demo === undefined) throw new Error('demoPerTest: the demo starts in beforeEach');
      return demo;
    },
    async openPage(options?: BrowserContextOptions): Promise<Page> {
      if (browser === undefined) throw new Error('demoPerTest: Chromium starts in beforeAll');
      const page = await browser.newPage(options);
      pages.push(page);
      return page;
    },
  };
}
