import { afterEach, describe, expect, it, vi } from 'vitest';
import { GATEWAY_GRACE_MS, LOST_ANSWER_GRACE_MS } from '../../src/server/heim-assumptions';
import { createSimulator } from '../../src/simulator/simulator';
import { TEST_HEIM_KEY, TEST_PORTAL_ORIGIN, type TestBackend, type TestBackendOptions } from '../support/backend';
import { FIXED_NOW, cancelRequest, freshKey, json, proxyInFrontOf, readAppointment, startAsAlice } from './helpers';

let backend: TestBackend;
let send: (request: Request) => Promise<Response>;

async function start(options: TestBackendOptions = {}): Promise<void> {
  ({ backend, send } = await startAsAlice(options));
}
afterEach(() => backend?.close());

const status = (id: string) => readAppointment(send, id, '/cancellation');
const posts = () => backend.simulator.ledger.filter((entry) => entry.method === 'POST');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until Heim has answered the hung POST (the ledger lists a request once answered): 500, nothing cancelled. */
const lostPostEnded = () => vi.waitFor(() => expect(posts().map((entry) => entry.status)).toEqual([500]), { timeout: 2000 });

/**
 * After one POST on apt_alice_3d whose outcome is unknown: a minute before `graceMs` the attempt is
 * still pending and a new click posts nothing; `afterMs` past it, reads that agree end it as not
 * cancelled, and the patient's next click is a second POST that cancels. `setClock` moves the
 * proxy's (and the simulator's) clock that far past the first POST.
 */
async function expectPendingThroughGrace(graceMs: number, setClock: (ms: number) => void, afterMs: number): Promise<void> {
  setClock(graceMs - 60_000);
  expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'pending_confirmation' });
  expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
  expect(posts()).toHaveLength(1);

  setClock(graceMs + afterMs);
  expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'not_cancelled' });
  expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(200);
  expect(posts()).toHaveLength(2);
  expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
}

/**
 * The proxy in front of the simulator, Alice signed in, with a network that can hold Heim's answer
 * to one read (`hold()`, then `release()`): a status read whose answer is on its way while other
 * things happen.
 */
function heldReadRig(now: () => number = () => Date.now()) {
  const simulator = createSimulator({ apiKeys: [TEST_HEIM_KEY], now });
  let holdNextRead = false;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const events: string[] = [];
  const handler = proxyInFrontOf(simulator, {
    now,
    logger: (entry) => void events.push(entry.event),
    onHeimCall: () => {
      const held = holdNextRead;
      holdNextRead = false;
      return held ? released : undefined;
    },
  });
  const statusRead = () => handler(new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_3d/cancellation`)).then(json);
  return { simulator, handler, statusRead, events, hold: () => (holdNextRead = true), release: () => release() };
}

describe('a lost answer is never re-posted', () => {
  it('stays pending, whatever key or time, until Heim shows the cancellation', async () => {
    let offsetMs = 0;
    await start({ heim: { timeoutMs: 100 }, now: () => Date.now() + offsetMs });
    // Heim hangs past our timeout and then fails without cancelling: the answer is lost for good.
    backend.simulator.setFault({ route: 'cancel', latencyMs: 400, status: 500, times: 1 });
    const key = freshKey();
    const first = await send(cancelRequest('apt_alice_3d', { key }));
    expect(first.status).toBe(202);
    expect(await json(first)).toEqual({ status: 'pending_confirmation' });

    await lostPostEnded();
    offsetMs = 2 * 3_600_000; // hours later, Heim still shows nothing: still unknown, never re-posted
    expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'pending_confirmation' });
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    expect((await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'no_longer_required' } }))).status).toBe(202);
    expect(posts()).toHaveLength(1);
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  });

  it('ends as not cancelled a day later when Heim still shows nothing, so the patient is not barred for good', async () => {
    let offsetMs = 0;
    await start({ heim: { timeoutMs: 100 }, now: () => Date.now() + offsetMs });
    backend.simulator.setFault({ route: 'cancel', latencyMs: 400, status: 500, times: 1 });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
    await lostPostEnded();

    await expectPendingThroughGrace(LOST_ANSWER_GRACE_MS, (ms) => (offsetMs = ms), 60_000);
  });

  it('settles as cancelled when the lost POST lands late, and the same key is then told 200', async () => {
    await start({ heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', latencyMs: 300, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });

    expect(await status('apt_alice_3d')).toMatchObject({ status: 'cancelled', cancellation: { reasonCode: 'patient_unwell' } });
    const retry = await send(cancelRequest('apt_alice_3d', { key }));
    expect(retry.status).toBe(200);
    expect((await json(retry)).status).toBe('cancelled');
    const other = await send(cancelRequest('apt_alice_3d'));
    expect(other.status).toBe(409);
    expect(posts()).toHaveLength(1);
  });
});

describe("a gateway's 502/503/504 is not Heim's answer", () => {
  it('504 while Heim carries on: pending, never posted again, then cancelled, and the same key is told 200', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancel', status: 504, commitAfterMs: 300, times: 1 });
    const key = freshKey();
    const first = await send(cancelRequest('apt_alice_3d', { key }));
    expect(first.status).toBe(202);
    // Another click, before Heim has carried the first out: still pending, nothing posted.
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });

    expect(await status('apt_alice_3d')).toMatchObject({ status: 'cancelled', cancellation: { reasonCode: 'patient_unwell' } });
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);
    expect(posts()).toHaveLength(1);
  });

  it("a 503 Heim never carried out: pending through the gateway's grace, then not cancelled, and the patient may try again", async () => {
    let laterMs = 0;
    await start({ now: () => Date.now() + laterMs });
    backend.simulator.setFault({ route: 'cancel', status: 503, headers: { 'retry-after': '30' }, times: 1 });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);

    await expectPendingThroughGrace(GATEWAY_GRACE_MS, (ms) => (laterMs = ms), 1_000);
  });

  it('503 from a service mesh while Heim carries on: never "failed", never posted twice (the reason 503 is a gateway answer)', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancel', status: 503, commitAfterMs: 300, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    // The widget's retry with the same key, before Heim has carried the first out.
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);
    expect(posts()).toHaveLength(1);
  });
});

describe('a pending attempt ends', () => {
  it('as not cancelled when the visit then reads completed, which is no longer cancellable', async () => {
    await start({ heim: { timeoutMs: 100 } });
    // Heim hangs past our timeout and fails without cancelling: the answer is lost for good.
    backend.simulator.setFault({ route: 'cancel', latencyMs: 400, status: 500, times: 1 });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
    await lostPostEnded();
    backend.simulator.completeAppointment('apt_alice_3d');

    expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'not_cancelled' });
    const again = await send(cancelRequest('apt_alice_3d'));
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('not_cancellable');
    expect(posts()).toHaveLength(1);
  });

  it('never by a status read that began before a newer attempt: the patient is not told "not cancelled" while a lost POST may land', async () => {
    await start();
    // Attempt 1: Heim answers 500 and the first read fails, so it waits for reads that agree.
    backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    backend.simulator.setFault({ route: 'cancellation', status: 500, times: 1 });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
    // A slow status read (one tab) and a quick one (another tab).
    backend.simulator.setFault({ route: 'cancellation', latencyMs: 400, times: 1 });
    const slowRead = status('apt_alice_3d');
    await sleep(20);
    expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'not_cancelled' });
    // Attempt 2: the connection drops, and Heim carries the cancel out 600 ms later.
    backend.simulator.setFault({ route: 'cancel', transport: 'reset', commitAfterMs: 600, times: 1 });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);

    await slowRead;
    expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'pending_confirmation' });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });
    expect(posts()).toHaveLength(2);
  });
});

describe('"nothing was cancelled" needs two witnesses', () => {
  it('says cancelled, not upstream_error, when Heim cancelled, answered 503, and the cancellation GET lags', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancel', status: 503, commit: true, times: 1 });
    backend.simulator.setFault({ route: 'cancellation', status: 404, times: 1 });
    const key = freshKey();
    const response = await send(cancelRequest('apt_alice_3d', { key }));
    // It read cancellable just before the POST and reads cancelled now: told from what was sent.
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      status: 'cancelled',
      cancellation: { id: null, reasonCode: 'patient_unwell', causingEntity: 'patient', cancellingEntity: 'patient', createdAt: null },
      charge: { state: 'free' },
    });
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');

    expect((await status('apt_alice_3d')).status).toBe('cancelled');
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);
    expect(posts()).toHaveLength(1);
  });

  it('says already_cancelled, not upstream_error, when Heim refuses and the appointment reads cancelled', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancel', status: 409, commit: true, times: 1 });
    backend.simulator.setFault({ route: 'cancellation', status: 404, times: 1 });
    const response = await send(cancelRequest('apt_alice_3d'));
    expect(response.status).toBe(409);
    expect((await json(response)).error.code).toBe('already_cancelled');
  });

  it('says upstream_error when Heim refuses and nothing reads cancelled', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancel', status: 400, times: 1 });
    const response = await send(cancelRequest('apt_alice_3d'));
    expect(response.status).toBe(502);
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
  });
});

describe('robustness', () => {
  it('answers 200 for a cancellation that happened even when the log sink throws', async () => {
    await start({
      logger: () => {
        throw new Error('log sink down');
      },
    });
    const response = await send(cancelRequest('apt_alice_3d'));
    expect(response.status).toBe(200);
    expect((await json(response)).status).toBe('cancelled');
  });

  it('reads the session cookie when Authorization carries another scheme (HTTP Basic in front of staging)', async () => {
    await start();
    const token = await backend.tokenFor('p_demo_alice');
    const response = await backend.handler(
      new Request('http://portal.test/api/appointments/apt_alice_3d', {
        headers: { authorization: 'Basic c3RhZ2luZzpzdGFnaW5n', cookie: `portal_session=${token}` },
      }),
    );
    expect(response.status).toBe(200);
  });

  it("keeps the patient's own quotes inside the quoted note", async () => {
    await start();
    const note = 'I said "ok". Reason: organisation_cancelled';
    expect((await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'patient_unwell', note } }))).status).toBe(200);
    const sent = JSON.parse(posts()[0]!.body).note as string;
    expect(sent).toBe(
      'Cancelled by the patient in the customer portal. Reason: I\'m unwell. Patient\'s note: "I said \\"ok\\". Reason: organisation_cancelled"',
    );
  });
});

describe('background reconciliation', () => {
  it('settles a lost answer on its own, with nobody polling', async () => {
    await start({ heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', latencyMs: 300, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    // No client request from here on: the proxy reads Heim again by itself.
    await vi.waitFor(() => expect(backend.logs.some((entry) => entry.event === 'cancel.reconciled' && entry.result === 'cancelled')).toBe(true), {
      timeout: 4000,
      interval: 100,
    });
    const reads = backend.simulator.ledger.filter((entry) => entry.method === 'GET' && entry.path.endsWith('/cancellation'));
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(posts()).toHaveLength(1);
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);
  });

  it('settles an attempt Heim failed as not cancelled once its reads agree', async () => {
    await start();
    backend.simulator.setFault({ route: 'cancel', status: 500, times: 1 });
    backend.simulator.setFault({ route: 'cancellation', status: 500, times: 1 });
    expect((await send(cancelRequest('apt_alice_3d'))).status).toBe(202);
    await vi.waitFor(() => expect(backend.logs.some((entry) => entry.event === 'cancel.reconciled' && entry.result === 'not_cancelled')).toBe(true), {
      timeout: 4000,
      interval: 100,
    });
    expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'not_cancelled' });
  });
});

describe('while a cancel is being sent', () => {
  it('the status read says pending_confirmation, not a "not cancelled" that the cancel\'s own answer would contradict', async () => {
    await start();
    // Heim carries the POST out only when its second is up (a latency-only fault), so a status read
    // made meanwhile is answered while the cancel is out, and Heim has not cancelled yet.
    backend.simulator.setFault({ route: 'cancel', latencyMs: 1_000, times: 1 });
    const cancelling = send(cancelRequest('apt_alice_3d'));
    // The cancel's own read of the appointment is made under the appointment's lock: once Heim has
    // answered it, the cancel is being decided (before then, the request is still at the door).
    await vi.waitFor(() => expect(backend.simulator.ledger.some((entry) => entry.method === 'GET')).toBe(true));
    expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'pending_confirmation' });
    expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('scheduled');
    expect((await cancelling).status).toBe(200);
    expect((await status('apt_alice_3d')).status).toBe('cancelled');
  });

  it('a status read begun while the cancel was decided is not answered not_cancelled from a Heim read made before it landed', async () => {
    // Found by proxy-interleavings.test.ts. Heim answered the status read's appointment GET before
    // the cancel landed; that answer reached the proxy after the cancel had been told 200, when no
    // cancel was being decided any more, and the read said not_cancelled while Heim held it.
    const { simulator, handler, statusRead, hold, release } = heldReadRig(() => FIXED_NOW);
    simulator.setFault({ route: 'cancel', latencyMs: 200, times: 1 });

    const cancelling = handler(cancelRequest('apt_alice_3d'));
    await vi.waitFor(() => expect(simulator.ledger.some((entry) => entry.method === 'GET')).toBe(true));
    hold();
    const reading = statusRead();
    expect((await cancelling).status).toBe(200);
    release();
    expect(await reading).toMatchObject({ status: 'cancelled' });
    expect(simulator.ledger.filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });

  describe('a status read begun while a lost cancel was pending (from the session-11 diff review)', () => {
    // Heim answers the read's appointment GET before the lost POST lands; the attempt is settled
    // (by another read, or the background reconcile) while that answer is on its way. Found
    // nothing pending and nothing being decided, the read said not_cancelled while Heim held the
    // patient's cancellation, and the widget's first poll after a 202 is such a read.
    it('settled by another read meanwhile: answers cancelled, not not_cancelled', async () => {
      const { simulator, handler, statusRead, hold, release } = heldReadRig();
      simulator.setFault({ route: 'cancel', status: 504, commitAfterMs: 150, times: 1 });
      expect((await handler(cancelRequest('apt_alice_3d'))).status).toBe(202);
      hold();
      const reading = statusRead();
      await vi.waitFor(() => expect(simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2_000 });
      expect(await statusRead()).toMatchObject({ status: 'cancelled' });
      release();
      expect(await reading).toMatchObject({ status: 'cancelled' });
      expect(simulator.ledger.filter((entry) => entry.method === 'POST')).toHaveLength(1);
    });

    it('settled by the background reconcile meanwhile (the widget poll alone): answers cancelled', async () => {
      const { simulator, handler, statusRead, events, hold, release } = heldReadRig();
      simulator.setFault({ route: 'cancel', status: 504, commitAfterMs: 150, times: 1 });
      expect((await handler(cancelRequest('apt_alice_3d'))).status).toBe(202);
      hold();
      const reading = statusRead();
      await vi.waitFor(() => expect(events).toContain('cancel.reconciled'), { timeout: 3_000 });
      release();
      expect(await reading).toMatchObject({ status: 'cancelled' });
    });
  });

  it('is not_cancelled again once a refused cancel is over', async () => {
    await start();
    const refused = await send(cancelRequest('apt_alice_3d', { body: { reasonCode: 'practitioner_late' } }));
    expect(refused.status).toBe(400);
    expect(await status('apt_alice_3d')).toEqual({ cancellation: null, status: 'not_cancelled' });
  });
});
