import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { format } from 'node:util';
import { afterEach } from 'vitest';

// React's "An update to X inside a test was not wrapped in act(...)" (and its Suspense variant)
// fails the test that printed it: such an update was rendered where no assertion could see it,
// and the warnings, once allowed, pile up unread. Still printed, so the component is named.
// tests/widget/support/fake-clock.ts is the usual fix for time-driven updates.
const notWrappedInAct: string[] = [];
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  const message = format(...args);
  if (message.includes('not wrapped in act(')) notWrappedInAct.push(message.split('\n')[0] ?? message);
  consoleError(...args);
};

afterEach(() => {
  cleanup();
  const warnings = notWrappedInAct.splice(0);
  if (warnings.length > 0) {
    throw new Error(`React updated outside act() in this test:\n${[...new Set(warnings)].join('\n')}`);
  }
});
