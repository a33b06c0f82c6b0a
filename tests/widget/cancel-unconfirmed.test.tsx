/**
 * Requests whose answer never reached the browser: the widget cannot know what happened, says so,
 * and finds out by sending the SAME request again (same Idempotency-Key), which never cancels twice.
 */
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cancelAppointmentKeys, defaultMessages } from '../../src/index';
import { cancelAtHeimAsOrganisation, confirmButton, idempotencyKeys, openForm } from './support/flow-helpers';
import { closeWidgetHarnesses, type WidgetHarness } from './support/widget-harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeWidgetHarnesses();
});

/** Someone else (the organisation) cancels straight at Heim. */

const CANNOT_SAY_NOT_CANCELLED = /not been cancelled|was not cancelled|wasn't cancelled/;

describe('unconfirmed requests', () => {
  it('network error: says it could not confirm and that trying again is safe, never "not cancelled"', async () => {
    const { user, harness, dialog } = await openForm();
    harness.loseNetwork({ urlEndsWith: '/cancel', reachesProxy: false });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(defaultMessages.networkError);
    expect(alert).toHaveTextContent(/can't confirm/);
    expect(alert).toHaveTextContent(/never be cancelled twice/);
    expect(alert).not.toHaveTextContent(CANNOT_SAY_NOT_CANCELLED);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    const keys = idempotencyKeys(harness);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('"Try again" keeps its notice while it sends, keeps focus, and a second failure is spoken again', async () => {
    const { user, harness, dialog } = await openForm();
    harness.loseNetwork({ urlEndsWith: '/cancel', reachesProxy: false, times: 2 });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    const alert = await within(dialog).findByRole('alert');
    const firstNotice = alert.querySelector('p');
    expect(firstNotice).toHaveTextContent(defaultMessages.networkError);

    // Every text the alert holds from here on: an alert speaks each change.
    const spoken: string[] = [];
    const observer = new MutationObserver(() => spoken.push(alert.textContent ?? ''));
    observer.observe(alert, { childList: true, subtree: true, characterData: true });
    const tryAgain = within(alert).getByRole('button', { name: 'Try again' });
    await user.click(tryAgain);
    await vi.waitFor(() => expect(harness.cancelRequests()).toHaveLength(2));
    await vi.waitFor(() => expect(alert.querySelector('p')).not.toBe(firstNotice));
    observer.disconnect();

    // Never "couldn't confirm your last attempt" mid-send; the same failure again is a new node,
    // so a screen reader says it again rather than staying silent.
    expect(spoken.length).toBeGreaterThan(0);
    expect(spoken.every((text) => text.startsWith(defaultMessages.networkError))).toBe(true);
    expect(alert.querySelector('p')).toHaveTextContent(defaultMessages.networkError);
    expect(tryAgain).toHaveFocus();

    await user.click(tryAgain);
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });
    expect(new Set(idempotencyKeys(harness)).size).toBe(1);
  });

  it('"Try again" answered "charges may now apply": focus goes to "Keep appointment", not the page\'s body', async () => {
    // Found by the model-based test (model.test.tsx): the focused "Try again" left with the notice
    // it belongs to, since the new notice (tick the box) offers none.
    const { user, harness, dialog } = await openForm();
    harness.loseNetwork({ urlEndsWith: '/cancel', reachesProxy: false });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    const alert = await within(dialog).findByRole('alert');
    // Meanwhile Heim moved the visit to two hours from now: the same answers need the acknowledgement.
    harness.backend.simulator.moveEta('apt_alice_3d', new Date(Date.now() + 2 * 3_600_000).toISOString());
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    await vi.waitFor(() => expect(within(dialog).getByRole('alert')).toHaveTextContent(defaultMessages.acknowledgementNowRequired));
    expect(within(dialog).queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(document.activeElement).not.toBe(document.body);
    expect(within(dialog).getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
    expect(harness.upstreamCancels()).toBe(0);
  });

  it('upstream failure: the copy says it could not confirm, never "not cancelled"', async () => {
    const { user, harness, dialog } = await openForm();
    harness.backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(defaultMessages.upstreamError);
    expect(alert).toHaveTextContent(/can't confirm/);
    expect(alert).not.toHaveTextContent(CANNOT_SAY_NOT_CANCELLED);
  });

  it('answer lost after the proxy cancelled: asks again with the same key and reports success, not "already cancelled"', async () => {
    const onCancelled = vi.fn();
    const { user, harness, dialog } = await openForm({ onCancelled });
    harness.loseNetwork({ urlEndsWith: '/cancel', reachesProxy: true });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));

    expect(await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' })).toHaveFocus();
    expect(within(dialog).queryByText('This appointment is already cancelled')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onCancelled).toHaveBeenCalledTimes(1);
    expect(onCancelled).toHaveBeenCalledWith(
      expect.objectContaining({
        appointmentId: 'apt_alice_3d',
        cancellation: expect.objectContaining({ reasonCode: 'patient_unwell', cancellingEntity: 'patient' }),
      }),
    );
    const keys = idempotencyKeys(harness);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('someone else cancelled while our request went unanswered: the same key is sent again, then "already cancelled"', async () => {
    const onCancelled = vi.fn();
    const { user, harness, dialog } = await openForm({ onCancelled });
    harness.loseNetwork({ urlEndsWith: '/cancel', reachesProxy: false });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('alert');

    await cancelAtHeimAsOrganisation(harness, 'apt_alice_3d');
    // The appointment is read again (as every 30 s, or on focus) and now shows cancelled.
    await act(() =>
      harness.queryClient.invalidateQueries({ queryKey: cancelAppointmentKeys.appointment('apt_alice_3d'), exact: true }),
    );

    expect(await within(dialog).findByRole('heading', { name: 'This appointment is already cancelled' })).toHaveFocus();
    expect(dialog).toHaveTextContent('Reason: Cancelled by the organisation.');
    const keys = idempotencyKeys(harness);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(onCancelled).not.toHaveBeenCalled();
    expect(harness.upstreamCancels()).toBe(1);
  });

  it('closing after a lost answer and reopening: the answers come back and confirming sends the SAME key', async () => {
    const { user, harness, dialog, trigger } = await openForm();
    harness.loseNetwork({ urlEndsWith: '/cancel', reachesProxy: false });
    await user.click(within(dialog).getByRole('radio', { name: 'I no longer need this visit' }));
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('alert');
    await user.click(within(dialog).getByRole('button', { name: 'Keep appointment' }));
    expect(dialog).not.toHaveAttribute('open');

    await user.click(trigger);
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(defaultMessages.unconfirmedNotice);
    expect(within(dialog).getByRole('radio', { name: 'I no longer need this visit' })).toBeChecked();
    await user.click(confirmButton(dialog));
    await within(dialog).findByRole('heading', { name: 'Your appointment is cancelled' });

    const keys = idempotencyKeys(harness);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(harness.upstreamCancels()).toBe(1);
    expect(screen.queryByText(/already cancelled/)).not.toBeInTheDocument();
  });

  it('session expired after an unanswered request: does not claim nothing was cancelled', async () => {
    const { user, harness, dialog } = await openForm();
    harness.loseNetwork({ urlEndsWith: '/cancel', reachesProxy: false });
    await user.click(within(dialog).getByRole('radio', { name: "I'm unwell" }));
    await user.click(confirmButton(dialog));
    const alert = await within(dialog).findByRole('alert');
    harness.backend.signOut();
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await within(dialog).findByRole('heading', { name: 'Your session has expired' })).toHaveFocus();
    expect(dialog).toHaveTextContent(defaultMessages.sessionExpiredBodyUnconfirmed);
    expect(dialog).not.toHaveTextContent(CANNOT_SAY_NOT_CANCELLED);
  });
});
