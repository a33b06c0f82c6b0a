/**
 * A wrong `apiBaseUrl` (or a proxy mounted elsewhere) gets the portal's own answer, typically an
 * HTML 404 page. The patient still sees "We couldn't load your appointment"; the developer now
 * gets one console line naming the URL, the status and the content type, and what to check.
 * Before, nothing said the answer had not come from the proxy at all.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelAppointmentButton, createCancelApiClient, defaultMessages } from '../../src/index';
import { closeWidgetHarnesses, createWidgetHarness, type WidgetHarness } from './support/widget-harness';

afterEach(async () => {
  vi.restoreAllMocks();
  await closeWidgetHarnesses();
});

/**
 * The portal's server in front of the proxy: `/api/…` reaches the proxy, anything else gets the
 * HTML 404 page Express answers for a path it does not know.
 */
function portalFetch(harness: WidgetHarness): typeof fetch {
  return async (input, init) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    if (path.startsWith('/api/')) return harness.fetch(input, init);
    return new Response(`<!DOCTYPE html><html><body><pre>Cannot ${init?.method ?? 'GET'} ${path}</pre></body></html>`, {
      status: 404,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  };
}

const consoleErrors = () => vi.spyOn(console, 'error').mockImplementation(() => undefined);

describe('an answer that is not the proxy’s', () => {
  it('keeps the patient’s message and tells the developer once, naming the URL, status and content type', async () => {
    const errors = consoleErrors();
    const harness = await createWidgetHarness();
    const user = userEvent.setup();
    harness.render(<CancelAppointmentButton appointmentId="apt_alice_3d" apiBaseUrl="/portal/api" fetch={portalFetch(harness)} />);
    await user.click(screen.getByRole('button', { name: defaultMessages.trigger }));
    const dialog = screen.getByRole('alertdialog');
    await within(dialog).findByText(defaultMessages.loadErrorTitle);
    expect(within(dialog).getByText(defaultMessages.loadErrorBody)).toBeInTheDocument();

    const lines = errors.mock.calls.map((call) => String(call[0])).filter((line) => line.startsWith('heim-cancel:'));
    expect(lines).toEqual([
      'heim-cancel: GET /portal/api/appointments/apt_alice_3d answered 404 (text/html; charset=utf-8): not JSON, not the proxy\'s. Check apiBaseUrl ("/portal/api") and where the proxy is mounted.',
    ]);
  });

  it('says each distinct problem once, however often it recurs, and nothing for the proxy’s own refusals', async () => {
    const errors = consoleErrors();
    const harness = await createWidgetHarness();
    const wrong = createCancelApiClient({ apiBaseUrl: '/wrong', fetch: portalFetch(harness) });
    for (const id of ['apt_alice_3d', 'apt_alice_5h', 'apt_alice_3d']) {
      await expect(wrong.getAppointment(id)).rejects.toMatchObject({ code: 'invalid_response', status: 404 });
    }
    await expect(wrong.getCancellation('apt_alice_3d')).rejects.toMatchObject({ code: 'invalid_response' });
    expect(errors).toHaveBeenCalledTimes(1);

    // A POST to the same wrong place is another problem: said once more.
    await expect(wrong.cancel('apt_alice_3d', { reasonCode: 'patient_unwell' }, 'key_wrong_base_1')).rejects.toMatchObject({ code: 'invalid_response' });
    expect(errors).toHaveBeenCalledTimes(2);
    expect(String(errors.mock.calls[1]![0])).toContain('POST /wrong/appointments/apt_alice_3d/cancel answered 404 (text/html; charset=utf-8)');

    // JSON in another shape (some other JSON API at that path): named as such.
    const otherJson = createCancelApiClient({
      apiBaseUrl: '/other',
      fetch: async () => Response.json({ status: 'ok', version: 3 }),
    });
    await expect(otherJson.getAppointment('apt_alice_3d')).rejects.toMatchObject({ code: 'invalid_response', status: 200 });
    expect(errors).toHaveBeenCalledTimes(3);
    expect(String(errors.mock.calls[2]![0])).toMatch(/^heim-cancel: GET \/other\/appointments\/apt_alice_3d answered 200 \(application\/json\): JSON outside the contract, not the proxy's.*apiBaseUrl \("\/other"\)/);

    // The proxy's own answers, errors included, are not a set-up problem.
    const right = createCancelApiClient({ fetch: portalFetch(harness) });
    await right.getAppointment('apt_alice_3d');
    await expect(right.getAppointment('apt_bilal_3d')).rejects.toMatchObject({ code: 'not_found' });
    expect(errors).toHaveBeenCalledTimes(3);
  });
});
