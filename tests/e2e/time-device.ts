/**
 * A patient's device for the time tests: a browser context in a chosen zone whose clock is set
 * wherever the test says (Playwright's clock), signed in to the real demo, plus the instruments
 * the tests read through.
 *
 * The instruments are installed before Playwright's clock, so they keep the page's *real* clock
 * and `requestAnimationFrame`: changes of the countdown and of the charge state are stamped with
 * the real wall clock (the same clock as this process, so comparable with the truth), and "the
 * first frame" is a real frame, not a faked one.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TruthClock } from './time-truth-clock';

export interface ChargeSnapshot {
  readonly dialogOpen: boolean;
  /** `data-charge` of the charge status: free, chargeable, due, no_eta (null: not shown). */
  readonly state: string | null;
  /** The ticking sentence. */
  readonly countdown: string | null;
  /** The charge status's first sentence ("Free to cancel until …" while free). */
  readonly text: string | null;
  /** The summary's `<time>`: its instant and what it shows. */
  readonly whenIso: string | null;
  readonly whenText: string | null;
}

/** A change of the countdown or the charge state, stamped with the page's real clock. */
export interface ChargeChange {
  readonly realMs: number;
  readonly state: string | null;
  readonly countdown: string | null;
}

interface Instruments {
  realDateNow(): number;
  realFrame(): Promise<void>;
  read(): ChargeSnapshot;
  changes: ChargeChange[];
  setHidden(hidden: boolean): void;
}

declare global {
  interface Window {
    __timeInstruments: Instruments;
  }
}

/** Runs in the page before anything else (serialised: no closures over this module). */
function installInstruments(): void {
  const realDateNow = Date.now.bind(Date);
  const realRaf = window.requestAnimationFrame.bind(window);
  // Selectors of the widget's public styling hooks (data-charge) and its countdown's class.
  const read = (): ChargeSnapshot => {
    const dialog = document.querySelector('dialog[open]');
    const section = dialog?.querySelector('section[data-charge]') ?? null;
    const time = dialog?.querySelector('time[datetime]') ?? null;
    return {
      dialogOpen: dialog !== null && dialog !== undefined,
      state: section?.getAttribute('data-charge') ?? null,
      countdown: section?.querySelector('.hc-charge__countdown')?.textContent ?? null,
      text: section?.querySelector('.hc-charge__text')?.textContent ?? null,
      whenIso: time?.getAttribute('datetime') ?? null,
      whenText: time?.textContent ?? null,
    };
  };
  const changes: ChargeChange[] = [];
  let last = '';
  const record = () => {
    const { state, countdown } = read();
    const key = `${state}|${countdown}`;
    if (key === last) return;
    last = key;
    changes.push({ realMs: realDateNow(), state, countdown });
  };
  // Observer callbacks run right after the DOM changes (a microtask), so the stamp is the commit.
  new MutationObserver(record).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['data-charge', 'open'],
  });
  let hidden = false;
  window.__timeInstruments = {
    realDateNow,
    realFrame: () => new Promise((resolve) => realRaf(() => resolve())),
    read,
    changes,
    // Headless Chromium keeps every page visible, so a hidden tab is emulated at the one place
    // the page can see it: document.visibilityState / hidden, and the event that announces it.
    setHidden(next) {
      hidden = next;
      for (const [key, get] of [
        ['visibilityState', () => (hidden ? 'hidden' : 'visible')],
        ['hidden', () => hidden],
      ] as const) {
        Object.defineProperty(document, key, { configurable: true, get });
      }
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    },
  };
}

export interface TimeDeviceOptions {
  readonly timezoneId: string;
  /** What the device's clock reads when the test starts, in epoch ms. */
  readonly deviceNowMs: number;
  /**
   * Paused: time moves only when the test moves it (exact, deterministic). Otherwise it flows in
   * real time from `deviceNowMs`, so round trips take real time.
   */
  readonly paused: boolean;
}

export type WakeEvent = 'visibilitychange' | 'pageshow' | 'focus';

export class TimeDevice {
  private inFlight = 0;
  /** What the page said and asked, for the message of a wait that timed out. */
  private readonly journal: string[] = [];
  /** Round trips of the appointment reads (the widget's clock samples), in ms, as Chromium timed them. */
  readonly roundTripsMs: number[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly paused: boolean,
  ) {
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) this.inFlight += 1;
    });
    const done = (request: { url(): string }) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) this.inFlight -= 1;
    };
    page.on('requestfinished', (request) => {
      done(request);
      if (request.method() === 'GET' && /^\/api\/appointments\/[^/]+$/.test(new URL(request.url()).pathname)) {
        this.roundTripsMs.push(Math.round(request.timing().responseEnd));
      }
    });
    page.on('requestfailed', (request) => {
      done(request);
      this.note(`request failed: ${request.method()} ${new URL(request.url()).pathname} (${request.failure()?.errorText ?? '?'})`);
    });
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (!pathname.startsWith('/api/') && response.status() < 400) return;
      const line = `${response.status()} ${response.request().method()} ${pathname}`;
      // What the proxy said the time and the charge were: the widget's two sources of truth.
      void response
        .json()
        .then((body: { serverNow?: string; charge?: { state?: string } }) =>
          this.note(`${line} serverNow=${body.serverNow ?? '-'} charge=${body.charge?.state ?? '-'}`),
        )
        .catch(() => this.note(line));
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') this.note(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.note(`page error: ${error.message}`));
  }

  private note(line: string): void {
    this.journal.push(line);
    if (this.journal.length > 40) this.journal.shift();
  }

  static async open(browser: Browser, options: TimeDeviceOptions): Promise<TimeDevice> {
    const context = await browser.newContext({
      timezoneId: options.timezoneId,
      locale: 'en-GB',
      viewport: { width: 800, height: 1000 },
    });
    // Before the clock: init scripts run in the order they were added.
    await context.addInitScript(installInstruments);
    // install() lets the clock flow; a paused device starts a little earlier and stops exactly at
    // deviceNowMs (pauseAt can only move forward).
    await context.clock.install({ time: options.paused ? options.deviceNowMs - 5000 : options.deviceNowMs });
    const page = await context.newPage();
    if (options.paused) await context.clock.pauseAt(options.deviceNowMs);
    return new TimeDevice(context, page, options.paused);
  }

  /** The device clock when paused (install time plus what the test moved it). */
  async deviceNow(): Promise<number> {
    return this.page.evaluate(() => Date.now());
  }

  /**
   * Lets work queued on the page's fake timers at the current instant run (react-query hands
   * results to components on a 0 ms timer) without moving the clock.
   */
  async pump(): Promise<void> {
    if (this.paused) await this.page.clock.runFor(0);
  }

  /** Resolves when no request to the proxy is in flight. */
  async quiet(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (this.inFlight > 0) {
      if (Date.now() > deadline) throw new Error('A request to the proxy never finished.');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async signIn(baseUrl: string, patientId: string): Promise<void> {
    await this.page.goto(`${baseUrl}demo/sign-in?patient=${patientId}`);
    await this.until(() => this.page.getByText('Signed in as').count().then((n) => n > 0), 'the portal signs in');
  }

  /** Polls `check`, pumping the paused clock between tries; never moves the clock. */
  async until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.\n${await this.describe()}`);
      await this.pump();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Opens the cancel dialog of the visit titled `title` and waits for its charge status. */
  async openDialog(title: string): Promise<void> {
    const card = this.page.getByRole('listitem').filter({ has: this.page.getByRole('heading', { name: title, exact: true }) });
    await this.until(() => card.count().then((n) => n === 1), `the visit "${title}" is listed`);
    await card.getByRole('button', { name: 'Cancel appointment' }).click();
    await this.until(async () => (await this.read()).state !== null, `the dialog for "${title}" shows its charge status`);
    await this.quiet();
    await this.pump();
  }

  async closeDialog(): Promise<void> {
    await this.page.getByRole('alertdialog').getByRole('button', { name: 'Keep appointment' }).click();
    await this.until(async () => !(await this.read()).dialogOpen, 'the dialog closes');
  }

  async read(): Promise<ChargeSnapshot> {
    return this.page.evaluate(() => window.__timeInstruments.read());
  }

  async changes(): Promise<ChargeChange[]> {
    return this.page.evaluate(() => window.__timeInstruments.changes.slice());
  }

  /**
   * The page comes back: visible again (after setHidden(true)), restored from the back/forward
   * cache, or focused. Returns what the page shows as soon as the event has been handled (same
   * task: nothing else has had a chance to run) and on the first real frame after it.
   */
  async wake(event: WakeEvent): Promise<{ atOnce: ChargeSnapshot; firstFrame: ChargeSnapshot }> {
    return this.page.evaluate(async (kind) => {
      const instruments = window.__timeInstruments;
      if (kind === 'visibilitychange') instruments.setHidden(false);
      else if (kind === 'pageshow') window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      else window.dispatchEvent(new FocusEvent('focus'));
      const atOnce = instruments.read();
      await instruments.realFrame();
      return { atOnce, firstFrame: instruments.read() };
    }, event);
  }

  /**
   * Moves the paused device clock forward to `deviceMs`, firing each timer that falls due once
   * (Playwright's pauseAt), after any request in flight has landed.
   */
  async jumpTo(deviceMs: number): Promise<void> {
    await this.quiet();
    await this.page.clock.pauseAt(deviceMs);
  }

  /**
   * Moves the truth and the paused page clock on together in steps (nothing in flight at each
   * step), firing the page's timers on time, then lets the last step's work land.
   */
  async advanceWith(truth: TruthClock, ms: number, stepMs = 1000): Promise<void> {
    for (let moved = 0; moved < ms; moved += stepMs) {
      const step = Math.min(stepMs, ms - moved);
      await this.quiet();
      truth.advance(step);
      await this.runFor(step);
    }
    await this.quiet();
    await this.pump();
  }

  /** Runs the paused device clock for `ms`, firing every timer on time (Playwright's runFor). */
  async runFor(ms: number): Promise<void> {
    await this.page.clock.runFor(ms);
  }

  async setHidden(hidden: boolean): Promise<void> {
    await this.page.evaluate((next) => window.__timeInstruments.setHidden(next), hidden);
  }

  /**
   * Moves the paused device clock on by `ms` *without running any timer*, as for a frozen
   * background tab. Playwright's public clock API cannot do this: runFor, fastForward and pauseAt
   * all fire the timers that fall due, which is exactly what a sleeping tab does not do. So this
   * reaches into Playwright's injected clock (playwright-core 1.65), and fails loudly if its shape
   * changed rather than letting the test pass without having slept.
   */
  async sleepWithoutTimers(ms: number): Promise<void> {
    await this.page.evaluate((by) => {
      const controller = (globalThis as { __pwClock?: { controller?: unknown } }).__pwClock?.controller as
        | { _advanceNow?: (to: number) => void; _now?: { ticks: number }; _realTime?: unknown }
        | undefined;
      if (typeof controller?._advanceNow !== 'function' || typeof controller._now?.ticks !== 'number') {
        throw new Error("Playwright's injected clock changed: sleepWithoutTimers needs updating.");
      }
      if (controller._realTime !== undefined) throw new Error('sleepWithoutTimers needs a paused clock.');
      controller._advanceNow(controller._now.ticks + by);
    }, ms);
  }

  /** The page's state and recent journal, so a failed wait or reading can be diagnosed from a CI log. */
  async describe(): Promise<string> {
    const page = await this.page
      .evaluate(() => ({
        snapshot: window.__timeInstruments.read(),
        dialog: (document.querySelector('dialog[open]') ?? document.querySelector('dialog'))?.outerHTML.slice(0, 1500) ?? '(no dialog element)',
        deviceNow: new Date(Date.now()).toISOString(),
      }))
      .catch((error: unknown) => ({ unreadable: String(error) }));
    return [`requests in flight: ${this.inFlight}`, JSON.stringify(page, null, 1), ...this.journal].join('\n');
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
