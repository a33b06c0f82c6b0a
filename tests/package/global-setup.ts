/**
 * Builds and packs the package once for the `package` project (scripts/pack-package.mjs), so
 * `npm test` from a fresh clone needs no extra step. Every test file of the project reads the
 * same tarball through `inject('packed')`; the temporary folder goes when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain .mjs helper shared with `npm run check:package`, typed by use.
import { packPackage } from '../../scripts/pack-package.mjs';

export interface PackedPackage {
  /** Absolute path of the .tgz, as `npm pack` wrote it. */
  tarball: string;
  /** Bytes of the .tgz. */
  size: number;
  unpackedSize: number;
  /** Paths inside the package, sorted. */
  files: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: PackedPackage;
  }
}

export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'heim-cancel-pack-'));
  const started = Date.now();
  const packed = (packPackage as (destination: string) => PackedPackage)(folder);
  console.log(`tests/package: built and packed ${packed.files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('packed', packed);
  return () => rmSync(folder, { recursive: true, force: true });
}
