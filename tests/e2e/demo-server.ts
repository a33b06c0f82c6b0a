/** The demo exactly as `npm start` runs it, on an ephemeral loopback port. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { startDemo, type RunningDemo } from '../../src/demo/run-demo';

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
