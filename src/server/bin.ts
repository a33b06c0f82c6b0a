#!/usr/bin/env node
/**
 * The standalone proxy: configuration from environment variables only (config.ts), validated
 * before listening; a bad variable stops it with one line naming it and exit code 1.
 */
import { createCancelHandler } from './app';
import { ConfigError, loadConfigFromEnv } from './config';
import { isLoopbackHost } from './options';
import { startProxyServer } from './serve';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfigFromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`heim-cancel-proxy: invalid configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  if (config.options.allowedOrigins === undefined && !isLoopbackHost(config.host)) {
    // Behind a TLS terminator the request URL is http://..., so "own origin" would refuse every POST.
    console.warn('heim-cancel-proxy: ALLOWED_ORIGINS is unset; POSTs are accepted only from the origin of the request URL. Set it behind a reverse proxy.');
  }
  const handler = createCancelHandler(config.options);
  const server = await startProxyServer(handler, { host: config.host, port: config.port });
  console.log(`heim-cancel-proxy listening on ${server.origin}/api`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`heim-cancel-proxy: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
