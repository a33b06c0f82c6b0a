import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { CancelAppointmentDialog } from '../../index';
import { openedDialog, storyBackend, upstreamCancels } from './play-helpers';
import { DEFAULT_STORY_SERVER_NOW } from './story-backend';

/**
 * The dialog as the patient first sees it, in each charge state of product.md. The server's time
 * starts at Tuesday 24 November 2026, 09:00 GMT in every story and then runs at real speed.
 */
const meta = {
  title: 'Dialog/Charge states',
  component: CancelAppointmentDialog,
  args: { appointmentId: 'apt_free_days', defaultOpen: true },
} satisfies Meta<typeof CancelAppointmentDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

const ACK = 'I understand I may be charged for cancelling now';

export const Loading: Story = {
  parameters: { backend: { faults: [{ route: 'appointment', latencyMs: 600_000, times: 1 }] } },
  play: async ({ canvasElement }) => {
    const { dialog } = await openedDialog(canvasElement, { loaded: false });
    await expect(await dialog.findByText('Loading appointment…')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
  },
};

export const NoEta: Story = {
  name: 'No arrival time yet',
  args: { appointmentId: 'apt_no_eta' },
  play: async ({ canvasElement }) => {
    const { dialog, element } = await openedDialog(canvasElement);
    await expect(dialog.getByText("No charge to cancel: an arrival time hasn't been set yet.")).toBeVisible();
    await expect(dialog.getByText('Arrival time not set yet')).toBeVisible();
    await expect(dialog.queryByRole('checkbox')).toBeNull();
    await expect(element).toHaveAttribute('data-charge', 'no_eta');
  },
};

export const FreeWithDaysLeft: Story = {
  name: 'Free – days left',
  play: async ({ canvasElement }) => {
    const { dialog, element } = await openedDialog(canvasElement);
    await expect(dialog.getByText('Free to cancel until Thursday 26 November at 11:00 GMT.')).toBeVisible();
    await expect(dialog.getByText(/^Time left to cancel free of charge: 2 days, 1 hour/)).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Keep appointment' })).toHaveFocus();
    await expect(element).toHaveAttribute('data-charge', 'free');
  },
};

export const FreeMinutesBeforeWindow: Story = {
  name: 'Free – minutes before the window opens',
  args: { appointmentId: 'apt_free_minutes' },
  play: async ({ canvasElement }) => {
    const { dialog } = await openedDialog(canvasElement);
    await expect(dialog.getByText('Free to cancel until Tuesday 24 November at 09:10 GMT.')).toBeVisible();
    await expect(dialog.getByText(/^Time left to cancel free of charge: (10 minutes|9 minutes)/)).toBeVisible();
    await expect(dialog.queryByRole('checkbox')).toBeNull();
  },
};

export const ChargeableHoursLeft: Story = {
  name: 'Chargeable – hours left',
  args: { appointmentId: 'apt_chargeable_hours' },
  play: async ({ canvasElement }) => {
    const { dialog, element } = await openedDialog(canvasElement);
    await expect(dialog.getByText('Cancelling now may be charged')).toBeVisible();
    await expect(dialog.getByText(/^The practitioner is due in 5 hours, (20|19) minutes/)).toBeVisible();
    await expect(dialog.getByRole('checkbox', { name: ACK })).not.toBeChecked();
    await expect(dialog.queryByText(/will be charged/i)).toBeNull();
    await expect(element).toHaveAttribute('data-charge', 'chargeable');
  },
};

export const ChargeableSecondsLeft: Story = {
  name: 'Chargeable – seconds left',
  args: { appointmentId: 'apt_chargeable_seconds' },
  play: async ({ canvasElement }) => {
    const { dialog } = await openedDialog(canvasElement);
    await expect(dialog.getByText(/^The practitioner is due in \d+ seconds?\.$/)).toBeVisible();
    await expect(dialog.getByRole('checkbox', { name: ACK })).toBeVisible();
  },
};

export const Due: Story = {
  name: 'Due – practitioner due now',
  args: { appointmentId: 'apt_due' },
  play: async ({ canvasElement }) => {
    const { dialog, element } = await openedDialog(canvasElement);
    await expect(dialog.getByText('The practitioner is due now')).toBeVisible();
    await expect(dialog.getByRole('checkbox', { name: ACK })).toBeVisible();
    // Not offered until the ETA has passed by 15 minutes.
    await expect(dialog.queryByRole('radio', { name: "The practitioner hasn't arrived" })).toBeNull();
    await expect(element).toHaveAttribute('data-charge', 'due');
  },
};

export const PractitionerLate: Story = {
  name: 'Due – practitioner 40 minutes late',
  args: { appointmentId: 'apt_late' },
  play: async ({ canvasElement }) => {
    const { dialog } = await openedDialog(canvasElement);
    await expect(dialog.getByRole('radio', { name: "The practitioner hasn't arrived" })).toBeVisible();
  },
};

export const BoundaryCrossedLive: Story = {
  name: 'Window opens while the dialog is open',
  args: { appointmentId: 'apt_boundary' },
  play: async ({ canvasElement, loaded }) => {
    const { dialog, element } = await openedDialog(canvasElement);
    await expect(dialog.getByText(/^Free to cancel until/)).toBeVisible();
    // chargeableFrom is 5 s after the story starts: the state flips on its own, in place.
    await waitFor(() => expect(dialog.getByText('Cancelling now may be charged')).toBeVisible(), { timeout: 10_000 });
    await expect(dialog.getByRole('checkbox', { name: ACK })).toBeVisible();
    await expect(element).toHaveAttribute('open');
    await expect(upstreamCancels(loaded)).toBe(0);
  },
};

export const EtaMovedByHeim: Story = {
  name: 'ETA moved by Heim while open',
  play: async ({ canvasElement, loaded }) => {
    const { dialog } = await openedDialog(canvasElement);
    await expect(dialog.getByText(/^Free to cancel until/)).toBeVisible();
    // Heim re-plans the route: the visit is now in three hours.
    storyBackend(loaded).simulator.moveEta('apt_free_days', new Date(Date.parse(DEFAULT_STORY_SERVER_NOW) + 3 * 3_600_000).toISOString());
    // The dialog re-reads the appointment when the page becomes visible again (and every 30 s).
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    await waitFor(() => expect(dialog.getByText('Cancelling now may be charged')).toBeVisible(), { timeout: 10_000 });
    await expect(dialog.getByText('Tuesday 24 November at 12:00 GMT')).toBeVisible();
  },
};
