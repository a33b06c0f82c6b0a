/**
 * The page `npm run bench:ui` drives in Chromium: a bare native <dialog> opened by a plain click
 * handler (the baseline), a static copy of the widget's open dialog opened the same way (what the
 * platform alone takes to show that content), and the widget on real appointments behind the real
 * proxy. It records, in page time, each pointerdown and each focus that lands in a dialog, and the
 * React commits under the tick Profiler; scripts/bench-ui.ts reads `window.bench`.
 */
import { commits } from './devtools-hook';
// What portals ship with the widget: its stylesheet is part of what opening lays out.
import '../../src/widget/styles.css';
import { Profiler, type ProfilerOnRenderCallback } from 'react';
import { createRoot } from 'react-dom/client';
import { CancelAppointmentButton, CancelAppointmentProvider } from '../../src/index';

interface ProfilerRecord {
  readonly phase: string;
  readonly actualDuration: number;
  readonly baseDuration: number;
  readonly at: number;
}

const params = new URLSearchParams(location.search);
const ids = {
  open: params.get('open') ?? '',
  tick: params.get('tick') ?? '',
  submit: (params.get('submit') ?? '').split(',').filter(Boolean),
};

const bench = {
  downAt: 0,
  focusAt: 0,
  focusTarget: '',
  /** When set, only focus on a heading counts (the success panel's), not the dialog's first focus. */
  headingOnly: false,
  commits,
  profiles: [] as ProfilerRecord[],
  makeStaticCopy,
  reset() {
    bench.downAt = 0;
    bench.focusAt = 0;
    bench.focusTarget = '';
    bench.headingOnly = false;
  },
};
(window as unknown as { bench: typeof bench }).bench = bench;

// Capture phase, so nothing the page does can stop them; event.timeStamp is the input's own time.
document.addEventListener('pointerdown', (event) => (bench.downAt = event.timeStamp), true);
document.addEventListener(
  'focusin',
  (event) => {
    const target = event.target as HTMLElement;
    if (target.closest('dialog') === null || bench.focusAt !== 0) return;
    if (bench.headingOnly && !/^H[1-6]$/.test(target.tagName)) return;
    bench.focusAt = performance.now();
    bench.focusTarget = target.textContent ?? '';
  },
  true,
);

// The baseline: nothing but the platform.
const bareTrigger = document.getElementById('bare-trigger') as HTMLButtonElement;
const bare = document.getElementById('bare') as HTMLDialogElement;
bareTrigger.addEventListener('click', () => bare.showModal());

/**
 * The widget's open dialog cloned as static HTML (with its stylesheet, ids and all), opened by a
 * plain click handler with focus landing where the widget's does ("Keep appointment", marked
 * `autofocus` as the widget marks it for showModal()): the share of the widget's opening that is
 * the browser styling that content and focusing in it, with no React at all.
 */
function makeStaticCopy(): void {
  const open = document.querySelector('#open-bench dialog[open]');
  if (!(open instanceof HTMLDialogElement)) throw new Error('makeStaticCopy: open the widget first');
  const copy = open.cloneNode(true) as HTMLDialogElement;
  copy.removeAttribute('open');
  copy.id = 'static-copy';
  document.body.append(copy);
  const focusTarget = [...copy.querySelectorAll('button')].find((button) => button.textContent === 'Keep appointment');
  if (focusTarget === undefined) throw new Error('makeStaticCopy: no "Keep appointment" button in the copy');
  focusTarget.setAttribute('autofocus', '');
  const trigger = document.getElementById('static-trigger') as HTMLButtonElement;
  // Escape closes it as it closes the bare one.
  trigger.addEventListener('click', () => copy.showModal());
}

const onRender: ProfilerOnRenderCallback = (_id, phase, actualDuration, baseDuration) => {
  bench.profiles.push({ phase, actualDuration, baseDuration, at: performance.now() });
};

createRoot(document.getElementById('root') as HTMLElement).render(
    <CancelAppointmentProvider apiBaseUrl="/api">
      <p id="open-bench">
        <CancelAppointmentButton appointmentId={ids.open} />
      </p>
      <div id="tick-bench">
        <Profiler id="tick" onRender={onRender}>
          <CancelAppointmentButton appointmentId={ids.tick} />
        </Profiler>
      </div>
      <ul>
        {ids.submit.map((id) => (
          <li key={id} id={`submit-${id}`}>
            <CancelAppointmentButton appointmentId={id} />
          </li>
        ))}
      </ul>
    </CancelAppointmentProvider>
,
);
