// Builds dist/lib and packs the package exactly as `npm publish` would, into a folder of the
// caller's choosing. Used by `npm run check:package` and by tests/package (which install the
// tarball into throwaway apps).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** publint on the tarball, strict: its warnings fail too. */
export const publintArgs = (tarball) => ['publint', 'run', tarball, '--strict'];

/**
 * attw on the tarball with `--profile esm-only`: the package is ESM only ("type": "module", no
 * CommonJS build), so node10 resolution (which predates `exports`) and TypeScript's
 * node16-from-CommonJS mode ("ESM, dynamic import only") are expected and not checked;
 * node16-from-ESM and bundler resolution must be clean for every entry. `./styles.css` is left
 * out because a stylesheet has no types.
 */
export const attwArgs = (tarball) => ['attw', tarball, '--profile', 'esm-only', '--exclude-entrypoints', './styles.css'];

/**
 * @param {string} destination an existing folder for the .tgz
 * @returns {{ tarball: string, size: number, unpackedSize: number, files: string[] }}
 */
export function packPackage(destination) {
  const quiet = { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] };
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'scripts/build-package.mjs')], quiet);
  // The build just ran, so skip `prepack` (it would build again and mix its log into the JSON).
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], quiet);
  const [report] = JSON.parse(out);
  return {
    tarball: join(destination, report.filename),
    size: report.size,
    unpackedSize: report.unpackedSize,
    files: report.files.map((file) => file.path).sort(),
  };
}
