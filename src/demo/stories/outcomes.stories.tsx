import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { CancelAppointmentDialog } from '../../index';
import { openedDialog, upstreamCancels } from './play-helpers';

/** What the dialog says when there is nothing to decide: news instead of the form. */
const meta = {
  title: 'Dialog/Other outcomes',
  component: CancelAppointmentDialog,
  args: { appointmentId: 'apt_cancelled', defaultOpen: true },
} satisfies Meta<typeof CancelAppointmentDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

export const AlreadyCancelled: Story = {
  name: 'Already cancelled',
  play: async ({ canvasElement, loaded }) => {
    const { dialog, element } = await openedDialog(canvasElement);
    const heading = dialog.getByRole('heading', { name: 'This appointment is already cancelled' });
    await waitFor(() => expect(heading).toHaveFocus());
    await expect(element).toHaveAccessibleName('This appointment is already cancelled');
    await expect(dialog.getByText(/It was cancelled on Tuesday 24 November at 07:00 GMT\. Reason: I'm unwell\./)).toBeVisible();
    await expect(dialog.queryByRole('radio')).toBeNull();
    await expect(upstreamCancels(loaded)).toBe(0);
  },
};

export const AmendedByOperations: Story = {
  name: 'Already cancelled – amended by Heim Operations',
  args: { appointmentId: 'apt_amended' },
  play: async ({ canvasElement }) => {
    const { dialog } = await openedDialog(canvasElement);
    // Operations reviewed the patient's cancellation and recorded the practitioner as the cause.
    await expect(dialog.getByText(/Reason: The practitioner hasn't arrived\./)).toBeVisible();
  },
};

export const NotCancellable: Story = {
  name: 'Not cancellable (completed)',
  args: { appointmentId: 'apt_completed' },
  play: async ({ canvasElement }) => {
    const { dialog } = await openedDialog(canvasElement);
    await expect(dialog.getByRole('heading', { name: "This appointment can't be cancelled" })).toBeVisible();
    await expect(dialog.queryByRole('button', { name: 'Cancel appointment' })).toBeNull();
  },
};

export const SessionExpired: Story = {
  name: 'Session expired',
  args: { appointmentId: 'apt_free_days' },
  parameters: { backend: { signedOut: true } },
  play: async ({ canvasElement }) => {
    const { dialog } = await openedDialog(canvasElement);
    await expect(dialog.getByRole('heading', { name: 'Your session has expired' })).toBeVisible();
    await expect(dialog.getByText(/please sign in again/)).toBeVisible();
  },
};

export const NotFound: Story = {
  name: 'Not found',
  args: { appointmentId: 'apt_missing' },
  play: async ({ canvasElement }) => {
    const { dialog, element } = await openedDialog(canvasElement);
    await expect(dialog.getByRole('heading', { name: "We couldn't find this appointment" })).toBeVisible();
    await userEvent.click(dialog.getByRole('button', { name: 'Close' }));
    await expect(element).not.toHaveAttribute('open');
  },
};
