#!/usr/bin/env node
/**
 * The standalone proxy: configuration from environment variables only (config.ts), validated
 * before listening; bad variables stop it with one line naming each of them and exit code 1.
 */
import { createCancelHandler } from './app';
import { ConfigError, loadConfigFromEnv } from './config';
import { startProxyServer } from './serve';

/**
 * How long a stopping proxy lets requests in flight finish: a cancel cut mid-way loses the answer
 * that settles what Heim did (and the pending state with the process). Inside the 30 s a container
 * platform (Kubernetes' default) gives before it kills.
 */
const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfigFromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      // Every bad variable, on one line: the contract's "one-line, clear message".
      console.error(`heim-cancel-proxy: invalid configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  if (config.options.allowedOrigins === undefined) {
    // Behind a TLS terminator or a reverse proxy (nginx on this same host included) the request URL
    // is http://<host>:<port>, so "own origin" would refuse every POST from the portal's page.
    console.warn(
      'heim-cancel-proxy: ALLOWED_ORIGINS is unset; POSTs are accepted only from the origin of the request URL. Set it to the portal\'s origin behind a reverse proxy or TLS terminator.',
    );
  }
  const handler = createCancelHandler(config.options);
  const server = await startProxyServer(handler, { host: config.host, port: config.port });
  // Only a URL that answers: the origin and `${origin}/api` are both 404, and a printed URL gets opened.
  console.log(`heim-cancel-proxy listening on ${new URL(server.origin).host}; routes under /api (health check: ${server.origin}/api/healthz)`);
  const stop = (signal: NodeJS.Signals) => {
    // A second signal stops at once (the handler is registered once, so Node's default applies).
    console.log(`heim-cancel-proxy: ${signal}: finishing requests in progress (up to ${SHUTDOWN_GRACE_MS / 1000} s), then stopping`);
    void server.close({ graceMs: SHUTDOWN_GRACE_MS }).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`heim-cancel-proxy: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
