/**
 * The proxy limits reads per patient (default 300 a minute, far above what a widget asks). Should a
 * patient meet it anyway (a portal polling the proxy itself, many tabs), the widget says it could
 * not load, without retrying at once (a 429 is not a retryable read failure) and without crashing,
 * and "Try again" loads once the window has passed.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelAppointmentButton, defaultMessages } from '../../src/index';
import { closeWidgetHarnesses, createWidgetHarness } from './support/widget-harness';

afterEach(async () => {
  await closeWidgetHarnesses();
});

describe('a read refused 429 rate_limited', () => {
  it('shows "couldn\'t load" with "Try again", sends no retries of its own, and loads once the window has passed', async () => {
    const user = userEvent.setup();
    // The proxy's clock is the test's to move: the window passes without anyone waiting for it.
    let laterMs = 0;
    const harness = await createWidgetHarness({ now: () => Date.now() + laterMs, proxy: { readRateLimit: { max: 1, windowMs: 60_000 } } });
    // The patient's one read of the window is spent elsewhere (another tab, say).
    expect((await harness.backend.fetch('/api/appointments/apt_alice_3d')).status).toBe(200);

    harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" fetch={harness.fetch} />);
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = screen.getByRole('alertdialog');
    await within(dialog).findByRole('heading', { name: defaultMessages.loadErrorTitle });
    expect(within(dialog).getByText(defaultMessages.loadErrorBody)).toBeInTheDocument();
    const reads = harness.requests.filter((request) => request.method === 'GET' && request.url.endsWith('/apt_alice_3d'));
    expect(reads).toHaveLength(1);

    laterMs = 60_000;
    await user.click(within(dialog).getByRole('button', { name: 'Try again' }));
    expect(await within(dialog).findByText('Wound dressing')).toBeInTheDocument();
  });
});
