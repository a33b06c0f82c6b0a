/**
 * Where the examples find Heim: `HEIM_API_URL` and `HEIM_API_KEY` when they are set, otherwise a
 * Heim simulator started on loopback, so `npx tsx examples/<name>/server.ts` runs anywhere.
 * A real portal reads these from its own configuration and never starts a simulator.
 */
import { SIMULATOR_DEFAULT_API_KEY, startSimulator } from 'heim-cancel/simulator';

export interface HeimConnection {
  readonly baseUrl: string;
  readonly apiKey: string;
  close(): Promise<void>;
}

export async function connectToHeim(env: NodeJS.ProcessEnv = process.env): Promise<HeimConnection> {
  const { HEIM_API_URL: baseUrl, HEIM_API_KEY: apiKey } = env;
  if (baseUrl && apiKey) return { baseUrl, apiKey, close: async () => {} };
  const simulator = await startSimulator({ port: 0 });
  console.log(`HEIM_API_URL is not set: using a Heim simulator at ${simulator.baseUrl}`);
  return { baseUrl: simulator.baseUrl, apiKey: SIMULATOR_DEFAULT_API_KEY, close: () => simulator.close() };
}
