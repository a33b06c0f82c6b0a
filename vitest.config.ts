import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain .mjs helper shared with scripts/test.mjs.
import { CHROMIUM_FLAGS, findChromium } from './scripts/find-chromium.mjs';

const storybookConfigDir = fileURLToPath(new URL('./.storybook', import.meta.url));

// `npm test` sets CHROMIUM_PATH (installing Debian's chromium if needed). Looked up here only as a
// fallback, and never fatally, so `vitest --project unit` works on a machine without a browser.
function systemChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return (findChromium as (o: { install: boolean }) => string)({ install: false });
  } catch {
    return undefined;
  }
}
const chromiumPath = systemChromium();

/** The browser tests that count real seconds (a countdown, the charge window opening while watched). */
const REALTIME_E2E = ['tests/e2e/time-truth.test.ts', 'tests/e2e/a11y-countdown.test.ts'];

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Seven projects: pure/server code in Node, the widget in jsdom, the proxy against the simulator
// over real loopback HTTP, real Chromium driving the demo (its real-time tests apart, last), the
// packed package (tests/package), and every Storybook story as a test in real Chromium (system
// Chromium: never a downloaded browser).
// `npm test` runs them all.
export default defineConfig({
  plugins: [react()],
  // The examples import the package by its published names (tsconfig.json "paths" has the same).
  resolve: {
    alias: [
      { find: /^heim-cancel\/server$/, replacement: source('./src/server/index.ts') },
      { find: /^heim-cancel\/simulator$/, replacement: source('./src/simulator/index.ts') },
      { find: /^heim-cancel$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    globals: true,
    // At least two workers, even on two cores: most files wait on loopback I/O, a browser or real
    // time, so a second file in flight nearly halves the run (unit 37 → 22 s, e2e 108 → 62 s when
    // measured). vitest's default is cores − 1, one here. The tests that race real time run after,
    // alone (e2e-realtime).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'tests/core/**/*.test.ts',
            'tests/simulator/**/*.test.ts',
            'tests/server/**/*.test.ts',
            'tests/security/**/*.test.ts',
            'tests/faults/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'widget',
          environment: 'jsdom',
          include: ['tests/widget/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/setup/widget.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts', 'tests/examples/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: REALTIME_E2E,
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Real Chromium against real time on a shared 2-core machine: one retry, so a test that
          // lost a race with the machine does not block a landing. Never silent: `npm test` names
          // every test that passed only on its retry, with its first failure, in its closing lines.
          retry: 1,
        },
      },
      {
        extends: true,
        test: {
          // Real Chromium against real time, to the second: alone, after every other project (a
          // project with one worker runs in vitest's sequential group, last), so nothing else
          // competes for the two cores while they measure. The same one retry as e2e.
          name: 'e2e-realtime',
          environment: 'node',
          include: REALTIME_E2E,
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          retry: 1,
        },
      },
      {
        extends: true,
        test: {
          // The published package: build + pack once (global setup), then the tarball's contents,
          // SSR of the widget in Node, and throwaway consumer apps in Chromium: the newest peers on
          // React 19, and the lowest versions package.json's peer ranges allow on React 18.
          name: 'package',
          environment: 'node',
          include: ['tests/package/**/*.test.{ts,tsx}'],
          globalSetup: ['tests/package/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        plugins: [storybookTest({ configDir: storybookConfigDir })],
        test: {
          name: 'storybook',
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: { ...(chromiumPath ? { executablePath: chromiumPath } : {}), args: CHROMIUM_FLAGS as string[] },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
