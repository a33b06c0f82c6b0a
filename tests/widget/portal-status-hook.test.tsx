/**
 * A portal's own `useCancellationStatus` for the visit the widget is cancelling (a status badge):
 * its reads must never be taken for the answer to the widget's cancel.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, CancelAppointmentProvider, useCancellationStatus } from '../../src/index';
import { advanceTimersForUserEvent, useFakeClock } from './support/fake-clock';
import { advanceInSteps, confirmButton } from './support/flow-helpers';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

function PortalBadge() {
  const status = useCancellationStatus('apt_alice_3d');
  return <p data-testid="badge">{status.data?.status ?? '…'}</p>;
}

/** The widget's button beside a portal's badge for the same visit, the badge read once. */
async function renderWithBadge() {
  useFakeClock();
  const user = userEvent.setup({ advanceTimers: advanceTimersForUserEvent });
  const harness = await createWidgetHarness();
  harness.render(
    <CancelAppointmentProvider apiBaseUrl="/api" fetch={harness.fetch}>
      <PortalBadge />
      <CancelAppointmentButton appointmentId="apt_alice_3d" />
    </CancelAppointmentProvider>,
  );
  await advanceInSteps(2_000, 500);
  expect(screen.getByTestId('badge').textContent).toBe('not_cancelled');
  return { user, harness };
}

it('a cancel whose answer is lost is confirmed, not told "not cancelled" from a portal read made while it was out', async () => {
  const { user, harness } = await renderWithBadge();
  await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByText(/Wound dressing/);
  await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
  // A gateway holds the cancel 3 s and answers 504; Heim carries it out a second later.
  harness.backend.simulator.setFault({ route: 'cancel', status: 504, latencyMs: 3_000, commitAfterMs: 1_000, times: 1 });
  await user.click(confirmButton(dialog));
  await advanceInSteps(10_000, 250);
  expect(harness.upstreamCancels('apt_alice_3d')).toBe(1);
  expect(harness.backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
  expect(dialog.textContent).not.toContain('was not cancelled');
  expect(within(dialog).getByRole('heading', { name: 'Your appointment is cancelled' })).toBeInTheDocument();
  expect(screen.getByTestId('badge').textContent).toBe('cancelled');
});

it("a portal's status badge reads cancelled once the widget's cancel is answered 200, without waiting for its own next read", async () => {
  const { user, harness } = await renderWithBadge();
  const statusReads = () => harness.requests.filter((request) => request.url.endsWith('/cancellation')).length;
  const readsBefore = statusReads();
  await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
  const dialog = screen.getByRole('alertdialog');
  await within(dialog).findByText(/Wound dressing/);
  await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
  await user.click(confirmButton(dialog));
  await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
  expect(screen.getByTestId('badge').textContent).toBe('cancelled');
  expect(statusReads()).toBe(readsBefore);
});
