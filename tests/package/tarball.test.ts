/**
 * What `npm pack` ships (issue 6): the exports map, the bin, peers, sideEffects, the files and
 * only those, the directives the bundler would drop, imports that a consumer's install can
 * satisfy, and publint + attw on the tarball itself.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAst } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with `npm run check:package`, typed by use.
import { attwArgs, PACKAGE_ROOT, publintArgs } from '../../scripts/pack-package.mjs';
import { readPackageJson, run, unpack, type PackageJson } from './support';

const packed = inject('packed');
let root: string;
let manifest: PackageJson;

beforeAll(async () => {
  root = await unpack(packed.tarball);
  manifest = readPackageJson(root);
});
afterAll(() => {
  if (root) rmSync(dirname(root), { recursive: true, force: true });
});

const read = (path: string) => readFileSync(join(root, path), 'utf8');
const jsFiles = () => packed.files.filter((file) => file.endsWith('.js'));

/** Every module specifier a built file imports or re-exports, static and (unless told not to) dynamic. */
function importsOf(path: string, { dynamic = true }: { dynamic?: boolean } = {}): string[] {
  const specifiers: string[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as { type?: string; source?: { value?: unknown } };
    if (
      (n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration' || (dynamic && n.type === 'ImportExpression')) &&
      typeof n.source?.value === 'string'
    ) {
      specifiers.push(n.source.value);
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(parseAst(read(path)));
  return specifiers;
}

/** `file` and every packed file it reaches through relative imports (dynamic ones too, if asked). */
function closureOf(file: string, { dynamic }: { dynamic: boolean }): string[] {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const specifier of importsOf(path, { dynamic }).filter(isRelative)) visit(relative(root, resolve(join(root, dirname(path)), specifier)));
  };
  visit(file);
  return [...seen];
}

/** The browser's files: the widget entry and everything it loads, statically or on demand. */
const widgetFiles = () => closureOf('dist/lib/index.js', { dynamic: true });

// The `sideEffects` globs as bundlers read them: `*` within one path segment, `**` + `/` any folders.
function globToRegExp(glob: string): RegExp {
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const body = glob
    .replace(/^\.\//, '')
    .split('**/')
    .map((part) => part.split('*').map(escape).join('[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${body}$`);
}

/** `@scope/name/sub` → `@scope/name`; `zod/mini` → `zod`. */
const packageNameOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');
const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

describe('the packed files', () => {
  it('are the built package and its documents, nothing else: no source, tests, stories or mock service worker', () => {
    // The README links to ARCHITECTURE.md and docs/ (accessibility, languages): an integrator with
    // only the package can follow them.
    const documents = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'ARCHITECTURE.md', 'docs/accessibility.md', 'docs/languages.md'];
    for (const document of documents) expect(packed.files).toContain(document);
    const outside = packed.files.filter((file) => !file.startsWith('dist/lib/') && !documents.includes(file));
    expect(outside).toEqual([]);
    expect(packed.files.filter((file) => /mockServiceWorker|\.test\.|\.stories\.|\.map$|\/demo\/|storybook|(^|\/)src\//i.test(file))).toEqual([]);
    expect(packed.files.filter((file) => !/\.(js|d\.ts|css)$/.test(file) && file.startsWith('dist/'))).toEqual([]);
    // The tarball on disk holds exactly the files npm listed.
    const onDisk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? onDisk(join(dir, entry.name)) : [relative(root, join(dir, entry.name))]));
    expect(onDisk(root).sort()).toEqual(packed.files);
  });

  it('include every entry point named by the exports map and the bin', () => {
    for (const target of Object.values(manifest.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.types, entry.default]))) {
      expect(packed.files, target).toContain(target.replace(/^\.\//, ''));
    }
    for (const target of Object.values(manifest.bin)) expect(packed.files, target).toContain(target.replace(/^\.\//, ''));
  });

  it('ship the stylesheet byte for byte', () => {
    expect(read('dist/lib/styles.css')).toBe(readFileSync(join(PACKAGE_ROOT, 'src/widget/styles.css'), 'utf8'));
  });
});

describe('package.json', () => {
  it('maps ., ./server, ./simulator, ./pseudo-locale and ./styles.css, each JavaScript entry with its types first', () => {
    expect(manifest.type).toBe('module');
    expect(manifest.exports).toEqual({
      '.': { types: './dist/lib/index.d.ts', default: './dist/lib/index.js' },
      './server': { types: './dist/lib/server/index.d.ts', default: './dist/lib/server/index.js' },
      './simulator': { types: './dist/lib/simulator/index.d.ts', default: './dist/lib/simulator/index.js' },
      './pseudo-locale': { types: './dist/lib/pseudo-locale.d.ts', default: './dist/lib/pseudo-locale.js' },
      './styles.css': './dist/lib/styles.css',
      './package.json': './package.json',
    });
    // Resolution takes the first matching condition, so `types` must come before `default`.
    for (const entry of Object.values(manifest.exports)) if (typeof entry !== 'string') expect(Object.keys(entry)).toEqual(['types', 'default']);
  });

  it('has bins for the standalone proxy and the simulator', () => {
    expect(manifest.bin).toEqual({ 'heim-cancel-proxy': 'dist/lib/server/bin.js', 'heim-cancel-simulator': 'dist/lib/simulator/bin.js' });
  });

  it('marks, of the files it ships, only the stylesheet as having side effects', () => {
    // The list may also name repository files (the demo's), which this package does not ship.
    expect(Array.isArray(manifest.sideEffects)).toBe(true);
    const patterns = (manifest.sideEffects as string[]).map(globToRegExp);
    expect(packed.files.filter((file) => patterns.some((pattern) => pattern.test(file)))).toEqual(['dist/lib/styles.css']);
  });

  it('asks the host for React 18 or 19, react-query 5, react-hook-form 7 and zod 4, and nothing else', () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['@tanstack/react-query', 'react', 'react-dom', 'react-hook-form', 'zod']);
    expect(manifest.peerDependencies.react).toMatch(/\^18\.\d+\.\d+ \|\| \^19\.\d+\.\d+/);
    expect(manifest.peerDependencies['react-dom']).toBe(manifest.peerDependencies.react);
    expect(manifest.peerDependencies['@tanstack/react-query']).toMatch(/^\^5\./);
    expect(manifest.peerDependencies['react-hook-form']).toMatch(/^\^7\./);
    expect(manifest.peerDependencies.zod).toMatch(/^\^4\./);
    // A peer is also a dev dependency, so this repository builds and tests against it.
    for (const peer of Object.keys(manifest.peerDependencies)) expect(manifest.devDependencies, peer).toHaveProperty(peer);
  });
});

describe('the built JavaScript', () => {
  it("keeps 'use client' as the widget's first statement, and only there", () => {
    expect(read('dist/lib/index.js')).toMatch(/^["']use client["'];\n/);
    for (const file of jsFiles().filter((f) => f !== 'dist/lib/index.js')) expect(read(file), file).not.toMatch(/["']use client["']/);
  });

  it.each(['heim-cancel-proxy', 'heim-cancel-simulator'])('starts the %s bin with a node shebang and packs it executable', (name) => {
    const bin = join(root, manifest.bin[name]!);
    expect(readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('keeps the widget to its own modules (widget/, core/), importing only the host peers: no server code, no Node, no chunk shared with the server', () => {
    const files = widgetFiles();
    // Module by module, so the portal's bundler can split the dialog from the button (see below).
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((file) => file !== 'dist/lib/index.js' && !/^dist\/lib\/(widget|core)\/[^/]+\.js$/.test(file))).toEqual([]);
    const imports = files.flatMap((file) => importsOf(file).filter((specifier) => !isRelative(specifier)));
    const packages = [...new Set(imports.map(packageNameOf))];
    const allowed = ['@tanstack/react-query', 'react', 'react-dom', 'react-hook-form', 'zod'];
    expect(packages.filter((name) => !allowed.includes(name))).toEqual([]);
    expect(packages).toEqual(expect.arrayContaining(['react', '@tanstack/react-query', 'react-hook-form', 'zod']));
  });

  it('ships the pseudo-locale as its own entry of plain functions, out of the widget entry', () => {
    const files = closureOf('dist/lib/pseudo-locale.js', { dynamic: true });
    expect(files).toContain('dist/lib/widget/pseudo-locale.js');
    expect(files.flatMap((file) => importsOf(file).filter((specifier) => !isRelative(specifier)))).toEqual([]);
    expect(widgetFiles()).not.toContain('dist/lib/widget/pseudo-locale.js');
  });

  it('reaches the dialog from the button only through a dynamic import, so a page pays for it on intent', () => {
    const button = 'dist/lib/widget/cancel-appointment-button.js';
    const dialog = 'dist/lib/widget/cancel-appointment-dialog.js';
    const staticallyFromButton = closureOf(button, { dynamic: false });
    expect(staticallyFromButton).not.toContain(dialog);
    // Nor anything heavy the dialog brings: the network client, the schemas, the copy, the form.
    for (const heavy of ['widget/api-client.js', 'core/schemas.js', 'widget/messages.js', 'widget/cancel-form.js']) {
      expect(staticallyFromButton).not.toContain(`dist/lib/${heavy}`);
    }
    expect(closureOf(button, { dynamic: true })).toContain(dialog);
  });

  it('imports, everywhere, only declared dependencies and peers, Node built-ins (server side) and files that are in the package', () => {
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const problems: string[] = [];
    for (const file of jsFiles()) {
      for (const specifier of importsOf(file)) {
        if (isRelative(specifier)) {
          const target = relative(root, resolve(join(root, dirname(file)), specifier));
          if (!packed.files.includes(target)) problems.push(`${file}: ${specifier} is not in the package`);
        } else if (isNodeBuiltin(specifier)) {
          if (widgetFiles().includes(file)) problems.push(`${file}: the widget imports ${specifier}`);
        } else if (!declared.has(packageNameOf(specifier))) {
          problems.push(`${file}: ${specifier} is neither a dependency nor a peer`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps React out of the server and the simulator', () => {
    const browserSide = [...widgetFiles(), ...closureOf('dist/lib/pseudo-locale.js', { dynamic: true })];
    const serverSide = jsFiles().filter((file) => !browserSide.includes(file));
    expect(serverSide.length).toBeGreaterThan(2);
    for (const file of serverSide) {
      const browserOnly = importsOf(file).map(packageNameOf).filter((name) => /^(react|react-dom|react-hook-form|@tanstack\/react-query)$/.test(name));
      expect(browserOnly, file).toEqual([]);
    }
  });

  it('gives every relative import in the declarations its .js extension and a declaration file to land on', () => {
    const problems: string[] = [];
    for (const file of packed.files.filter((f) => f.endsWith('.d.ts'))) {
      for (const [, specifier] of read(file).matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = relative(root, resolve(join(root, dirname(file)), specifier!)).replace(/\.js$/, '.d.ts');
        if (!specifier!.endsWith('.js') || !packed.files.includes(target)) problems.push(`${file}: ${specifier}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('linters on the tarball', () => {
  it('publint (strict) finds nothing', async () => {
    const output = await run('npx', ['--no-install', ...(publintArgs as (t: string) => string[])(packed.tarball)], { cwd: PACKAGE_ROOT as string });
    expect(output).toContain('All good!');
  });

  it('attw finds no type resolution problem for an ESM consumer (node16 from ESM, bundler)', async () => {
    // attw exits non-zero on any problem the profile counts, which `run` turns into a failure.
    const output = await run('npx', ['--no-install', ...(attwArgs as (t: string) => string[])(packed.tarball), '--format', 'json'], {
      cwd: PACKAGE_ROOT as string,
    });
    const report = JSON.parse(output) as { analysis: { entrypoints: Record<string, unknown> } };
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(['.', './package.json', './pseudo-locale', './server', './simulator']);
  });
});
