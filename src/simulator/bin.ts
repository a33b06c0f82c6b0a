#!/usr/bin/env node
/**
 * `heim-cancel-simulator [--port 4010] [--host 127.0.0.1]` (the package's bin; in this repository
 * `npm run simulator -- …`): the Heim simulator on loopback with the demo seed. Configured by flags
 * only (the simulator never reads the environment).
 */
import { parseArgs } from 'node:util';
import { SIMULATOR_DEFAULT_API_KEY } from './options';
import { startSimulator } from './server';

const USAGE = 'Usage: heim-cancel-simulator [--port 4010] [--host 127.0.0.1] (in the heim-cancel repository: npm run simulator -- …)';

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port > 65_535) {
    throw new Error(`--port must be an integer from 0 to 65535, got "${raw}". ${USAGE}`);
  }
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const running = await startSimulator({ host: values.host, port: parsePort(values.port) });
  console.log(`Heim simulator: ${running.baseUrl} (API key: ${SIMULATOR_DEFAULT_API_KEY}; control: ${running.origin}/_sim)`);

  let closing = false;
  const shutDown = (): void => {
    if (closing) return;
    closing = true;
    running.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        console.error(`Heim simulator: error while closing: ${String(error)}`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', shutDown);
  process.once('SIGTERM', shutDown);
}

main().catch((error: unknown) => {
  console.error(`Heim simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
