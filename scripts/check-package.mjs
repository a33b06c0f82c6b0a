// `npm run check:package`: build, pack, then lint the tarball a consumer would install with
// publint (strict: warnings fail) and @arethetypeswrong/cli (why `--profile esm-only`: see
// pack-package.mjs), and report what ships and its size. tests/package runs the same checks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { minify } from 'vite';
import { attwArgs, PACKAGE_ROOT, packPackage, publintArgs } from './pack-package.mjs';

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const run = (args) => execFileSync('npx', ['--no-install', ...args], { cwd: PACKAGE_ROOT, stdio: 'inherit' });

const folder = mkdtempSync(join(tmpdir(), 'heim-cancel-pack-'));
let failed = false;
try {
  const packed = packPackage(folder);
  console.log(`${packed.files.length} files, tarball ${kb(packed.size)}, unpacked ${kb(packed.unpackedSize)}:`);
  for (const file of packed.files) console.log(`  ${file}`);

  const widget = readFileSync(join(PACKAGE_ROOT, 'dist/lib/index.js'), 'utf8');
  const minified = (await minify('index.js', widget, { module: true, compress: true, mangle: true })).code;
  console.log(`widget (dist/lib/index.js, peers external): ${kb(widget.length)} as built, ${kb(minified.length)} minified, ${kb(gzipSync(minified).length)} min+gzip`);

  for (const args of [publintArgs(packed.tarball), [...attwArgs(packed.tarball), '--format', 'table-flipped']]) {
    console.log(`\n$ ${args.join(' ')}`);
    try {
      run(args);
    } catch {
      failed = true;
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
if (failed) {
  console.error('\ncheck:package: failed');
  process.exit(1);
}
console.log('\ncheck:package: publint and attw pass');
