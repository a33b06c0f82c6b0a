import type { Decorator, Meta, StoryObj } from '@storybook/react-vite';
import { useLayoutEffect } from 'react';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import { CancelAppointmentDialog } from '../../index';
import { openedDialog, upstreamCancels } from './play-helpers';

/** Choosing a reason, confirming, and everything that can happen on the way. */
const meta = {
  title: 'Dialog/Cancelling',
  component: CancelAppointmentDialog,
  args: { appointmentId: 'apt_free_days', defaultOpen: true },
} satisfies Meta<typeof CancelAppointmentDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

export const ValidationError: Story = {
  name: 'Validation error',
  play: async ({ canvasElement, loaded }) => {
    const { dialog } = await openedDialog(canvasElement);
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    const summary = await dialog.findByRole('alert');
    await expect(summary).toHaveTextContent('There is a problem');
    await waitFor(() => expect(summary).toHaveFocus());
    await expect(dialog.getByRole('link', { name: 'Choose why you are cancelling' })).toBeVisible();
    await expect(upstreamCancels(loaded)).toBe(0);
  },
};

export const Submitting: Story = {
  parameters: { backend: { faults: [{ route: 'cancel', latencyMs: 600_000, times: 1 }] } },
  play: async ({ canvasElement, loaded }) => {
    const { dialog } = await openedDialog(canvasElement);
    await userEvent.click(dialog.getByRole('radio', { name: 'I no longer need this visit' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    const busy = await dialog.findByRole('button', { name: 'Cancelling…' });
    await expect(busy).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(busy);
    await userEvent.click(busy);
    // However many clicks, one request: it is still waiting at Heim.
    await expect(upstreamCancels(loaded)).toBe(0);
  },
};

export const Success: Story = {
  args: { onCancelled: fn() },
  play: async ({ canvasElement, loaded, args }) => {
    const { dialog } = await openedDialog(canvasElement);
    await userEvent.click(dialog.getByRole('radio', { name: "I'm unwell" }));
    await userEvent.type(dialog.getByRole('textbox'), 'Feeling too ill today');
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    const heading = await dialog.findByRole('heading', { name: 'Your appointment is cancelled' });
    await waitFor(() => expect(heading).toHaveFocus());
    await expect(dialog.getByText('There is no charge for this cancellation.')).toBeVisible();
    await expect(upstreamCancels(loaded)).toBe(1);
    // The portal hears of it once the patient closes the news (its refresh cannot take it away).
    await expect(args.onCancelled).not.toHaveBeenCalled();
  },
};

export const NoteAtLengthLimit: Story = {
  name: 'Note at its length limit',
  play: async ({ canvasElement }) => {
    const { dialog } = await openedDialog(canvasElement);
    await userEvent.click(dialog.getByRole('radio', { name: 'Another reason (please tell us more)' }));
    const note = dialog.getByRole('textbox');
    await userEvent.click(note);
    await userEvent.paste('A'.repeat(500));
    // Shown under the field at once, and spoken politely, once typing pauses, because the limit is near.
    await expect(dialog.getByText('500 of 500 characters')).toBeVisible();
    const [, spoken] = await waitFor(async () => {
      const both = dialog.getAllByText('500 of 500 characters');
      await expect(both).toHaveLength(2);
      return both;
    });
    await expect(spoken).toHaveAttribute('aria-live', 'polite');
    await expect(dialog.queryByRole('alert')).toBeNull();
  },
};

export const WithRearrangeInstead: Story = {
  name: 'With "Rearrange instead"',
  args: { onReschedule: fn() },
  play: async ({ canvasElement, args }) => {
    const { dialog } = await openedDialog(canvasElement);
    await userEvent.click(dialog.getByRole('button', { name: 'Rearrange instead' }));
    await expect(args.onReschedule).toHaveBeenCalledWith('apt_free_days');
  },
};

export const UpstreamFailureThenRetry: Story = {
  name: 'Upstream failure, then a successful retry',
  parameters: { backend: { faults: [{ route: 'cancel', status: 500, times: 1 }] } },
  play: async ({ canvasElement, loaded }) => {
    const { dialog } = await openedDialog(canvasElement);
    await userEvent.click(dialog.getByRole('radio', { name: 'I need a different date or time' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    await expect(await dialog.findByText(/can't confirm whether your appointment was cancelled/)).toBeVisible();
    await userEvent.click(dialog.getByRole('button', { name: 'Try again' }));
    await expect(await dialog.findByRole('heading', { name: 'Your appointment is cancelled' })).toBeVisible();
    // Heim failed the first POST without cancelling; the retry (same key) cancelled once.
    await expect(upstreamCancels(loaded)).toBe(2);
  },
};

export const PendingConfirmation: Story = {
  name: 'Pending confirmation',
  parameters: {
    backend: {
      // Heim cancels but answers 503, and its cancellation reads keep failing: nobody can confirm
      // yet. (A 404 would not do: with the appointment reading cancelled, that settles it.)
      faults: [
        { route: 'cancel', status: 503, commit: true, times: 1 },
        { route: 'cancellation', status: 500, times: 100_000 },
      ],
    },
  },
  play: async ({ canvasElement, loaded }) => {
    const { dialog } = await openedDialog(canvasElement);
    await userEvent.click(dialog.getByRole('radio', { name: "I'm unwell" }));
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    await expect(await dialog.findByRole('heading', { name: "We're confirming your cancellation" })).toBeVisible();
    await expect(dialog.getByText(/Please don't cancel again/)).toBeVisible();
    await expect(dialog.queryByRole('button', { name: 'Cancel appointment' })).toBeNull();
    await expect(upstreamCancels(loaded)).toBe(1);
  },
};

/** The browser says it is offline (navigator.onLine false), as on a phone that lost signal. */
const offline: Decorator = (Story) => {
  useLayoutEffect(() => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    window.dispatchEvent(new Event('offline'));
    return () => {
      delete (navigator as { onLine?: boolean }).onLine;
      window.dispatchEvent(new Event('online'));
    };
  }, []);
  return <Story />;
};

export const Offline: Story = {
  decorators: [offline],
  play: async ({ canvasElement, loaded }) => {
    const { dialog } = await openedDialog(canvasElement);
    await expect(dialog.getByText("You're offline. Connect to the internet to cancel your appointment.")).toBeVisible();
    await userEvent.click(dialog.getByRole('radio', { name: "I'm unwell" }));
    const confirm = dialog.getByRole('button', { name: 'Cancel appointment' });
    await expect(confirm).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(confirm);
    await expect(upstreamCancels(loaded)).toBe(0);
  },
};
