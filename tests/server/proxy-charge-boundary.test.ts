/**
 * The charge at the window's edge. Whether a cancel is chargeable is decided by when Heim records
 * it, which is after the proxy decides to send it: never a silent charge (product.md), and the
 * patient is told the charge as Heim recorded it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEIM_CLOCK_SLACK_MS } from '../../src/server/heim-assumptions';
import { createSimulator } from '../../src/simulator/simulator';
import { TEST_HEIM_KEY, TEST_PORTAL_ORIGIN, type TestBackend, type TestBackendOptions } from '../support/backend';
import { FIXED_NOW, cancelRequest, freshKey, json, proxyInFrontOf, readAppointment, startAsAlice } from './helpers';

const HOUR = 3_600_000;
/** The proxy's default wait for Heim (options.ts). */
const TIMEOUT_MS = 8_000;

let backend: TestBackend;
let send: (request: Request) => Promise<Response>;

async function start(options: TestBackendOptions = {}): Promise<void> {
  ({ backend, send } = await startAsAlice(options));
}
afterEach(() => backend.close());

const read = (id: string, path = '') => readAppointment(send, id, path);
const posts = () => backend.simulator.ledger.filter((entry) => entry.method === 'POST');

/** Alice's visit with its ETA at `etaMs`, otherwise like her seeded one. */
function addVisit(id: string, etaMs: number): void {
  const model = backend.simulator.getAppointment('apt_alice_3d')!;
  backend.simulator.addAppointment({
    id,
    status: 'scheduled',
    estimatedTimeOfArrival: new Date(etaMs).toISOString(),
    patient: model.patient,
    serviceName: model.serviceName,
    location: model.location,
  });
}

describe('a cancel sent just before the charge window opens', () => {
  it('needs the acknowledgement when Heim could record it inside the window, and sends nothing without it', async () => {
    await start({ now: () => FIXED_NOW });
    const eta = FIXED_NOW + 24 * HOUR + 5_000; // the window opens in 5 s: within the proxy's wait for Heim
    addVisit('apt_edge', eta);
    expect((await read('apt_edge')).charge.state).toBe('free');

    const refused = await send(cancelRequest('apt_edge'));
    expect(refused.status).toBe(409);
    expect((await json(refused)).error).toMatchObject({
      code: 'charge_acknowledgement_required',
      charge: { state: 'chargeable', windowHours: 24, chargeableFrom: new Date(FIXED_NOW + 5_000).toISOString() },
    });
    expect(posts()).toHaveLength(0);

    const accepted = await send(cancelRequest('apt_edge', { body: { reasonCode: 'patient_unwell', acknowledgeCharge: true } }));
    expect(accepted.status).toBe(200);
    // Heim recorded it at once, before the window opened: it is told as free.
    expect((await json(accepted)).charge.state).toBe('free');
    expect(posts()).toHaveLength(1);
  });

  it('needs none when even the slowest answer Heim may give lands before the window', async () => {
    await start({ now: () => FIXED_NOW });
    addVisit('apt_early', FIXED_NOW + 24 * HOUR + TIMEOUT_MS + HEIM_CLOCK_SLACK_MS + 1_000);
    const response = await send(cancelRequest('apt_early'));
    expect(response.status).toBe(200);
    expect((await json(response)).charge.state).toBe('free');
  });
});

describe('the charge in the 200 is read at the instant Heim recorded the cancel', () => {
  it('says chargeable when a gateway held a "free" cancel until the window had opened, and logs it for operations', async () => {
    let laterMs = 0;
    await start({ now: () => Date.now() + laterMs });
    const eta = Date.now() + 24 * HOUR + 60_000; // free for another minute, well outside the margin
    addVisit('apt_held', eta);
    backend.simulator.setFault({ route: 'cancel', status: 504, commitAfterMs: 300, times: 1 });

    const key = freshKey();
    expect((await send(cancelRequest('apt_held', { key }))).status).toBe(202);
    laterMs = 2 * 60_000; // Heim carries the cancel out after the window opened
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_held')?.status).toBe('cancelled'), { timeout: 2000 });

    expect((await read('apt_held', '/cancellation')).status).toBe('cancelled');
    const settled = await send(cancelRequest('apt_held', { key }));
    expect(settled.status).toBe(200);
    expect((await json(settled)).charge).toMatchObject({ state: 'chargeable', chargeableFrom: new Date(eta - 24 * HOUR).toISOString() });
    expect(backend.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'cancel.charge_not_acknowledged', appointmentId: 'apt_held' }),
    );
    expect(posts()).toHaveLength(1);
  });

  it("is read again at Heim's createdAt once Heim shows it, for a 200 first told without it", async () => {
    // Found by proxy-interleavings.test.ts: the kept answer took Heim's createdAt from a later read
    // but kept the charge read at the moment the proxy learned of the cancel, so a retry with the
    // key said "may be charged" beside a createdAt at which the visit was free.
    let laterMs = 0;
    await start({ now: () => FIXED_NOW + laterMs });
    const eta = FIXED_NOW + 24 * HOUR + 60_000; // free for another minute, well outside the margin
    addVisit('apt_late_news', eta);
    // Heim cancels at once but its answer is unreadable, and reaches us only after the window opened.
    backend.simulator.setFault({ route: 'cancel', commit: true, status: 200, body: '{"id": "can_', latencyMs: 200, times: 1 });

    const key = freshKey();
    const answered = send(cancelRequest('apt_late_news', { key }));
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_late_news')?.status).toBe('cancelled'), { timeout: 2000 });
    laterMs = 2 * 60_000;
    const first = await json(await answered);
    // Without Heim's time, read at the latest instant Heim could have recorded it: "may be charged".
    expect(first).toMatchObject({ status: 'cancelled', cancellation: { createdAt: null }, charge: { state: 'chargeable' } });

    const createdAt = backend.simulator.getCancellation('apt_late_news')!.createdAt;
    expect((await read('apt_late_news', '/cancellation')).cancellation.createdAt).toBe(createdAt);
    const retry = await json(await send(cancelRequest('apt_late_news', { key })));
    expect(retry.cancellation.createdAt).toBe(createdAt);
    expect(retry.charge).toEqual({ state: 'free', windowHours: 24, chargeableFrom: new Date(eta - 24 * HOUR).toISOString() });
    expect(posts()).toHaveLength(1);
  });
});

describe("a 200 told free without Heim's time, whose time Heim gives later inside the window", () => {
  it('is told chargeable to a retry, and operations get the same warning as for a 200 told so at once', async () => {
    // From the session-11 diff review: re-reading a kept 200's charge at Heim's createdAt could turn
    // "free" into "chargeable" silently, while a 200 told so at once logs the warning operations
    // use to waive such a charge. Heim's clock runs a minute ahead of the proxy's here.
    const heimAheadMs = 60_000;
    const simulator = createSimulator({ apiKeys: [TEST_HEIM_KEY], now: () => FIXED_NOW + heimAheadMs });
    const logs: { event: string; [field: string]: unknown }[] = [];
    const handler = proxyInFrontOf(simulator, { now: () => FIXED_NOW, logger: (entry) => void logs.push(entry) });
    const model = simulator.getAppointment('apt_alice_3d')!;
    // By the proxy's clock the window opens in 30 s, outside its 10 s margin: no acknowledgement.
    const eta = FIXED_NOW + 24 * HOUR + 30_000;
    simulator.addAppointment({ ...model, id: 'apt_heim_ahead', status: 'scheduled', estimatedTimeOfArrival: new Date(eta).toISOString() });
    // Heim cancels, but its answer is unreadable: the 200 is told without Heim's time.
    simulator.setFault({ route: 'cancel', commit: true, status: 200, body: '{"id": "can_', times: 1 });
    const key = freshKey();
    const first = await json(await handler(cancelRequest('apt_heim_ahead', { key })));
    expect(first).toMatchObject({ status: 'cancelled', cancellation: { createdAt: null }, charge: { state: 'free' } });
    expect(logs.filter((entry) => entry.event === 'cancel.charge_not_acknowledged')).toHaveLength(0);

    // A read brings Heim's createdAt, a minute after the proxy's now: inside the window.
    const read = await json(await handler(new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_heim_ahead/cancellation`)));
    const createdAt = simulator.getCancellation('apt_heim_ahead')!.createdAt;
    expect(read.cancellation.createdAt).toBe(createdAt);
    const retry = await json(await handler(cancelRequest('apt_heim_ahead', { key })));
    expect(retry.charge.state).toBe('chargeable');
    expect(logs.filter((entry) => entry.event === 'cancel.charge_not_acknowledged')).toEqual([
      expect.objectContaining({ level: 'warn', appointmentId: 'apt_heim_ahead', recordedAt: createdAt, recordedAtFrom: 'heim' }),
    ]);
  });
});
