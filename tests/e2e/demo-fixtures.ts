/** Shared steps for the Chromium tests of the demo portal, as patient Alice. */
import type { Page, Route } from 'playwright-core';
import type { RunningDemo } from '../../src/demo/run-demo';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Adds a visit for Alice whose ETA is `etaFromNowMs` away (before the page lists her visits); returns the ETA. */
export function addAliceVisit(demo: RunningDemo, id: string, serviceName: string, etaFromNowMs: number): number {
  const etaMs = Date.now() + etaFromNowMs;
  demo.simulator.addAppointment({
    id,
    status: 'scheduled',
    estimatedTimeOfArrival: new Date(etaMs).toISOString(),
    patient: { id: 'p_demo_alice', name: 'Alice Morgan' },
    serviceName,
    location: { line1: '12 Example Road', city: 'London', postcode: 'N1 1AA' },
  });
  return etaMs;
}

export async function signInAsAlice(page: Page, demo: RunningDemo): Promise<void> {
  await page.goto(`${demo.url}demo/sign-in?patient=p_demo_alice`);
  await page.getByRole('heading', { name: 'Wound dressing' }).waitFor();
}

/** Clicks "Cancel appointment" on the card whose text contains `cardText`; waits for the dialog. */
export async function openDialogFor(page: Page, cardText: string): Promise<void> {
  await page.locator('li.demo-card', { hasText: cardText }).getByRole('button', { name: 'Cancel appointment' }).click();
  await page.getByRole('alertdialog').waitFor();
}

export async function closeDialog(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
}

/**
 * Holds matching requests in the browser until `release()`, to look at the states the widget
 * shows while it waits (loading, cancelling). Requests then go on to the real proxy unchanged.
 */
export async function holdRequests(page: Page, url: string, method: string): Promise<{ release: () => Promise<void> }> {
  const held: Route[] = [];
  let releasing = false;
  const handler = (route: Route) => {
    if (route.request().method() !== method || releasing) return route.fallback();
    held.push(route);
    return undefined;
  };
  await page.route(url, handler);
  return {
    async release() {
      releasing = true;
      await page.unroute(url, handler);
      await Promise.all(held.map((route) => route.fallback()));
    },
  };
}
