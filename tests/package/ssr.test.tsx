// @vitest-environment node
/**
 * Server rendering (issue 6): importing the widget and rendering the button with
 * `renderToString` in plain Node, where `window` and `document` do not exist, so any access at
 * import or render time throws. This is the source on this repository's React 19; the consumer
 * test (consumer.test.ts) does the same with the packed package on React 19 and React 18.
 */
import { createElement } from 'react';
import { version as reactVersion } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';

describe('the widget rendered on the server', () => {
  it('imports and renders the button in Node without a DOM, fetching nothing', async () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const widget = await import('../../src/index');
    const fetchSpy = vi.fn<typeof fetch>();
    const html = renderToString(
      createElement(
        widget.CancelAppointmentProvider,
        { apiBaseUrl: '/portal-api', fetch: fetchSpy },
        createElement(widget.CancelAppointmentButton, { appointmentId: 'apt_ssr_1', className: 'portal-button' }),
      ),
    );

    expect(reactVersion).toMatch(/^19\./);
    expect(html).toMatch(
      new RegExp(`<button type="button" class="hc-trigger portal-button" aria-haspopup="dialog"[^>]*>${widget.defaultMessages.trigger}</button>`),
    );
    // Closed: no open dialog in the markup, and nothing was asked of the proxy while rendering.
    expect(html).not.toMatch(/<dialog[^>]*\sopen/);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    // Nothing polyfilled a DOM on the way.
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    errors.mockRestore();
  });
});
