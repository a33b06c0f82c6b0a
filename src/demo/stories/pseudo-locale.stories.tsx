import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent } from 'storybook/test';
import { CancelAppointmentDialog, defaultMessages } from '../../index';
import { pseudoLocalizeMessages } from '../../pseudo-locale';
import { openedDialog } from './play-helpers';

/**
 * The dialog in the pseudo-locale (accented, bracketed, about 40 % longer) on a 320 px screen: the
 * fullest screen (charge warning, countdown, acknowledgement, "Rearrange instead", then every
 * error) must still fit. Plain English here is hard-coded text; a missing "]" is text cut off.
 */
const pseudo = pseudoLocalizeMessages(defaultMessages);

const meta = {
  title: 'Dialog/Pseudo-locale',
  component: CancelAppointmentDialog,
  args: { appointmentId: 'apt_chargeable_hours', defaultOpen: true, messages: pseudo, onReschedule: fn() },
  parameters: { viewport: { options: { narrow320: { name: '320 px', styles: { width: '320px', height: '640px' } } } } },
  globals: { viewport: { value: 'narrow320' } },
} satisfies Meta<typeof CancelAppointmentDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Elements that are clipped on purpose (visually hidden live regions): their overflow is the point. */
function isVisuallyHidden(element: Element): boolean {
  const style = getComputedStyle(element);
  return style.clipPath === 'inset(50%)' || (style.position === 'absolute' && style.overflow === 'hidden' && element.clientWidth <= 1);
}

/** Every element inside the dialog whose content is wider than its box. */
function overflowing(dialog: HTMLElement): string[] {
  return [dialog, ...dialog.querySelectorAll('*')]
    .filter((element) => !isVisuallyHidden(element) && element.closest('[style*="clip"]') === null)
    .filter((element) => element.scrollWidth > element.clientWidth + 1)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.scrollWidth} > ${element.clientWidth}`);
}

async function expectFits(dialog: HTMLElement, confirm: HTMLElement) {
  await expect(overflowing(dialog)).toEqual([]);
  // Fully visible: inside the screen and inside the dialog, once scrolled to.
  confirm.scrollIntoView({ block: 'nearest' });
  const box = confirm.getBoundingClientRect();
  const frame = dialog.getBoundingClientRect();
  await expect(box.width).toBeGreaterThan(0);
  await expect(box.left).toBeGreaterThanOrEqual(Math.max(0, frame.left) - 1);
  await expect(box.right).toBeLessThanOrEqual(Math.min(window.innerWidth, frame.right) + 1);
  await expect(box.top).toBeGreaterThanOrEqual(Math.max(0, frame.top) - 1);
  await expect(box.bottom).toBeLessThanOrEqual(Math.min(window.innerHeight, frame.bottom) + 1);
  // Its whole label is there: the pseudo text ends with "]".
  await expect(confirm.textContent).toBe(pseudo.confirm);
  await expect(confirm.scrollWidth).toBeLessThanOrEqual(confirm.clientWidth + 1);
}

export const Narrow320: Story = {
  name: 'Pseudo-locale at 320 px',
  play: async ({ canvasElement }) => {
    const { element, dialog } = await openedDialog(canvasElement);
    const confirm = dialog.getByRole('button', { name: pseudo.confirm });
    await expect(dialog.getByRole('checkbox', { name: pseudo.acknowledgeCharge })).toBeVisible();
    await expect(dialog.getByRole('button', { name: pseudo.reschedule })).toBeVisible();
    // Under the Vitest addon the viewport really is 320 px (in the Storybook UI, pick it in the toolbar).
    if ('__vitest_browser__' in globalThis) await expect(window.innerWidth).toBe(320);
    await expectFits(element, confirm);
    await expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(window.innerWidth);

    // The longest screen: every error at once, in the summary and on the fields.
    await userEvent.click(confirm);
    await expect(await dialog.findByRole('heading', { name: pseudo.errorSummaryTitle })).toBeVisible();
    await expectFits(element, confirm);
  },
};
