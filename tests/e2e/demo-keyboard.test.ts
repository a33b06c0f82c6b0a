import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningDemo } from '../../src/demo/run-demo';
import { demoPerTest, E2E_HEIM_KEY } from './demo-server';
import { describeFocus, tabUntil } from './keyboard';

const e2e = demoPerTest();
let demo: RunningDemo;
let page: Page;

beforeEach(async () => {
  demo = e2e.demo;
  page = await e2e.openPage({ viewport: { width: 390, height: 844 }, timezoneId: 'America/New_York' });
});

const posts = () => demo.simulator.ledger.filter((entry) => entry.method === 'POST');

async function signInAsAliceByKeyboard(): Promise<void> {
  await page.goto(demo.url);
  await page.getByRole('link', { name: 'Sign in as Alice Morgan' }).waitFor();
  await tabUntil(page, (f) => f.tag === 'a' && f.text === 'Sign in as Alice Morgan');
  await page.keyboard.press('Enter');
  await page.getByText('Signed in as').waitFor();
}

async function focusCancelButtonOf(visit: string): Promise<void> {
  await page.getByRole('heading', { name: visit }).waitFor();
  await tabUntil(page, (f) => f.tag === 'button' && f.text === 'Cancel appointment' && f.cardText.startsWith(visit));
}

describe('a patient cancels from the demo portal with the keyboard only', () => {
  it('signs in, opens the dialog, picks a reason, confirms, and Heim receives the cancellation', async () => {
    await signInAsAliceByKeyboard();
    await focusCancelButtonOf('Wound dressing');
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    await dialog.getByRole('radio').first().waitFor();
    const first = await describeFocus(page);
    expect(first).toMatchObject({ tag: 'button', text: 'Keep appointment', insideDialog: true });
    expect(await dialog.getByText(/free to cancel/i).count()).toBeGreaterThan(0);

    await tabUntil(page, (f) => f.tag === 'input' && f.type === 'radio');
    await page.keyboard.press('Space');
    expect(await dialog.getByRole('radio', { name: "I'm unwell" }).isChecked()).toBe(true);

    await tabUntil(page, (f) => f.tag === 'textarea');
    await page.keyboard.type('Feeling too ill today');
    await tabUntil(page, (f) => f.tag === 'button' && f.text === 'Cancel appointment' && f.insideDialog);
    await page.keyboard.press('Enter');

    const success = dialog.getByRole('heading', { name: /cancelled/i });
    await success.waitFor();
    await expect.poll(async () => (await describeFocus(page)).tag).toMatch(/^h\d$/);
    expect((await describeFocus(page)).text).toBe(await success.textContent());

    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.path).toBe('/v1/appointments/apt_alice_3d/cancel');
    expect(JSON.parse(posts()[0]!.body)).toEqual({
      note: 'Cancelled by the patient in the customer portal. Reason: I\'m unwell. Patient\'s note: "Feeling too ill today"',
      causingEntity: 'patient',
      cancellingEntity: 'patient',
      reasonCode: 'patient_unwell',
    });
    expect(posts()[0]!.headers.authorization).toBe(E2E_HEIM_KEY);
    expect(demo.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');

    // Heim's signed appointment.cancelled event reached the demo's proxy and was accepted (204).
    await demo.simulator.flushWebhooks();
    const delivered = demo.simulator.webhookDeliveries.filter(
      (delivery) => delivery.event.type === 'appointment.cancelled' && delivery.event.data.appointmentId === 'apt_alice_3d',
    );
    expect(delivered.map((delivery) => delivery.status)).toEqual(['delivered']);
  });

  it('Escape keeps the appointment, returns focus to the trigger and sends nothing', async () => {
    await signInAsAliceByKeyboard();
    await focusCancelButtonOf('Blood pressure check');
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').waitFor();
    await page.getByRole('alertdialog').getByRole('radio').first().waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
    const focus = await describeFocus(page);
    expect(focus).toMatchObject({ tag: 'button', text: 'Cancel appointment', insideDialog: false });
    expect(focus.cardText.startsWith('Blood pressure check')).toBe(true);
    expect(posts()).toHaveLength(0);
  });

  it('never lets the Heim key reach the browser', async () => {
    const bodies: string[] = [];
    page.on('response', (response) => {
      void response.text().then((text) => bodies.push(text), () => undefined);
    });
    await signInAsAliceByKeyboard();
    await page.getByRole('heading', { name: 'Wound dressing' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(bodies.length).toBeGreaterThan(2);
    for (const body of bodies) expect(body).not.toContain(E2E_HEIM_KEY);
    expect(await page.content()).not.toContain(E2E_HEIM_KEY);
  });
});
