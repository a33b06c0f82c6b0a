/**
 * Focus when what had it goes away by itself (session-11 reviews): one move, to the nearest part
 * of the dialog still there that takes focus, else "Keep appointment"; none when the patient had
 * moved focus away themselves. And the acknowledgement: a box that goes takes its tick and its
 * problem with it.
 */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { CancelAppointmentButton } from '../../src/index';
import { advance, advanceTimersForUserEvent, useFakeClock } from './support/fake-clock';
import { advanceInSteps, confirmButton, openForm } from './support/flow-helpers';
import { aliceAppointment, closeWidgetHarnesses, createWidgetHarness, TIME } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

function describeElement(target: EventTarget | null): string {
  if (!(target instanceof HTMLElement)) return String(target);
  return `${target.tagName.toLowerCase()}:${(target.textContent ?? '').trim().slice(0, 40)}`;
}

/** Every focus move from now on, in order. */
function recordFocusMoves() {
  const moves: string[] = [];
  const record = (event: FocusEvent) => moves.push(describeElement(event.target));
  document.addEventListener('focusin', record, true);
  return { moves, stop: () => document.removeEventListener('focusin', record, true) };
}

const moveEta = (harness: Awaited<ReturnType<typeof createWidgetHarness>>, id: string, fromNowMs: number) =>
  harness.backend.simulator.moveEta(id, new Date(Date.now() + fromNowMs).toISOString());

it('a successful cancel moves focus once, to the confirmation heading (never by way of "Close")', async () => {
  const { user, dialog } = await openForm();
  await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
  confirmButton(dialog).focus();
  const focus = recordFocusMoves();
  await user.keyboard('{Enter}');
  await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
  await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
  focus.stop();
  expect(focus.moves).toEqual(['h2:Your appointment is cancelled']);
});

it('the seconds toggle going with the countdown (the visit is due) moves focus once, to the charge section', async () => {
  useFakeClock();
  const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
  const harness = await createWidgetHarness();
  harness.backend.simulator.addAppointment(aliceAppointment('apt_toggle', 30 * TIME.MINUTE));
  harness.render(<CancelAppointmentButton appointmentId="apt_toggle" fetch={harness.fetch} />);
  await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByRole('group', { name: 'Why are you cancelling?' });
  within(dialog).getByRole('button', { name: 'Hide seconds' }).focus();
  moveEta(harness, 'apt_toggle', 20_000);
  await act(() => harness.queryClient.invalidateQueries());
  const focus = recordFocusMoves();
  for (let step = 0; step < 6 && dialog.getAttribute('data-charge') !== 'due'; step += 1) await advance(10_000);
  focus.stop();
  expect(dialog).toHaveAttribute('data-charge', 'due');
  expect(focus.moves).toHaveLength(1);
  expect(focus.moves[0]).toMatch(/^section:/);
  expect(document.activeElement?.tagName).toBe('SECTION');
});

it('a focused summary link whose problem goes (the window moved out) leaves focus on the summary, still there', async () => {
  useFakeClock();
  const { user, harness, dialog } = await openForm({ appointmentId: 'apt_alice_5h' });
  await user.click(confirmButton(dialog)); // no reason, no tick: two problems
  within(dialog).getByRole('link', { name: /Tick the box/ }).focus();
  moveEta(harness, 'apt_alice_5h', 72 * TIME.HOUR);
  await advanceInSteps(31_000, 1_000);
  const summary = within(dialog).getByRole('alert', { name: /There is a problem/ });
  expect(within(summary).queryByRole('link', { name: /Tick the box/ })).toBeNull();
  expect(within(summary).getByRole('link', { name: /Choose why you are cancelling/ })).toBeInTheDocument();
  expect(summary).toHaveFocus();
});

it('does not take focus back when the patient had moved it off the element that later goes', async () => {
  useFakeClock();
  const { user, harness, dialog } = await openForm({ appointmentId: 'apt_alice_5h' });
  await user.click(within(dialog).getByRole('checkbox'));
  // What a click on plain text does in an engine that puts focus on the body.
  (document.activeElement as HTMLElement).blur();
  expect(document.activeElement).toBe(document.body);
  moveEta(harness, 'apt_alice_5h', 72 * TIME.HOUR);
  await advanceInSteps(31_000, 1_000);
  expect(within(dialog).queryByRole('checkbox')).toBeNull();
  expect(document.activeElement).toBe(document.body);
});

it('a tick does not come back with the box: the window opening again is asked about afresh', async () => {
  useFakeClock();
  const { user, harness, dialog } = await openForm({ appointmentId: 'apt_alice_5h' });
  await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
  await user.click(within(dialog).getByRole('checkbox'));
  moveEta(harness, 'apt_alice_5h', 72 * TIME.HOUR);
  await advanceInSteps(31_000, 1_000);
  expect(within(dialog).queryByRole('checkbox')).toBeNull();
  moveEta(harness, 'apt_alice_5h', 3 * TIME.HOUR);
  await advanceInSteps(31_000, 1_000);
  expect(within(dialog).getByRole('checkbox')).not.toBeChecked();
  // Confirming now is refused in the browser: nothing is sent without a new tick.
  await user.click(confirmButton(dialog));
  expect(await within(dialog).findByRole('alert', { name: /There is a problem/ })).toHaveTextContent(/Tick the box/);
  expect(harness.cancelRequests()).toHaveLength(0);
});

it('a problem asked about before the box went does not come back stale with it', async () => {
  useFakeClock();
  const { user, harness, dialog } = await openForm({ appointmentId: 'apt_alice_5h' });
  await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
  await user.click(confirmButton(dialog));
  expect(within(dialog).getByRole('alert', { name: /There is a problem/ })).toHaveTextContent(/Tick the box/);
  moveEta(harness, 'apt_alice_5h', 72 * TIME.HOUR);
  await advanceInSteps(31_000, 1_000);
  moveEta(harness, 'apt_alice_5h', 3 * TIME.HOUR);
  await advanceInSteps(31_000, 1_000);
  const box = within(dialog).getByRole('checkbox');
  expect(box).not.toHaveAttribute('aria-invalid', 'true');
  expect(within(dialog).queryByRole('alert', { name: /There is a problem/ })).toBeNull();
  expect(dialog).not.toHaveTextContent(/Tick the box/);
});
