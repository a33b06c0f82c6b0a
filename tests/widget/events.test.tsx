/**
 * `onEvent`, the analytics callback: the steps it reports, in order, against the real proxy and
 * simulator; that `cancelled` comes once, like `onCancelled`; that failures carry the error code;
 * and that no event ever carries the note or anything about the patient or the visit.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton } from '../../src/index';
import type { CancelAppointmentEvent } from '../../src/index';
import { useFakeClock } from './support/fake-clock';
import { advanceInSteps, confirmButton, openForm } from './support/flow-helpers';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await closeWidgetHarnesses();
});

const SUCCESS = 'Your appointment is cancelled';
const ALLOWED_KEYS = new Set(['type', 'appointmentId', 'reasonCode', 'chargeState', 'errorCode']);

function recorder() {
  const events: CancelAppointmentEvent[] = [];
  const onEvent = vi.fn((event: CancelAppointmentEvent) => {
    events.push(event);
  });
  return { events, onEvent };
}

/** The events as plain data, so `toEqual` also fails on a key that should not be there. */
const plain = (events: readonly CancelAppointmentEvent[]) => events.map((event) => ({ ...event }));

describe('onEvent', () => {
  it('reports a whole cancellation as opened, reason_chosen (each change), submitted, cancelled', async () => {
    const { events, onEvent } = recorder();
    const onCancelled = vi.fn();
    const { user, dialog, trigger } = await openForm({ onCancelled, props: { onEvent } });
    // Keep, then open again: a second `opened`, now knowing the charge state from the first read.
    await user.click(within(dialog).getByRole('button', { name: 'Keep appointment' }));
    await user.click(trigger);
    await within(dialog).findByRole('radio', { name: "I'm unwell" });
    await user.click(within(dialog).getByRole('radio', { name: 'I need a different date or time' }));
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // Clicking the chosen reason again changes nothing, so it reports nothing.
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.type(within(dialog).getByRole('textbox'), 'Feeling rough');
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: SUCCESS });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    const base = { appointmentId: 'apt_alice_3d' };
    expect(plain(events)).toEqual([
      { type: 'opened', ...base, reasonCode: null, chargeState: null },
      { type: 'opened', ...base, reasonCode: null, chargeState: 'free' },
      { type: 'reason_chosen', ...base, reasonCode: 'patient_requested_reschedule', chargeState: 'free' },
      { type: 'reason_chosen', ...base, reasonCode: 'patient_unwell', chargeState: 'free' },
      { type: 'submitted', ...base, reasonCode: 'patient_unwell', chargeState: 'free' },
      { type: 'cancelled', ...base, reasonCode: 'patient_unwell', chargeState: 'free' },
    ]);
    expect(onCancelled).toHaveBeenCalledTimes(1);
  });

  it('reports a failed request with the proxy\'s code or network_error, then the retry and the cancellation', async () => {
    const { events, onEvent } = recorder();
    const { user, harness, dialog } = await openForm({ props: { onEvent } });
    await user.click(within(dialog).getByRole('radio', { name: 'I no longer need this visit' }));
    // Heim fails: the proxy answers 502 upstream_error.
    harness.backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    await user.click(confirmButton(dialog));
    const firstAlert = await within(dialog).findByRole('alert');
    // The retry gets no answer at all: it never reaches the proxy.
    harness.loseNetwork({ urlEndsWith: '/cancel', reachesProxy: false });
    await user.click(within(firstAlert).getByRole('button', { name: 'Try again' }));
    await vi.waitFor(() => expect(events.filter((event) => event.type === 'failed')).toHaveLength(2));
    await user.click(within(await within(dialog).findByRole('alert')).getByRole('button', { name: 'Try again' }));
    await within(dialog).findByRole('heading', { name: SUCCESS });

    const steps = { appointmentId: 'apt_alice_3d', reasonCode: 'no_longer_required', chargeState: 'free' } as const;
    expect(plain(events).slice(1)).toEqual([
      { type: 'reason_chosen', ...steps },
      { type: 'submitted', ...steps },
      { type: 'failed', ...steps, errorCode: 'upstream_error' },
      { type: 'submitted', ...steps },
      { type: 'failed', ...steps, errorCode: 'network_error' },
      { type: 'submitted', ...steps },
      { type: 'cancelled', ...steps },
    ]);
    // Heim heard the failed POST and the last one; the lost request never left the browser.
    const upstream = harness.backend.simulator.ledger.filter((entry) => entry.method === 'POST');
    expect(upstream.map((entry) => entry.status)).toEqual([500, 200]);
  });

  it('a pending confirmation is not a failure: cancelled comes once, when Heim confirms', async () => {
    useFakeClock();
    const { events, onEvent } = recorder();
    const { user, harness, dialog } = await openForm({ props: { onEvent } });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    // Heim cancels, but a gateway answers 504 and its cancellation read keeps failing for now:
    // the proxy answers 202 and every poll says "still pending".
    const sim = harness.backend.simulator;
    sim.setFault({ route: 'cancel', status: 504, commit: true, times: 1 });
    sim.setFault({ route: 'cancellation', status: 500 });
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: "We're confirming your cancellation" });
    await advanceInSteps(2_500);
    expect(events.map((event) => event.type)).toEqual(['opened', 'reason_chosen', 'submitted']);

    sim.clearFaults();
    await advanceInSteps(4_500);
    await within(dialog).findByRole('heading', { name: SUCCESS });
    await advanceInSteps(5_000);
    expect(events.map((event) => event.type)).toEqual(['opened', 'reason_chosen', 'submitted', 'cancelled']);
    expect(events.at(-1)).toMatchObject({ reasonCode: 'patient_unwell', chargeState: 'free' });
  });

  it('never carries the note, the patient, the address or the service; only the allowed keys', async () => {
    const { events, onEvent } = recorder();
    // 5 hours away: chargeable, so the acknowledgement is asked for; "Another reason" needs a note.
    const { user, harness, dialog } = await openForm({ appointmentId: 'apt_alice_5h', props: { onEvent } });
    const note = 'Secret note: my neighbour Zebedee will be in';
    await user.click(within(dialog).getByRole('radio', { name: 'Another reason (please tell us more)' }));
    await user.type(within(dialog).getByRole('textbox'), note);
    await user.click(within(dialog).getByRole('checkbox', { name: 'I understand I may be charged for cancelling now' }));
    harness.backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    await user.click(confirmButton(dialog));
    await user.click(within(await within(dialog).findByRole('alert')).getByRole('button', { name: 'Try again' }));
    await within(dialog).findByRole('heading', { name: SUCCESS });

    expect(events.map((event) => event.type)).toEqual([
      'opened',
      'reason_chosen',
      'submitted',
      'failed',
      'submitted',
      'cancelled',
    ]);
    expect(events.slice(1).every((event) => event.chargeState === 'chargeable')).toBe(true);
    // What the patient typed and what Heim holds about them and the visit (src/simulator/seed.ts).
    const appointment = harness.backend.simulator.getAppointment('apt_alice_5h');
    const forbidden = [
      note,
      'Zebedee',
      'Alice',
      'Morgan',
      'p_demo_alice',
      'Larkspur',
      'Bristol',
      'BS7 9QX',
      'INR blood test',
      appointment?.estimatedTimeOfArrival ?? 'no ETA',
    ];
    const serialised = JSON.stringify(events);
    for (const text of forbidden) expect(serialised).not.toContain(text);
    for (const event of events) {
      for (const key of Object.keys(event)) expect(ALLOWED_KEYS).toContain(key);
      expect('errorCode' in event).toBe(event.type === 'failed');
    }
  });

  it('a throwing onEvent breaks nothing, is logged once, and StrictMode reports opened once', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const types: string[] = [];
    const onEvent = vi.fn((event: CancelAppointmentEvent) => {
      types.push(event.type);
      throw new Error('analytics is down');
    });
    const onCancelled = vi.fn();
    const user = userEvent.setup();
    const harness = await createWidgetHarness();
    harness.render(
      <StrictMode>
        <CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} onEvent={onEvent} onCancelled={onCancelled} />
      </StrictMode>,
    );
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(await within(dialog).findByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: SUCCESS });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    expect(types).toEqual(['opened', 'reason_chosen', 'submitted', 'cancelled']);
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(harness.upstreamCancels()).toBe(1);
    const fromWidget = consoleError.mock.calls.filter((call) => String(call[0]).startsWith('heim-cancel: onEvent threw'));
    expect(fromWidget).toHaveLength(1);
  });
});
