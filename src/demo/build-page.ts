/** Builds the demo page with Vite (vite.config.ts) so the demo serves what a portal would ship. */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function buildDemoPage(): Promise<string> {
  // Vite builds React in development mode when NODE_ENV says so (vitest sets "test"); the demo
  // must be the production build a portal would serve, whoever starts it.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: `${repoRoot}vite.config.ts`, mode: 'production', logLevel: 'warn' });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
  return `${repoRoot}dist/demo`;
}
