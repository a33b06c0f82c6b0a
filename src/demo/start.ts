/**
 * `npm start`: the Heim simulator, the proxy and the demo portal on loopback, no configuration.
 * The key and session secret are made up at start, so nothing secret lives in the repo.
 * Flags: --port (default 3000, the next free one if taken), --host (default 127.0.0.1).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { buildDemoPage } from './build-page';
import { startDemo } from './run-demo';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '3000' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, got "${values.port}"`);
    process.exit(1);
  }
  console.log('Building the demo page...');
  const staticRoot = await buildDemoPage();
  const demo = await startDemo({
    host: values.host,
    port,
    staticRoot,
    heimApiKey: `test_demo_${randomBytes(12).toString('hex')}`,
    sessionSecret: randomBytes(32).toString('base64url'),
  });
  console.log(`\nDemo portal: ${demo.url}\n`);
  console.log('(Heim simulator and proxy are running behind it. Ctrl+C stops everything.)');
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Demo failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
