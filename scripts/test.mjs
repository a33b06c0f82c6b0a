// `npm test`: find (or install) Chromium, typecheck, then run every vitest project.
// Extra arguments go to vitest, e.g. `npm test -- --project unit`.
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-chromium.mjs';

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
const status = run('npx', ['--no-install', 'vitest', 'run', ...process.argv.slice(2)]);
console.log(`npm test finished in ${((Date.now() - started) / 1000).toFixed(1)} s (typecheck + vitest)`);
process.exit(status);
