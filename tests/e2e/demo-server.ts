/** The demo exactly as `npm start` runs it, on an ephemeral loopback port. */
import { randomBytes } from 'node:crypto';
import { buildDemoPage } from '../../src/demo/build-page';
import { startDemo, type RunningDemo } from '../../src/demo/run-demo';

export const E2E_HEIM_KEY = `test_e2e_canary_${randomBytes(6).toString('hex')}`;

let built: Promise<string> | undefined;

export async function startBuiltDemo(): Promise<RunningDemo> {
  built ??= buildDemoPage();
  return startDemo({
    host: '127.0.0.1',
    port: 0,
    staticRoot: await built,
    heimApiKey: E2E_HEIM_KEY,
    sessionSecret: randomBytes(32).toString('base64url'),
  });
}
