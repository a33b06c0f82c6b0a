// `npm test`: find (or install) Chromium, typecheck, then run every vitest project.
// Extra arguments go to vitest, e.g. `npm test -- --project unit`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { findChromium } from './find-chromium.mjs';

const REPORT = '.tmp/vitest-report.json';
/** How much of a retried test's first failure the closing lines print: its message, not its stack. */
const FAILURE_LINES = 80;

function firstLines(message) {
  const lines = message.split('\n');
  const untilStack = lines.findIndex((line) => /^\s+at /.test(line));
  const kept = lines.slice(0, Math.min(untilStack === -1 ? lines.length : untilStack, FAILURE_LINES));
  return kept.join('\n  ');
}

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
  // A test that failed, was retried (the e2e project allows one) and then passed keeps its first
  // failure in the report: name it, so a flaky test is seen and fixed rather than hidden, and print
  // that failure's message (the browser tests put what the page said and asked in it), since the
  // report file is gone with CI's machine.
  const retried = report.testResults.flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === 'passed' && test.failureMessages.length > 0)
      .map((test) => ({ name: `${file.name.replace(`${process.cwd()}/`, '')} > ${test.fullName}`, first: firstLines(test.failureMessages[0]) })),
  );
  for (const test of retried) console.log(`passed only on retry: ${test.name}\n  first failure: ${test.first}`);
  const flaky = retried.length > 0 ? `, ${retried.length} only on retry` : '';
  console.log(`${report.numPassedTests} passed${flaky}, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (report.numTotalTests === 0) {
    console.error('No test ran.');
    process.exit(1);
  }
}
process.exit(status);
