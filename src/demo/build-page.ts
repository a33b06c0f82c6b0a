/** Builds the demo page with Vite (vite.config.ts) so the demo serves what a portal would ship. */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds the page and returns the folder it is in: `dist/demo` unless `outDir` says otherwise
 * (the e2e tests build once per run into a folder of their own, so a concurrent `npm start` or
 * a second build never overwrites files a browser is loading).
 */
export async function buildDemoPage(options: { outDir?: string } = {}): Promise<string> {
  const outDir = options.outDir ?? `${repoRoot}dist/demo`;
  // Vite builds React in development mode when NODE_ENV says so (vitest sets "test"); the demo
  // must be the production build a portal would serve, whoever starts it.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: `${repoRoot}vite.config.ts`, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
  return outDir;
}
