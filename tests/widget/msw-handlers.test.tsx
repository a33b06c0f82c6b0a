/**
 * The MSW handlers Storybook uses (src/demo/msw-handlers.ts), here under msw/node: the widget with
 * no `fetch` prop calls the browser's own fetch at `/api/...`, as it does in a portal, and the same
 * handlers answer with the real proxy and simulator.
 */
import './support/node-realm';
import './support/dialog-shim';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bffHandlers } from '../../src/demo/msw-handlers';
import type { InMemoryBackend } from '../../src/demo/in-memory-backend';
import { CancelAppointmentButton } from '../../src/index';
import { createInMemoryBackend } from '../../src/demo/in-memory-backend';
import { TEST_HEIM_KEY, TEST_SESSION_SECRET } from '../support/backend';

let backend: InMemoryBackend | undefined;
const server = setupServer(...bffHandlers(() => backend));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  backend = undefined;
});
afterAll(() => server.close());

describe('the shared MSW handlers', () => {
  it('serve the widget through its default fetch, with one upstream cancel', async () => {
    backend = await createInMemoryBackend({
      heimApiKey: TEST_HEIM_KEY,
      sessionSecret: TEST_SESSION_SECRET,
      portalOrigin: window.location.origin,
    });
    const user = userEvent.setup();
    render(<CancelAppointmentButton appointmentId="apt_alice_3d" />);
    await user.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    const dialog = within(await screen.findByRole('alertdialog'));
    await user.click(await dialog.findByRole('radio', { name: 'I no longer need this visit' }));
    await user.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    expect(await dialog.findByRole('heading', { name: 'Your appointment is cancelled' })).toBeInTheDocument();

    const posts = backend.simulator.ledger.filter((entry) => entry.method === 'POST');
    expect(posts.map((entry) => entry.path)).toEqual(['/v1/appointments/apt_alice_3d/cancel']);
    expect(JSON.parse(posts[0]!.body)).toMatchObject({ cancellingEntity: 'patient', reasonCode: 'no_longer_required' });
  });
});
