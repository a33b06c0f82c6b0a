// `npm run build` (also npm's `prepack`): the published package in dist/lib, from
// vite.lib.config.ts in two passes (the browser widget, then the Node proxy and simulator).
// dist/demo and dist/storybook are other builds' and are left alone.
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/lib/', import.meta.url));
const configFile = fileURLToPath(new URL('../vite.lib.config.ts', import.meta.url));

const fail = (message) => {
  console.error(`build-package: ${message}`);
  process.exit(1);
};

// vite.lib.config.ts treats zod calls as pure in the widget build; one made for its effect would vanish.
for (const folder of ['src/widget', 'src/core']) {
  for (const file of readdirSync(join(root, folder), { recursive: true })) {
    if (/\.tsx?$/.test(file) && /\bz\.config\(/.test(readFileSync(join(root, folder, file), 'utf8'))) {
      fail(`${folder}/${file} calls z.config(): the widget build would drop it; configure zod in the host app`);
    }
  }
}

// What we publish must not depend on the caller's NODE_ENV. Vite builds for production only when
// NODE_ENV is unset or 'production'; under vitest (NODE_ENV=test, as tests/package's global setup
// runs this) the widget came out calling react/jsx-dev-runtime's jsxDEV, with this machine's paths
// in it, and a portal's production bundle, where jsxDEV is undefined, failed on first render.
process.env.NODE_ENV = 'production';

const started = Date.now();
rmSync(outDir, { recursive: true, force: true });
for (const mode of ['widget', 'node']) {
  await build({ root, configFile, mode, logLevel: 'warn' });
}

// npm marks bins executable on install; this keeps `node_modules/.bin`-less runs of dist working too.
const bins = [`${outDir}server/bin.js`, `${outDir}simulator/bin.js`];
for (const bin of bins) chmodSync(bin, 0o755);

// Cheap guards on what the bundler might silently drop; tests/package checks the packed result too.
if (!/^["']use client["'];/.test(readFileSync(`${outDir}index.js`, 'utf8'))) fail("dist/lib/index.js lost its 'use client' directive");
for (const bin of bins) if (!readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')) fail(`${bin} lost its shebang`);
for (const file of readdirSync(outDir, { recursive: true })) {
  if (/\.js$/.test(file) && readFileSync(join(outDir, file), 'utf8').includes('react/jsx-dev-runtime')) fail(`dist/lib/${file} uses React's development JSX runtime`);
}

console.log(`build-package: dist/lib in ${((Date.now() - started) / 1000).toFixed(1)} s`);
