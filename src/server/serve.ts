/** Serves a handler on Node over real HTTP (the bin, the demo and the tests use it). */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export interface RunningProxyServer {
  origin: string;
  close(): Promise<void>;
}

export function startProxyServer(
  handler: (request: Request) => Promise<Response>,
  listen: { host: string; port: number },
): Promise<RunningProxyServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: handler, hostname: listen.host, port: listen.port, overrideGlobalObjects: false }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        origin: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets would hold close() open; they carry no state worth waiting for.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
