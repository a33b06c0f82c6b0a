// `npm run size`: what the widget costs a portal, min+gzip with the host's peers external (issue 6).
// A report, not a gate: it prints the figures with their budgets and exits 0 unless a build fails.
//
// It measures what ships, as a portal's bundler would see it: first the package's widget build
// (vite.lib.config.ts, mode `widget-js`: the same JavaScript as dist/lib, into a temporary folder),
// then small consumer bundles of it built with Vite (minified, tree-shaken, code-split, production):
//   - whole widget: every export of the package, code-split as a portal ships it, all chunks summed;
//   - before open: a page that renders only <CancelAppointmentProvider> and <CancelAppointmentButton>,
//     code-split: its entry chunk and what that imports statically;
//   - dialog on intent: what the same page loads on first intent (the dynamic import's chunks);
//   - the stylesheet, minified; and @radix-ui/react-dialog alone, for scale.
// (Vite bundles because esbuild's code splitting follows the package's re-exports: with esbuild as
// the portal's bundler the dialog's modules land in the page's first chunk.)
// `--files` adds the whole widget's modules by minified bytes (where the bytes are).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'node_modules/.cache/heim-cancel-size');
const lib = join(work, 'lib');
const KB = 1024;

/** The host's peers (package.json peerDependencies): the portal already pays for them. */
const PEERS = ['react', 'react-dom', '@tanstack/react-query', 'react-hook-form', 'zod'];
const isPeer = (id) => PEERS.some((name) => id === name || id.startsWith(`${name}/`));
const REACT_ONLY = ['react', 'react-dom'];
const isReact = (id) => REACT_ONLY.some((name) => id === name || id.startsWith(`${name}/`));

const gzip = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;
const kb = (bytes) => `${(bytes / KB).toFixed(2)} KB`;

/**
 * Bundles one consumer entry as a portal's bundler would (Vite's Rolldown: tree-shaking and code
 * splitting), then minifies each chunk with esbuild. Library mode, so no application plumbing
 * (Vite's preload helper) is counted as the widget's; returns the JavaScript chunks, minified.
 */
async function bundle(name, source, { external = isPeer, split = true } = {}) {
  const input = join(work, `${name}.js`);
  writeFileSync(input, source);
  const result = await build({
    configFile: false,
    root: work,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry: input, formats: ['es'], fileName: name },
      rollupOptions: { external, output: split ? {} : { codeSplitting: false } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunks = outputs.filter((chunk) => chunk.type === 'chunk');
  for (const chunk of chunks) chunk.minified = (await transform(chunk.code, { loader: 'js', format: 'esm', minify: true, target: 'es2022' })).code;
  return chunks;
}

/** Splits a code-split bundle into what the page loads at once and what it loads on demand. */
function initialAndLazy(chunks) {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const initial = new Set();
  const visit = (fileName) => {
    if (initial.has(fileName) || !byName.has(fileName)) return;
    initial.add(fileName);
    for (const imported of byName.get(fileName).imports) visit(imported);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
  const size = (list) => list.reduce((sum, chunk) => sum + gzip(chunk.minified), 0);
  const lazy = chunks.filter((chunk) => !initial.has(chunk.fileName));
  return { initial: size(chunks.filter((chunk) => initial.has(chunk.fileName))), lazy: size(lazy), lazyChunks: lazy.length };
}

const rows = [];
const row = (what, bytes, budgetKb, note = '') => rows.push({ what, bytes, budgetKb, note });
const from = JSON.stringify(join(lib, 'index.js'));

try {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await build({
    root,
    configFile: join(root, 'vite.lib.config.ts'),
    mode: 'widget-js',
    logLevel: 'warn',
    build: { outDir: lib, emptyOutDir: true },
  });
  // As published: only the stylesheet has side effects, which is what lets a bundler leave out
  // (and split off) the modules a page does not use.
  const { sideEffects } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'heim-cancel', type: 'module', sideEffects }));

  // Code-split as a portal's bundler splits it, every chunk counted: forcing one file instead would
  // wrap each lazily loaded module in lazy-init helpers no portal ships (0.61 KB of them when this changed).
  const wholeChunks = await bundle('whole', `export * from ${from};`);
  const wholeGzip = wholeChunks.reduce((sum, chunk) => sum + gzip(chunk.minified), 0);
  const wholeMin = wholeChunks.reduce((sum, chunk) => sum + chunk.minified.length, 0);
  row('whole widget (every export of heim-cancel)', wholeGzip, 6, `${kb(wholeMin)} min, ${wholeChunks.length} chunk(s)`);

  const page = initialAndLazy(
    await bundle(
      'button-page',
      `import { createElement as h } from 'react';
import { CancelAppointmentButton, CancelAppointmentProvider } from ${from};
export const Visit = () => h(CancelAppointmentProvider, { apiBaseUrl: '/api' }, h(CancelAppointmentButton, { appointmentId: 'apt_1' }));`,
    ),
  );
  row('before open (a page with provider + button)', page.initial, 2);
  row('dialog, loaded on first intent', page.lazy, null, `${page.lazyChunks} chunk(s)`);

  const css = await transform(readFileSync(join(root, 'src/widget/styles.css'), 'utf8'), { loader: 'css', minify: true });
  row('stylesheet (styles.css, minified)', gzip(css.code), 2);

  const radix = await bundle('radix', `export * from '@radix-ui/react-dialog';`, { external: isReact, split: false });
  row('for scale: @radix-ui/react-dialog alone', radix.reduce((sum, chunk) => sum + gzip(chunk.minified), 0), null);

  if (process.argv.includes('--files')) {
    console.log('Whole widget by module (bytes rendered into the bundle, before minifying and gzip):');
    const modules = wholeChunks
      .flatMap((chunk) => Object.entries(chunk.modules))
      .map(([id, info]) => [id.startsWith(lib) ? id.slice(lib.length + 1) : id.replace(/^.*node_modules\//, ''), info.renderedLength])
      .filter(([, bytes]) => bytes > 0)
      .sort((a, b) => b[1] - a[1]);
    for (const [id, bytes] of modules) console.log(`  ${String(bytes).padStart(6)}  ${id}`);
    console.log('');
  }
} catch (error) {
  console.error(`size: a build failed\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r.what.length));
console.log(`${'min+gzip, peers external'.padEnd(width)}  ${'size'.padStart(9)}  ${'budget'.padStart(7)}  status`);
for (const { what, bytes, budgetKb, note } of rows) {
  const budget = budgetKb === null ? '' : `${budgetKb} KB`;
  const status = budgetKb === null ? '' : bytes <= budgetKb * KB ? 'OK' : 'OVER';
  console.log(`${what.padEnd(width)}  ${kb(bytes).padStart(9)}  ${budget.padStart(7)}  ${status.padEnd(4)}  ${note}`.trimEnd());
}
console.log(`\nKB = 1024 bytes, gzip -9. Peers external: ${PEERS.join(', ')}.`);
