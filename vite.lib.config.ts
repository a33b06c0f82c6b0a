/**
 * The published package's build (`npm run build` → dist/lib), in two passes chosen by `--mode`:
 *
 * - `widget`: src/index.ts for browsers → dist/lib/index.js with `'use client'` on its first line
 *   (and the translators' src/pseudo-locale.ts → dist/lib/pseudo-locale.js, plain functions),
 *   the modules it imports kept one file each under dist/lib/widget and dist/lib/core, plus
 *   styles.css and the type declarations of every public entry. One file per module, not one
 *   bundle, so the portal's bundler can split the dialog (loaded on intent, see
 *   src/widget/load-cancel-dialog.ts) from the button: a single file would put everything the
 *   dialog shares with the entry back into the page's first load.
 * - `widget-js`: the same JavaScript alone, no declarations or stylesheet (scripts/size.mjs builds
 *   it into a temporary folder to measure what a portal ships).
 * - `node`: the proxy (src/server/index.ts), its bin, the simulator and its bin → dist/lib/server/*.js
 *   and dist/lib/simulator/*.js, sharing chunks under dist/lib/chunks.
 *
 * Two passes, not one, so the widget's file can never import a chunk that also holds server code.
 * Every bare import (peers, dependencies, node: builtins) stays external: the package ships only
 * our own code, and tests/package checks that each import it leaves is a declared dependency.
 * vite.config.ts (the demo page) and .storybook are separate and untouched by this file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import dts from 'vite-plugin-dts';

const root = dirname(fileURLToPath(import.meta.url));
const here = (path: string) => resolve(root, path);
export const LIB_OUT_DIR = here('dist/lib');

/** Anything that is not our own source file is provided by the consumer's install. */
function isExternal(id: string): boolean {
  return !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0');
}

/** Rollup/Rolldown drop module-level directives; the widget's entry needs its RSC boundary back. */
const USE_CLIENT = "'use client';\n";

/** Ships the optional stylesheet as `heim-cancel/styles.css`, byte for byte. */
function copyStylesheet(): Plugin {
  return {
    name: 'heim-cancel:styles-css',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'styles.css', source: readFileSync(here('src/widget/styles.css'), 'utf8') });
    },
  };
}

/**
 * The declarations are ESM (`"type": "module"`), so under Node's own resolution (node16/nodenext,
 * what attw checks) a relative specifier needs its extension: `./app` → `./app.js`,
 * `../core` → `../core/index.js`. The sources use bundler-style specifiers, so add them here.
 */
function withDeclarationExtensions(filePath: string, content: string): string {
  const from = dirname(filePath);
  return content.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g, (whole, lead: string, quote: string, spec: string) => {
    if (/\.(js|d\.ts)$/.test(spec)) return whole;
    const sourceBase = join(from, spec);
    // Declarations are written next to where the sources map to, so probe the source tree.
    const srcBase = join(here('src'), relative(LIB_OUT_DIR, sourceBase));
    const asFile = ['.ts', '.tsx'].some((ext) => existsSync(srcBase + ext));
    const asDir = ['index.ts', 'index.tsx'].some((name) => existsSync(join(srcBase, name)));
    if (!asFile && !asDir) throw new Error(`declarations: cannot resolve ${spec} from ${filePath}`);
    return `${lead}${quote}${asFile ? `${spec}.js` : `${spec.replace(/\/$/, '')}/index.js`}${quote}`;
  });
}

function widgetBuild({ declarations }: { declarations: boolean }): UserConfig {
  return {
    publicDir: false, // public/ holds mockServiceWorker.js, which must never ship
    plugins: !declarations ? [] : [
      copyStylesheet(),
      dts({
        tsconfigPath: here('tsconfig.json'),
        entryRoot: here('src'),
        outDirs: LIB_OUT_DIR,
        include: ['src/index.ts', 'src/pseudo-locale.ts', 'src/widget', 'src/core', 'src/server', 'src/simulator'],
        exclude: ['src/server/bin.ts', 'src/simulator/bin.ts', 'src/demo', '**/*.test.*', '**/*.stories.*'],
        // The repo's tsconfig checks tests with vitest's globals; declarations need only Node's.
        compilerOptions: { types: ['node'], noEmit: false, declaration: true, emitDeclarationOnly: true },
        beforeWriteFile: (filePath, content) => ({ filePath, content: withDeclarationExtensions(filePath, content) }),
      }),
    ],
    build: {
      outDir: LIB_OUT_DIR,
      emptyOutDir: false, // scripts/build-package.mjs empties dist/lib once, before both passes
      target: 'es2022',
      minify: false, // the portal's bundler minifies; readable output helps when debugging it
      sourcemap: false,
      copyPublicDir: false,
      lib: {
        entry: { index: here('src/index.ts'), 'pseudo-locale': here('src/pseudo-locale.ts') },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rollupOptions: {
        external: isExternal,
        // dts generation is most of this build's time by design; the timing warning is noise.
        checks: { bundlerTimings: false },
        // Building a zod schema has no side effect, but the bundler cannot know: without this, the
        // core schemas only the proxy uses would stay in the widget's file as dead statements.
        // It also makes a bare `z.config(...)` droppable, so scripts/build-package.mjs refuses one
        // in the widget's sources (configuring zod is the host's call: see src/demo/web).
        treeshake: { manualPureFunctions: ['z'] },
        output: {
          preserveModules: true,
          preserveModulesRoot: here('src'),
          // Every module imported from the entry is a client module too; the boundary is the entry.
          banner: (chunk) => (chunk.isEntry && chunk.name === 'index' ? USE_CLIENT : ''),
        },
      },
    },
  };
}

function nodeBuild(): UserConfig {
  return {
    publicDir: false,
    build: {
      outDir: LIB_OUT_DIR,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: false,
      copyPublicDir: false,
      ssr: true,
      lib: {
        entry: {
          'server/index': here('src/server/index.ts'),
          'server/bin': here('src/server/bin.ts'),
          'simulator/index': here('src/simulator/index.ts'),
          'simulator/bin': here('src/simulator/bin.ts'),
        },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rollupOptions: {
        external: isExternal,
        output: { chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'widget') return widgetBuild({ declarations: true });
  if (mode === 'widget-js') return widgetBuild({ declarations: false });
  if (mode === 'node') return nodeBuild();
  throw new Error(`vite.lib.config.ts: --mode must be "widget", "widget-js" or "node", got "${mode}"`);
});
