/**
 * The server side of `npm run bench:proxy`, one process per role so that nothing shares an event
 * loop with what is measured (in production Heim is another machine):
 *   `bench-servers.ts heim`               the simulator (BENCH_HEIM_LATENCY_MS, default 20 ms), prints {heimOrigin, heimBaseUrl, heimKey}
 *   `bench-servers.ts proxy <url> <key>`  the proxy in front of it, prints {proxyOrigin, sessionSecret}
 * Each prints one JSON line, then runs until killed.
 */
import { randomBytes } from 'node:crypto';
import { createCancelHandler, silentLogger, startProxyServer } from '../src/server';
import { startSimulator } from '../src/simulator';

const [role, heimBaseUrl, heimKeyArg] = process.argv.slice(2);
let close: () => Promise<unknown>;
if (role === 'heim') {
  const heimKey = `test_bench_${randomBytes(6).toString('hex')}`;
  const heim = await startSimulator({ apiKeys: [heimKey], latencyMs: Number(process.env.BENCH_HEIM_LATENCY_MS ?? 20) });
  console.log(JSON.stringify({ heimOrigin: heim.origin, heimBaseUrl: heim.baseUrl, heimKey }));
  close = () => heim.close();
} else if (role === 'proxy' && heimBaseUrl && heimKeyArg) {
  const sessionSecret = randomBytes(32).toString('base64url');
  const proxy = await startProxyServer(
    createCancelHandler({
      heim: { baseUrl: heimBaseUrl, apiKey: heimKeyArg },
      sessionSecret,
      logger: silentLogger,
      // One session drives the whole load: the benchmark measures the proxy's path, not its limit.
      readRateLimit: { max: Number.MAX_SAFE_INTEGER, windowMs: 60_000 },
    }),
    { host: '127.0.0.1', port: 0 },
  );
  console.log(JSON.stringify({ proxyOrigin: proxy.origin, sessionSecret }));
  close = () => proxy.close();
} else {
  console.error('usage: bench-servers.ts heim | proxy <heimBaseUrl> <heimKey>');
  process.exit(2);
}
const stop = () => void close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
