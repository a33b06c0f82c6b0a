// `npm test`: find (or install) Chromium, typecheck, then run every vitest project.
// Extra arguments go to vitest, e.g. `npm test -- --project unit`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { findChromium } from './find-chromium.mjs';

const REPORT = '.tmp/vitest-report.json';

let chromium;
try {
  chromium = findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

const env = { ...process.env, CHROMIUM_PATH: chromium };
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;

const started = Date.now();
const typecheck = run('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.']);
if (typecheck !== 0) {
  console.error('Typecheck failed.');
  process.exit(typecheck);
}
mkdirSync('.tmp', { recursive: true });
rmSync(REPORT, { force: true });
const status = run('npx', [
  '--no-install',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${REPORT}`,
  ...process.argv.slice(2),
]);
console.log(`npm test finished in ${((Date.now() - started) / 1000).toFixed(1)} s (typecheck + vitest)`);
// A plain closing line that any CI can read, whatever the runner prints above it.
if (existsSync(REPORT)) {
  const report = JSON.parse(readFileSync(REPORT, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (report.numTotalTests === 0) {
    console.error('No test ran.');
    process.exit(1);
  }
}
process.exit(status);
