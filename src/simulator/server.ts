/**
 * `startSimulator`: the simulator as a real HTTP server on loopback, for tests that need a socket
 * (the proxy's Heim client, timeouts, resets) and for the demo.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { transportFaultOf } from './faults';
import type { SimulatorOptions } from './options';
import { createSimulator, type Simulator } from './simulator';

export interface StartSimulatorOptions extends SimulatorOptions {
  /** Interface to listen on; default `127.0.0.1`. The control routes have no auth: keep it loopback. */
  host?: string;
  /** Port; default 0, an ephemeral port chosen by the OS. */
  port?: number;
}

export interface RunningSimulator {
  simulator: Simulator;
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  /** `origin + '/v1'`, what the proxy takes as Heim's base URL. */
  baseUrl: string;
  /** Stop listening and drop open (keep-alive) connections. */
  close(): Promise<void>;
}

function originOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const { host = '127.0.0.1', port = 0, ...simulatorOptions } = options;
  const simulator = createSimulator(simulatorOptions);
  return new Promise((resolve, reject) => {
    // No createServer option is passed, so serve() builds a plain node:http Server.
    const server = serve(
      {
        fetch: async (request, env) => {
          const response = await simulator.fetch(request);
          // A transport fault drops the connection: the client sees a reset, never an answer.
          if (transportFaultOf(response) !== undefined) env.incoming.socket.destroy();
          return response;
        },
        hostname: host,
        port,
        // Do not swap the process's global Request/Response: tests and the proxy share the process.
        overrideGlobalObjects: false,
      },
      (address) => {
        server.off('error', reject);
        const origin = originOf(address);
        resolve({
          simulator,
          origin,
          baseUrl: `${origin}/v1`,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error === undefined ? done() : fail(error)));
              server.closeAllConnections();
            }),
        });
      },
    ) as Server;
    server.once('error', reject);
  });
}
