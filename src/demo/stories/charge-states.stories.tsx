import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { CancelAppointmentDialog } from '../../index';
import { openedDialog } from './play-helpers';

/** The dialog as the patient first sees it, in each charge state of product.md. */
const meta = {
  title: 'Dialog/Charge states',
  component: CancelAppointmentDialog,
  args: { appointmentId: 'apt_free_days', defaultOpen: true },
} satisfies Meta<typeof CancelAppointmentDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

const openDialog = async (canvasElement: HTMLElement) => (await openedDialog(canvasElement)).dialog;

export const FreeWithDaysLeft: Story = {
  name: 'Free – days left',
  play: async ({ canvasElement }) => {
    const dialog = await openDialog(canvasElement);
    await expect(dialog.getByText(/Free to cancel until Thursday 26 November at 11:00 GMT/)).toBeVisible();
    await expect(dialog.getByText(/Time left to cancel free of charge: 2 days/)).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
  },
};

export const NoEta: Story = {
  name: 'No arrival time yet',
  args: { appointmentId: 'apt_no_eta' },
  play: async ({ canvasElement }) => {
    const dialog = await openDialog(canvasElement);
    await expect(dialog.getByText(/No charge to cancel/)).toBeVisible();
    await expect(dialog.queryByRole('checkbox')).toBeNull();
  },
};
