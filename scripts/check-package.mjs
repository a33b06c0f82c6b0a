// `npm run check:package`: build, pack, then lint the tarball a consumer would install with
// publint (strict: warnings fail) and @arethetypeswrong/cli (why `--profile esm-only`: see
// pack-package.mjs), and report what ships and its size. tests/package runs the same checks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attwArgs, PACKAGE_ROOT, packPackage, publintArgs } from './pack-package.mjs';

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const run = (args) => execFileSync('npx', ['--no-install', ...args], { cwd: PACKAGE_ROOT, stdio: 'inherit' });

const folder = mkdtempSync(join(tmpdir(), 'heim-cancel-pack-'));
let failed = false;
try {
  const packed = packPackage(folder);
  console.log(`${packed.files.length} files, tarball ${kb(packed.size)}, unpacked ${kb(packed.unpackedSize)}:`);
  for (const file of packed.files) console.log(`  ${file}`);

  // The widget ships module by module (so portals can split the dialog off); what a page pays is
  // a bundler's question, which `npm run size` answers.
  console.log('widget sizes as a portal bundles them: npm run size');

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
