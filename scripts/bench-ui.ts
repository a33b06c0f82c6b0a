/**
 * `npm run bench:ui`: the widget's speed in real Chromium, printed as numbers (issue 6). A report,
 * not a test: nothing here passes or fails.
 *
 * - Countdown tick: the open dialog on a chargeable appointment; per tick, which components React
 *   rendered (a DevTools hook walking each commit) and the Profiler's time, against one full render
 *   of the dialog's content, timed by the Profiler when a second opening mounts it afresh (warm).
 * - Opening: pointerdown on the trigger → focus inside the open dialog, median of 30, against a bare
 *   native <dialog> opened by a plain click handler, interleaved in the same page; as a hand clicks,
 *   also against a static HTML copy of the widget's open dialog (the browser's own share: styling
 *   that content and focusing in it, without React). The page loads the widget's stylesheet, as
 *   portals do. Twice: as a hand clicks (the pointer rests on the trigger for HOVER_MS before
 *   pressing, which is when the dialog's code loads), and as a script clicks (the pointer arrives
 *   and presses at once).
 * - Submitting: pointerdown on "Cancel appointment" → focus on the success heading, median of 30,
 *   each on a fresh appointment, through the real proxy and simulator on loopback at zero latency.
 *
 * The page is a production build (Vite) with react-dom's profiling build, so the Profiler times.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { createCancelHandler, silentLogger, startProxyServer } from '../src/server/index';
import { startSimulator } from '../src/simulator/index';
import { launchChromium } from '../tests/e2e/browser';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 30;
const TICKS = 8;
const PATIENT_ID = 'p_bench';
const HOUR = 3_600_000;
const API_KEY = 'test_bench_key';
/**
 * How long the pointer rests on a trigger before pressing, as a hand does: pointing at a target and
 * pressing takes people a few hundred ms; 150 ms is the quick end.
 */
const HOVER_MS = 150;

interface Bench {
  downAt: number;
  focusAt: number;
  focusTarget: string;
  headingOnly: boolean;
  commits: { at: number; rendered: string[] }[];
  profiles: { phase: string; actualDuration: number; baseDuration: number; at: number }[];
  reset(): void;
  makeStaticCopy(): void;
}
declare const bench: Bench;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;

/**
 * Builds the page for production, twice: plain (what portals ship: opening and submitting are timed
 * on it) and with react-dom's profiling build (the Profiler's timings switched on, for the tick).
 * Not minified, so the components keep their names in the tick's report; minifying changes size,
 * not speed.
 */
async function buildPage(outDir: string, { profiling }: { profiling: boolean }): Promise<void> {
  await build({
    configFile: false,
    root: join(root, 'scripts/bench-ui'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    resolve: { alias: profiling ? [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] : [] },
    build: { outDir, emptyOutDir: true, minify: false, modulePreload: false },
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

async function startServers(staticRoot: string) {
  const heim = await startSimulator({ apiKeys: [API_KEY], host: '127.0.0.1', port: 0 });
  const api = createCancelHandler({
    heim: { baseUrl: heim.baseUrl, apiKey: API_KEY },
    authenticate: () => ({ patientId: PATIENT_ID }),
    rateLimit: { max: 10_000, windowMs: 60_000 },
    logger: silentLogger,
  });
  const server = await startProxyServer(
    async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith('/api/')) return api(request);
      const file = join(staticRoot, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
      if (!file.startsWith(staticRoot) || !existsSync(file)) return new Response('not found', { status: 404 });
      return new Response(readFileSync(file), { headers: { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' } });
    },
    { host: '127.0.0.1', port: 0 },
  );
  return { heim, server };
}

function appointment(id: string, etaFromNowMs: number) {
  return {
    id,
    status: 'scheduled' as const,
    estimatedTimeOfArrival: new Date(Date.now() + etaFromNowMs).toISOString(),
    patient: { id: PATIENT_ID, name: 'Bench Patient' },
    serviceName: 'Blood test at home',
    location: { line1: '1 Bench Road', city: 'London', postcode: 'N1 1AA' },
  };
}

/**
 * Clicks (after resting on the target for `hoverMs`, if any), then waits for focus to land in a
 * dialog; returns pointerdown → that first focus in page time. With `expectFocusOn`, the first
 * focus must be on an element of that text, so two openings compared end at the same place.
 */
async function clickToFocus(page: Page, selector: string, hoverMs: number, expectFocusOn?: string): Promise<number> {
  if (hoverMs > 0) {
    await page.hover(selector);
    await page.waitForTimeout(hoverMs);
  }
  await page.evaluate(() => bench.reset());
  await page.click(selector);
  await page.waitForFunction(() => bench.focusAt !== 0);
  const { time, target } = await page.evaluate(() => ({ time: bench.focusAt - bench.downAt, target: bench.focusTarget }));
  if (expectFocusOn !== undefined && target !== expectFocusOn) {
    throw new Error(`${selector}: focus first landed on "${target}", not "${expectFocusOn}"`);
  }
  return time;
}

interface OpeningTimes {
  widget: number[];
  bare: number[];
  /** The widget's dialog as static HTML, when the run measures it. */
  staticCopy: number[];
}

/** Opens a plain <dialog> by its trigger, then closes it with Escape; returns the opening's time. */
async function openPlain(page: Page, trigger: string, dialogId: string, hoverMs: number, expectFocusOn?: string): Promise<number> {
  const time = await clickToFocus(page, trigger, hoverMs, expectFocusOn);
  await page.keyboard.press('Escape');
  await page.waitForFunction((id) => !(document.getElementById(id) as HTMLDialogElement).open, dialogId);
  return time;
}

async function benchOpening(page: Page, hoverMs: number, { withStaticCopy }: { withStaticCopy: boolean }): Promise<OpeningTimes> {
  const widget: number[] = [];
  const bare: number[] = [];
  const staticCopy: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    bare.push(await openPlain(page, '#bare-trigger', 'bare', hoverMs));
    if (withStaticCopy) staticCopy.push(await openPlain(page, '#static-trigger', 'static-copy', hoverMs, 'Keep appointment'));

    widget.push(await clickToFocus(page, '#open-bench .hc-trigger', hoverMs, 'Keep appointment'));
    // Let the appointment arrive so every run starts from the same quiet page, then keep it.
    await page.locator('dialog[open] fieldset').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
  }
  return { widget, bare, staticCopy };
}

async function benchSubmitting(page: Page, ids: readonly string[]): Promise<number[]> {
  const times: number[] = [];
  for (const id of ids) {
    await page.click(`#submit-${id} .hc-trigger`);
    const dialog = page.locator('dialog[open]');
    await dialog.getByRole('radio', { name: "I'm unwell" }).check();
    await page.evaluate(() => {
      bench.reset();
      bench.headingOnly = true;
    });
    await dialog.getByRole('button', { name: 'Cancel appointment' }).click();
    await page.waitForFunction(() => bench.focusAt !== 0);
    const heading = await page.evaluate(() => document.activeElement?.textContent ?? '');
    if (heading !== 'Your appointment is cancelled') throw new Error(`run ${id}: focus on "${heading}", not the success heading`);
    times.push(await page.evaluate(() => bench.focusAt - bench.downAt));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  }
  return times;
}

async function benchTick(page: Page) {
  // A first opening loads and warms the code; the second mounts the content afresh, warm: its
  // largest commit is one full render of the dialog's content.
  await page.click('#tick-bench .hc-trigger');
  await page.locator('dialog[open] fieldset').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#tick-bench dialog[open]').waitFor({ state: 'detached' });
  const reopenedAt = await page.evaluate(() => performance.now());
  await page.click('#tick-bench .hc-trigger');
  await page.locator('dialog[open] fieldset').waitFor();
  await page.waitForTimeout(500);
  const fullRenderMs = await page.evaluate(
    (since) => Math.max(...bench.profiles.filter((profile) => profile.at > since).map((profile) => profile.actualDuration)),
    reopenedAt,
  );
  await page.waitForTimeout(1_500); // let the opening's commits settle
  const from = await page.evaluate(() => performance.now());
  await page.waitForTimeout(TICKS * 1_000 + 200);
  const { commits, profiles } = await page.evaluate((since) => ({
    commits: bench.commits.filter((commit) => commit.at > since),
    profiles: bench.profiles.filter((profile) => profile.at > since),
  }), from);
  await page.keyboard.press('Escape');
  return { commits, profiles, fullRenderMs };
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'heim-cancel-bench-ui-'));
  const browser = await launchChromium();
  let servers: Awaited<ReturnType<typeof startServers>> | undefined;
  try {
    await buildPage(join(outDir, 'plain'), { profiling: false });
    await buildPage(join(outDir, 'profiling'), { profiling: true });
    servers = await startServers(outDir);
    const { simulator } = servers.heim;
    // Zero latency, no faults: the simulator's defaults, stated so a change there shows here.
    simulator.reset();
    simulator.addAppointment(appointment('apt_bench_open', 3 * 24 * HOUR));
    simulator.addAppointment(appointment('apt_bench_tick', 2 * HOUR)); // inside the 24 h window: chargeable
    const submitIds = Array.from({ length: RUNS }, (_, index) => `apt_bench_submit_${index}`);
    for (const id of submitIds) simulator.addAppointment(appointment(id, 3 * 24 * HOUR));

    const query = new URLSearchParams({ open: 'apt_bench_open', tick: 'apt_bench_tick', submit: submitIds.join(',') });
    const profilingPage = await browser.newPage();
    await profilingPage.goto(`${servers.server.origin}/profiling/?${query}`);
    const tick = await benchTick(profilingPage);
    await profilingPage.close();

    const page = await browser.newPage();
    await page.goto(`${servers.server.origin}/plain/?${query}`);
    await page.locator('#open-bench .hc-trigger').waitFor();
    // A script's instant click first, so its first run includes loading the dialog's code.
    const instant = await benchOpening(page, 0, { withStaticCopy: false });
    await page.click('#open-bench .hc-trigger');
    await page.locator('dialog[open] fieldset').waitFor();
    await page.evaluate(() => bench.makeStaticCopy());
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    const hovered = await benchOpening(page, HOVER_MS, { withStaticCopy: true });
    const submitting = await benchSubmitting(page, submitIds);

    const perTick = tick.commits.map((commit) => commit.rendered);
    const names = [...new Set(perTick.flat())];
    const tickMs = tick.profiles.map((profile) => profile.actualDuration);
    const fullMs = tick.fullRenderMs;

    console.log(`Chromium ${browser.version()}, production React (profiling build for the tick), proxy + simulator on loopback, zero latency\n`);
    console.log(`Countdown tick (chargeable, dialog open, ${perTick.length} commits in ${TICKS} s):`);
    console.log(`  components rendered per tick: median ${median(perTick.map((list) => list.length))} (${names.join(', ')})`);
    console.log(`  time per tick (Profiler actualDuration): median ${ms(median(tickMs))}`);
    console.log(`  one full render of the dialog's content, warm (Profiler actualDuration): ${ms(fullMs)}`);
    console.log(`  tick / full render: ${(median(tickMs) / fullMs).toFixed(3)}`);
    const opening = (label: string, times: OpeningTimes, first: string) => {
      const widget = median(times.widget);
      const bare = median(times.bare);
      console.log(`  ${label}:`);
      console.log(`    widget: ${ms(widget)}${first}`);
      console.log(`    bare native <dialog>: ${ms(bare)}`);
      console.log(`    ratio: ${(widget / bare).toFixed(2)}×`);
      if (times.staticCopy.length > 0) {
        const copy = median(times.staticCopy);
        console.log(`    the widget's open dialog as static HTML, same click: ${ms(copy)}, ${(copy / bare).toFixed(2)}× bare (the browser's share)`);
      }
    };
    console.log(`\nOpening, pointerdown → focus in the open dialog, median of ${RUNS}:`);
    opening(`as a hand clicks (pointer on the trigger ${HOVER_MS} ms before pressing)`, hovered, '');
    opening('as a script clicks (pointer arrives and presses at once)', instant, ` (first ${ms(instant.widget[0]!)}, includes loading the dialog's code)`);
    console.log(`\nSubmitting, pointerdown on confirm → focus on the success heading, median of ${RUNS}:`);
    console.log(`  ${ms(median(submitting))} (min ${ms(Math.min(...submitting))}, max ${ms(Math.max(...submitting))})`);
  } finally {
    await browser.close();
    await servers?.server.close();
    await servers?.heim.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
