/**
 * The published package works, not only the source (issue 6): the packed tarball installed into a
 * throwaway Vite React app, once with the newest peers on React 19 (what this repository develops
 * against) and once with the lowest versions our peer ranges allow on React 18 (peer-versions.ts
 * reads both from package.json, so a range cannot promise what is not tested). Each time the app
 * typechecks against the shipped declarations, builds, and renders the button in Chromium, where
 * a patient cancels through `heim-cancel/server` in front of `heim-cancel/simulator`; the widget
 * renders on the server in plain Node; `heim-cancel/server` imports from a plain Node script; and
 * the bin answers GET /api/healthz and reads Heim.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper, typed by use.
import { PACKAGE_ROOT } from '../../scripts/pack-package.mjs';
import { defaultMessages } from '../../src/index';
import { launchChromium } from '../e2e/browser';
import { APPOINTMENT_ID, createConsumerApp, PATIENT_ID } from './consumer-app';
import { floorLine, newestLine, PEERS, satisfies, type ConsumerLine, type Manifest } from './peer-versions';
import { run } from './support';

const packed = inject('packed');
const SESSION_SECRET = 'consumer-test-session-secret-0123456789abcdef';

const repo = JSON.parse(readFileSync(join(PACKAGE_ROOT as string, 'package.json'), 'utf8')) as Manifest;
// Two installs, not three: the newest peers on the newest React, every floor on the oldest React.
// A peer's floor that cannot go with React's (react-query before 5.52.1 with React 19) fails to
// install here, as it would for a portal.
const LINES: ConsumerLine[] = [newestLine(repo), floorLine(repo)];

/** Starts a Node process in `cwd` and resolves with the first stdout line matching `ready`. */
function startProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')}: not ready after 30 s. ${stderr}`)), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = ready.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

it('develops against peers inside the ranges it publishes', () => {
  // The newest line installs the devDependencies: outside a peer range, it would test a version
  // no portal is promised, and a bump past a range's major would go unnoticed.
  expect(PEERS.filter((name) => !satisfies(repo.devDependencies[name]!, repo.peerDependencies[name]!))).toEqual([]);
});

describe.each(LINES.map((line) => [line.name, line] as const))('a portal on %s installs the packed tarball', (_name, line) => {
  let app: string;
  let server: ChildProcess | undefined;
  let portal: { origin: string; heimBaseUrl: string; heimApiKey: string; token: string };

  beforeAll(async () => {
    app = await createConsumerApp(packed.tarball, line);
    const started = await startProcess(process.execPath, ['serve.mjs'], app, { PORTAL_SESSION_SECRET: SESSION_SECRET, PATIENT_ID }, /^\{.*"origin"/);
    server = started.child;
    portal = JSON.parse(started.match.input!) as typeof portal;
  });
  afterAll(async () => {
    await stop(server);
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('gets the peers it asked for and the package from the tarball', () => {
    const installedVersion = (name: string) => (JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    expect(Object.fromEntries(PEERS.map((name) => [name, installedVersion(name)]))).toEqual(line.peers);
    expect([installedVersion('@types/react'), installedVersion('@types/react-dom')]).toEqual([line.types.react, line.types.reactDom]);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/heim-cancel/package.json'), 'utf8')) as { name: string; exports: object };
    expect(installed.name).toBe('heim-cancel');
    expect(Object.keys(installed.exports)).toContain('./server');
  });

  it('typechecks its own code against the shipped declarations (skipLibCheck off)', async () => {
    await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app });
  });

  it('typechecks a server-only file importing heim-cancel/server and heim-cancel/simulator (lib ES2022, types node, skipLibCheck off)', async () => {
    await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.server.json'], { cwd: app });
  });

  it('server-renders the button in plain Node without touching window or document', async () => {
    const result = JSON.parse(await run(process.execPath, ['ssr.mjs'], { cwd: app })) as {
      react: string;
      html: string;
      consoleErrors: string[];
      window: string;
      document: string;
    };
    expect(result.react).toBe(line.peers.react);
    expect(result.html).toMatch(new RegExp(`<button type="button" class="hc-trigger" aria-haspopup="dialog"[^>]*>${defaultMessages.trigger}</button>`));
    // Nothing in a portal's server log either: React 18 (not 19) warns for any useLayoutEffect
    // rendered on the server, and the server-rendered part (provider, button) has none.
    expect(result.consoleErrors).toEqual([]);
    expect([result.window, result.document]).toEqual(['undefined', 'undefined']);
  });

  it("imports heim-cancel/server from a plain Node script and answers a request", async () => {
    const script = `
      import { createCancelHandler, createPatientSession } from 'heim-cancel/server';
      const handle = createCancelHandler({ heim: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'test_consumer' }, sessionSecret: '${SESSION_SECRET}' });
      const health = await handle(new Request('http://127.0.0.1/api/healthz'));
      const anonymous = await handle(new Request('http://127.0.0.1/api/appointments/apt_x'));
      console.log(JSON.stringify({ health: [health.status, await health.json()], anonymous: anonymous.status, session: typeof createPatientSession }));
    `;
    // The default logger writes its JSON lines to the console too: the refused read is one of them.
    const lines = (await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app })).trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ health: [200, { ok: true }], anonymous: 401, session: 'function' });
    expect(lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'info', event: 'proxy.refused', code: 'unauthenticated', status: 401 }),
    ]);
  });

  it('runs the heim-cancel-proxy bin against the packaged simulator: /api/healthz, then a read from Heim', async () => {
    const bin = join(app, 'node_modules/.bin/heim-cancel-proxy');
    const { child, match } = await startProcess(
      bin,
      [],
      app,
      { HEIM_API_URL: portal.heimBaseUrl, HEIM_API_KEY: portal.heimApiKey, PORTAL_SESSION_SECRET: SESSION_SECRET, HOST: '127.0.0.1', PORT: '0' },
      /health check: (http:\/\/[^\s/]+)\/api\/healthz\)/,
    );
    try {
      const origin = match[1]!;
      const health = await fetch(`${origin}/api/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { ok: true }]);
      const read = await fetch(`${origin}/api/appointments/${APPOINTMENT_ID}`, { headers: { authorization: `Bearer ${portal.token}` } });
      expect(read.status).toBe(200);
      expect(await read.text()).toContain('Wound dressing');
    } finally {
      await stop(child);
    }
  });

  it("runs the heim-cancel-simulator bin, whose seeded patient's visits a separate process lists with the key", async () => {
    const bin = join(app, 'node_modules/.bin/heim-cancel-simulator');
    const { child, match } = await startProcess(bin, ['--port', '0'], app, {}, /^Heim simulator: (http:\/\/\S+\/v1) \(API key: (\S+);/);
    try {
      const [, baseUrl, apiKey] = match;
      const response = await fetch(`${baseUrl}/appointments?patient.id=${PATIENT_ID}`, { headers: { authorization: apiKey! } });
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as { data: { id: string }[] };
      expect(data.map((visit) => visit.id)).toContain(APPOINTMENT_ID);
      // Before 4.0.7, zod ran a transform after its own check had failed: a malformed instant in
      // a seed threw inside the simulator (500) instead of being refused. Hence zod's floor.
      const seed = await fetch(new URL('/_sim/appointments', baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ estimatedTimeOfArrival: 'tomorrow' }),
      });
      expect([seed.status, await seed.text()]).toEqual([400, expect.stringContaining('estimatedTimeOfArrival')]);
    } finally {
      await stop(child);
    }
  });

  it('builds with Vite and renders the button in Chromium; a patient cancels through the packaged proxy', async () => {
    await run(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: app });
    browser ??= await launchChromium();
    const context = await browser.newContext();
    await context.addCookies([{ name: 'portal_session', value: portal.token, url: portal.origin }]);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    try {
      await page.goto(`${portal.origin}/?appointment=${APPOINTMENT_ID}`);
      const trigger = page.getByRole('button', { name: defaultMessages.trigger });
      await trigger.waitFor();
      expect(await page.getByTestId('react-version').textContent()).toBe(line.peers.react);
      // heim-cancel/styles.css reached the page through the app's bundler.
      const primary = /--hc-color-primary:\s*([^;]+);/.exec(readFileSync(join(PACKAGE_ROOT as string, 'src/widget/styles.css'), 'utf8'))![1]!.trim();
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--hc-color-primary').trim())).toBe(primary);

      await trigger.click();
      const dialog = page.getByRole('alertdialog');
      await dialog.getByRole('radio').first().check();
      await dialog.getByRole('button', { name: defaultMessages.confirm }).click();
      await dialog.getByRole('heading', { name: /cancelled/i }).waitFor();
      // onCancelled comes once the patient has closed the confirmation.
      await dialog.getByRole('button', { name: defaultMessages.close }).click();
      await page.waitForFunction((id) => document.body.dataset.cancelled === id, APPOINTMENT_ID);

      const ledger = (await (await fetch(`${portal.origin}/_ledger`)).json()) as { method: string; path: string; status: number }[];
      const posts = ledger.filter((entry) => entry.method === 'POST');
      expect(posts).toEqual([{ method: 'POST', path: `/v1/appointments/${APPOINTMENT_ID}/cancel`, status: expect.any(Number) }]);
      expect(posts[0]!.status).toBeLessThan(300);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
