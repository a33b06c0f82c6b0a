/** Shared steps of the cancel-flow tests: open the dialog on a loaded form, find the confirm, read keys. */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CancelAppointmentButton } from '../../../src/index';
import type { CancelAppointmentButtonProps, CancelledResult } from '../../../src/index';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, type TestBackendOptions } from '../../support/backend';
import { advance, advanceTimersForUserEvent } from './fake-clock';
import { createWidgetHarness, type WidgetHarness } from './widget-harness';

export interface OpenOptions {
  readonly appointmentId?: string;
  readonly now?: () => number;
  readonly onCancelled?: (result: CancelledResult) => void;
  readonly onReschedule?: (appointmentId: string) => void;
  /** More options for the backend (seed, proxy configuration). */
  readonly backend?: TestBackendOptions;
  /** More props for the button (noteMaxLength, queryClient...). */
  readonly props?: Partial<CancelAppointmentButtonProps>;
}

export async function openForm({
  appointmentId = 'apt_alice_3d',
  now,
  onCancelled,
  onReschedule,
  backend = {},
  props = {},
}: OpenOptions = {}) {
  const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
  const harness = await createWidgetHarness({ ...backend, ...(now === undefined ? {} : { now }) });
  harness.render(
    <CancelAppointmentButton
      appointmentId={appointmentId}
      fetch={harness.fetch}
      {...props}
      {...(onCancelled ? { onCancelled } : {})}
      {...(onReschedule ? { onReschedule } : {})}
    />,
  );
  const trigger = screen.getByRole('button', { name: 'Cancel appointment' });
  await user.click(trigger);
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByText(/Wound dressing|INR blood test|Blood pressure check|ECG at home/);
  return { user, harness, dialog, trigger };
}

/**
 * Sends "I'm unwell" so that Heim cancels but its answer is lost (a gateway's 504) and its
 * cancellation read keeps failing until `clearFaults()`: the dialog waits on the pending panel.
 */
export async function sendLostCancel(
  { user, harness, dialog }: { user: ReturnType<typeof userEvent.setup>; harness: WidgetHarness; dialog: HTMLElement },
): Promise<void> {
  await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
  harness.backend.simulator.setFault({ route: 'cancel', status: 504, commit: true, times: 1 });
  harness.backend.simulator.setFault({ route: 'cancellation', status: 500 });
  await user.click(confirmButton(dialog));
  await within(dialog).findByRole('heading', { name: "We're confirming your cancellation" });
}

export function confirmButton(dialog: HTMLElement) {
  return within(dialog).getByRole('button', { name: /^(Cancel appointment|Cancelling…)$/ });
}

/**
 * Fake time in small steps: the in-process proxy verifies sessions with WebCrypto, which settles
 * on real time, so one big jump would fire several poll timers while a request is still running.
 */
export async function advanceInSteps(totalMs: number, stepMs = 500): Promise<void> {
  for (let elapsed = 0; elapsed < totalMs; elapsed += stepMs) {
    await advance(Math.min(stepMs, totalMs - elapsed));
    // Let real-time work (WebCrypto) finish before the next timer fires.
    await act(() => new Promise((resolve) => setImmediate(resolve)));
  }
}

export function idempotencyKeys(harness: WidgetHarness): string[] {
  return harness.cancelRequests().map((request) => request.headers.get('Idempotency-Key') ?? '');
}

/** The widget's polls of the cancellation status so far. */
export function cancellationPolls(harness: WidgetHarness) {
  return harness.requests.filter((request) => request.url.endsWith('/cancellation'));
}

/** Someone else (the organisation, another system) cancels straight at Heim, behind the widget's back. */
export async function cancelAtHeimAsOrganisation(harness: WidgetHarness, appointmentId: string): Promise<void> {
  await harness.backend.simulator.fetch(
    new Request(`${TEST_HEIM_BASE_URL}/appointments/${appointmentId}/cancel`, {
      method: 'POST',
      headers: { authorization: TEST_HEIM_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        note: 'Cancelled by the organisation.',
        causingEntity: 'organisation',
        cancellingEntity: 'organisation',
        reasonCode: 'organisation_cancelled',
      }),
    }),
  );
}
