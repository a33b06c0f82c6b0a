import type { Decorator, Meta, StoryObj } from '@storybook/react-vite';
import type { CSSProperties } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { CancelAppointmentButton } from '../../index';
import { openedDialog } from './play-helpers';

/**
 * The button a portal drops in, and how the widget adapts: narrow screens, the portal's own words,
 * its theme, or no stylesheet at all.
 */
const meta = {
  title: 'Widget/Cancel button',
  component: CancelAppointmentButton,
  args: { appointmentId: 'apt_free_days' },
} satisfies Meta<typeof CancelAppointmentButton>;

export default meta;
type Story = StoryObj<typeof meta>;

async function openFromTrigger(canvasElement: HTMLElement) {
  const trigger = within(canvasElement).getByRole('button', { name: 'Cancel appointment' });
  await userEvent.click(trigger);
  return { trigger, ...(await openedDialog(canvasElement)) };
}

export const TriggerButton: Story = {
  name: 'Button: opens, "Keep appointment" closes',
  play: async ({ canvasElement }) => {
    const { trigger, dialog, element } = await openFromTrigger(canvasElement);
    const keep = dialog.getByRole('button', { name: 'Keep appointment' });
    await expect(keep).toHaveFocus();
    // (Escape needs a real key press, which a native <dialog> alone answers: tests/e2e covers it.)
    await userEvent.click(keep);
    await waitFor(() => expect(element).not.toHaveAttribute('open'));
    await expect(trigger).toHaveFocus();
  },
};

export const Narrow320: Story = {
  name: '320 px wide screen',
  parameters: { viewport: { options: { narrow320: { name: '320 px', styles: { width: '320px', height: '640px' } } } } },
  globals: { viewport: { value: 'narrow320' } },
  play: async ({ canvasElement }) => {
    const { element, dialog } = await openFromTrigger(canvasElement);
    await expect(dialog.getByText(/^Free to cancel until/)).toBeVisible();
    // Under the Vitest addon the viewport really is 320 px (in the Storybook UI, pick it in the toolbar).
    if ('__vitest_browser__' in globalThis) {
      await expect(window.innerWidth).toBe(320);
      await expect(element.scrollWidth).toBeLessThanOrEqual(element.clientWidth);
      await expect(element.getBoundingClientRect().right).toBeLessThanOrEqual(320);
      await expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(320);
    }
  },
};

export const OverriddenMessages: Story = {
  name: 'Overridden messages',
  args: {
    children: 'Cancel this visit',
    messages: {
      dialogTitle: 'Cancel this home visit?',
      keep: 'No, keep my visit',
      confirm: 'Yes, cancel my visit',
      reasonLegend: 'What is the reason?',
      reasonLabels: { patient_unwell: 'I feel too ill for the visit' },
    },
  },
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Cancel this visit' }));
    const { dialog, element } = await openedDialog(canvasElement);
    await expect(element).toHaveAccessibleName('Cancel this home visit?');
    await expect(dialog.getByRole('button', { name: 'No, keep my visit' })).toHaveFocus();
    await expect(dialog.getByRole('button', { name: 'Yes, cancel my visit' })).toBeVisible();
    await expect(dialog.getByRole('group', { name: 'What is the reason?' })).toBeVisible();
    await expect(dialog.getByRole('radio', { name: 'I feel too ill for the visit' })).toBeVisible();
  },
};

const THEME = {
  '--hc-color-danger': '#6a1b9a',
  '--hc-color-primary': '#00695c',
  '--hc-radius': '0',
  '--hc-font-family': 'Georgia, serif',
} as CSSProperties;

const themed: Decorator = (Story) => (
  <div style={THEME}>
    <Story />
  </div>
);

export const CustomTheme: Story = {
  name: 'Custom theme variables',
  decorators: [themed],
  play: async ({ canvasElement }) => {
    const { dialog } = await openFromTrigger(canvasElement);
    const confirm = dialog.getByRole('button', { name: 'Cancel appointment' });
    await expect(getComputedStyle(confirm).backgroundColor).toBe('rgb(106, 27, 154)');
    await expect(getComputedStyle(confirm).borderTopLeftRadius).toBe('0px');
  },
};

export const NoStylesheet: Story = {
  name: 'No stylesheet',
  parameters: { stylesheet: false },
  play: async ({ canvasElement }) => {
    const { dialog } = await openFromTrigger(canvasElement);
    // Native elements only: still a modal dialog, a radio group, a working form.
    await expect(dialog.getByRole('group', { name: 'Why are you cancelling?' })).toBeVisible();
    await userEvent.click(dialog.getByRole('radio', { name: 'I no longer need this visit' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    await expect(await dialog.findByRole('heading', { name: 'Your appointment is cancelled' })).toBeVisible();
  },
};

export const InsideHostResets: Story = {
  name: "Inside a portal with its own resets",
  // Unlayered resets loaded after the widget's stylesheet (src/demo/stories/host-reset.css).
  parameters: { hostReset: true },
  play: async ({ canvasElement }) => {
    const trigger = within(canvasElement).getByRole('button', { name: 'Cancel appointment' });
    // The resets make every button transparent; the widget's own must keep their colours.
    await expect(getComputedStyle(trigger).backgroundColor).not.toBe('rgba(0, 0, 0, 0)');
    const { dialog } = await openFromTrigger(canvasElement);
    const element = canvasElement.ownerDocument.querySelector('dialog')!;
    await expect(parseFloat(getComputedStyle(element).paddingTop)).toBeGreaterThan(8);
    const confirm = dialog.getByRole('button', { name: 'Cancel appointment' });
    await expect(getComputedStyle(confirm).backgroundColor).not.toBe('rgba(0, 0, 0, 0)');
    await expect(confirm.getBoundingClientRect().height).toBeGreaterThanOrEqual(24);
    const title = dialog.getByRole('heading', { level: 2 });
    await expect(parseFloat(getComputedStyle(title).fontSize)).toBeGreaterThan(parseFloat(getComputedStyle(element).fontSize));
    // A failed submit: the error summary's list keeps its bullets and its links their weight.
    await userEvent.click(confirm);
    const summary = await waitFor(() => {
      const found = element.querySelector<HTMLElement>('.hc-error-summary');
      if (!found) throw new Error('no error summary yet');
      return found;
    });
    await expect(getComputedStyle(summary.querySelector('ul')!).listStyleType).toBe('disc');
    // The focus ring survives the resets.
    await userEvent.tab();
    const focused = canvasElement.ownerDocument.activeElement as HTMLElement;
    await expect(parseFloat(getComputedStyle(focused).outlineWidth)).toBeGreaterThanOrEqual(2);
  },
};

const rightToLeft: Decorator = (Story) => (
  <div dir="rtl">
    <Story />
  </div>
);

/** A box's left and right borders and padding, in px (Chromium snaps a 0.3rem border to 4 px). */
function sides(element: Element) {
  const style = getComputedStyle(element);
  const px = (value: string) => Math.round(parseFloat(value));
  return {
    borderLeft: px(style.borderLeftWidth),
    borderRight: px(style.borderRightWidth),
    paddingLeft: px(style.paddingLeft),
    paddingRight: px(style.paddingRight),
  };
}

export const RightToLeft: Story = {
  name: 'Right-to-left page',
  // A page (or a part of it) in Urdu, Arabic or Hebrew: the accent bars and indents sit at the
  // start of the line, which is its right.
  decorators: [rightToLeft],
  args: { appointmentId: 'apt_chargeable_hours' },
  play: async ({ canvasElement }) => {
    const { dialog, element } = await openFromTrigger(canvasElement);
    await expect(getComputedStyle(element).direction).toBe('rtl');
    const charge = element.querySelector('.hc-charge')!;
    await expect(sides(charge)).toMatchObject({ borderLeft: 0, borderRight: 4 });

    // The error summary's bullets: indented from the right only (the UA's 40 px start padding replaced).
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    const list = await waitFor(() => {
      const found = element.querySelector('.hc-error-summary ul');
      if (!found) throw new Error('no error summary yet');
      return found;
    });
    await expect(sides(list)).toMatchObject({ paddingLeft: 0, paddingRight: 24 });

    await userEvent.click(dialog.getByRole('radio', { name: "I'm unwell" }));
    await userEvent.click(dialog.getByRole('checkbox'));
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel appointment' }));
    await dialog.findByRole('heading', { name: 'Your appointment is cancelled' });
    const panel = element.querySelector('.hc-panel')!;
    await expect(sides(panel)).toEqual({ borderLeft: 0, borderRight: 4, paddingLeft: 0, paddingRight: 16 });
  },
};
