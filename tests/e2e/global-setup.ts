/**
 * Builds the demo page once for the whole `e2e` project, into a temporary folder of its own.
 * Every e2e file serves that one build (`inject('demoRoot')`): files running in parallel no
 * longer rebuild `dist/demo` under each other's browsers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildDemoPage } from '../../src/demo/build-page';

declare module 'vitest' {
  export interface ProvidedContext {
    demoRoot: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const folder = mkdtempSync(join(tmpdir(), 'heim-cancel-e2e-demo-'));
  project.provide('demoRoot', await buildDemoPage({ outDir: folder }));
  return () => rmSync(folder, { recursive: true, force: true });
}
