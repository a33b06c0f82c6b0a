/** Starts the simulator and the demo portal (with the proxy inside) and returns one URL. */
import { randomBytes } from 'node:crypto';
import { startProxyServer, silentLogger, type Logger } from '../server';
import { startSimulator } from '../simulator';
import { createDemoApp } from './demo-server';

export interface StartDemoOptions {
  host: string;
  port: number;
  staticRoot: string;
  heimApiKey: string;
  sessionSecret: string;
  logger?: Logger;
  /**
   * The clock (epoch ms) shared by the simulator and the proxy, so tests can put "now" at a known
   * instant (a clock change, a threshold) while the browser's clock is set apart. Default `Date.now`.
   */
  now?: () => number;
}

export interface RunningDemo {
  url: string;
  simulator: Awaited<ReturnType<typeof startSimulator>>['simulator'];
  close(): Promise<void>;
}

function isAddressInUse(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'EADDRINUSE';
}

export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const heim = await startSimulator({
    apiKeys: [options.heimApiKey],
    host: '127.0.0.1',
    port: 0,
    ...(options.now ? { now: options.now } : {}),
  });
  // Made up at start like the other secrets: the simulator signs its events, the proxy verifies them.
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const logger = options.logger ?? silentLogger;
  const handler = createDemoApp({
    webhookSecret,
    simulator: heim.simulator,
    heimBaseUrl: heim.baseUrl,
    heimApiKey: options.heimApiKey,
    sessionSecret: options.sessionSecret,
    staticRoot: options.staticRoot,
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  let server;
  try {
    server = await startProxyServer(handler, { host: options.host, port: options.port }, { logger });
  } catch (error) {
    if (!isAddressInUse(error) || options.port === 0) throw error;
    // Someone else has the default port: take any free one rather than make the user choose.
    server = await startProxyServer(handler, { host: options.host, port: 0 }, { logger });
  }
  heim.simulator.setWebhookTarget({ url: `${server.origin}/api/webhooks/heim`, secret: webhookSecret });
  return {
    url: `${server.origin}/`,
    simulator: heim.simulator,
    async close() {
      await server.close();
      await heim.close();
    },
  };
}
