/**
 * What an Idempotency-Key binds, and when. A key is bound to its request once the proxy has sent
 * Heim the cancel; a refusal decided before that changed nothing, so the same key may come back
 * with a corrected body. A retry that is answered from what its key already got is not a new
 * attempt (the rate limit does not count it), and what is kept for a key follows Heim's later
 * amendments, as the reads do. A key binds every field of its request, and only within its own
 * patient: another patient's replay of it is their own request, never an answer of someone else's.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEST_PORTAL_ORIGIN, type TestBackend } from '../support/backend';
import { cancelRequest, FIXED_NOW, freshKey, json, readAppointment, startAsAlice } from './helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let backend: TestBackend;
let send: (request: Request) => Promise<Response>;
afterEach(() => backend.close());

async function start(options: Parameters<typeof startAsAlice>[0] = {}): Promise<void> {
  ({ backend, send } = await startAsAlice({ now: () => FIXED_NOW, ...options }));
}
const upstreamPosts = () => backend.simulator.ledger.filter((entry) => entry.method === 'POST');

describe('a refusal before anything reached Heim leaves the key free', () => {
  it('takes the same key again with the acknowledgement after a 409 charge_acknowledgement_required', async () => {
    await start();
    const key = freshKey();
    const unacknowledged = await send(cancelRequest('apt_alice_5h', { key }));
    expect(unacknowledged.status).toBe(409);
    expect((await json(unacknowledged)).error.code).toBe('charge_acknowledgement_required');
    expect(upstreamPosts()).toHaveLength(0);

    const acknowledged = await send(cancelRequest('apt_alice_5h', { key, body: { reasonCode: 'patient_unwell', acknowledgeCharge: true } }));
    expect(acknowledged.status).toBe(200);
    expect((await json(acknowledged)).status).toBe('cancelled');
    expect(upstreamPosts()).toHaveLength(1);
  });

  it('takes the same key again with another reason after a reason not allowed now (400)', async () => {
    await start();
    const key = freshKey();
    const early = await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'practitioner_late' } }));
    expect(early.status).toBe(400);
    expect(upstreamPosts()).toHaveLength(0);

    const corrected = await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'patient_unwell' } }));
    expect(corrected.status).toBe(200);
    expect(upstreamPosts()).toHaveLength(1);
  });

  it('frees the key when the refusal is thrown before anything was sent (Heim unreadable: 502), so a corrected body is not 422', async () => {
    await start();
    const key = freshKey();
    backend.simulator.setFault({ route: 'appointment', status: 500, times: 1 });
    const unreadable = await send(cancelRequest('apt_alice_5h', { key }));
    expect(unreadable.status).toBe(502);
    expect(upstreamPosts()).toHaveLength(0);

    const corrected = await send(cancelRequest('apt_alice_5h', { key, body: { reasonCode: 'patient_unwell', acknowledgeCharge: true } }));
    expect(corrected.status).toBe(200);
    expect(upstreamPosts()).toHaveLength(1);
  });

  // Every field of the request is part of what the key binds: a retry differing in any one of them
  // is another request, and replaying the first answer to it would tell the patient something false.
  it.each([
    ['reasonCode', 'apt_alice_3d', { reasonCode: 'no_longer_required' }],
    ['note', 'apt_alice_3d', { reasonCode: 'patient_unwell', note: 'Feeling better, thanks.' }],
    ['acknowledgeCharge', 'apt_alice_3d', { reasonCode: 'patient_unwell', acknowledgeCharge: true }],
    ['appointmentId', 'apt_alice_30h', { reasonCode: 'patient_unwell' }],
  ])('still binds a key once Heim was sent the cancel: another %s is 422 and nothing more is sent', async (_field, appointmentId, body) => {
    await start();
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'patient_unwell' } }))).status).toBe(200);
    const reused = await send(cancelRequest(appointmentId, { key, body }));
    expect(reused.status).toBe(422);
    expect((await json(reused)).error.code).toBe('idempotency_key_reused');
    expect(upstreamPosts()).toHaveLength(1);
  });
});

describe('a key is bound within one patient', () => {
  /** Sends as another signed-in patient (Alice's `send` stays hers). */
  async function sendAs(patientId: string): Promise<(request: Request) => Promise<Response>> {
    const token = await backend.tokenFor(patientId);
    return (request) => {
      const headers = new Headers(request.headers);
      headers.set('authorization', `Bearer ${token}`);
      return backend.handler(new Request(request, { headers }));
    };
  }

  it("answers another patient's replay of a used key as their own request: 404 for an appointment not theirs, nothing sent", async () => {
    await start();
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);
    const postsBefore = upstreamPosts();

    const bilal = await sendAs('p_demo_bilal');
    const replayed = await bilal(cancelRequest('apt_alice_3d', { key }));
    expect(replayed.status).toBe(404);
    const text = await replayed.text();
    expect(JSON.parse(text).error.code).toBe('not_found');
    expect(text).not.toContain('can_sim_');
    expect(upstreamPosts()).toEqual(postsBefore);
  });

  it("runs another patient's cancel of their own appointment under a key Alice used, not 422", async () => {
    await start();
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);

    const bilal = await sendAs('p_demo_bilal');
    const own = await bilal(cancelRequest('apt_bilal_3d', { key }));
    expect(own.status).toBe(200);
    expect((await json(own)).status).toBe('cancelled');
    expect(upstreamPosts().map((entry) => entry.path)).toEqual(['/v1/appointments/apt_alice_3d/cancel', '/v1/appointments/apt_bilal_3d/cancel']);
  });
});

describe('a retry answered from its key is not a new attempt', () => {
  it('answers retries of a cancelled request with its 200, never 429, while new attempts are still limited', async () => {
    await start({ proxy: { rateLimit: { max: 2, windowMs: 60_000 } } });
    const key = freshKey();
    const first = await send(cancelRequest('apt_alice_3d', { key }));
    expect(first.status).toBe(200);
    const firstText = await first.text();
    for (let i = 0; i < 5; i += 1) {
      const retry = await send(cancelRequest('apt_alice_3d', { key }));
      expect(retry.status).toBe(200);
      expect(await retry.text()).toBe(firstText);
    }
    // The limit still holds for new keys: the second attempt is allowed, the third is not.
    expect((await send(cancelRequest('apt_bilal_3d'))).status).toBe(404);
    expect((await send(cancelRequest('apt_alice_30h'))).status).toBe(429);
    expect(upstreamPosts()).toHaveLength(1);
  });

  it('counts a "retry" that has to run anew after all: one sent while its key was in flight, whose first request then ended without sending', async () => {
    await start({ proxy: { rateLimit: { max: 1, windowMs: 60_000 } } });
    const key = freshKey();
    // A: its ownership read is slow, then it is refused before Heim (no acknowledgement): the key is freed.
    backend.simulator.setFault({ route: 'appointment', latencyMs: 200, times: 1 });
    const first = send(cancelRequest('apt_alice_5h', { key }));
    await sleep(50);
    // B: the same key while A is in flight, its body arriving only after A has ended.
    let finishBody!: (text: string) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        finishBody = (text) => {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        };
      },
    });
    const headers = { 'content-type': 'application/json', 'x-requested-with': 'heim-cancel-widget', origin: TEST_PORTAL_ORIGIN, 'idempotency-key': key };
    const second = send(
      new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_5h/cancel`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit),
    );
    expect((await first).status).toBe(409);
    finishBody(JSON.stringify({ reasonCode: 'patient_unwell', acknowledgeCharge: true }));
    // B now needs a run of its own: it is a second attempt, over the limit of one.
    const limited = await second;
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(upstreamPosts()).toHaveLength(0);
  });
});

describe('a lost answer settled by a retry whose key had been forgotten', () => {
  it('keeps the settled 200 for that key: the next retry is 200 too, not already_cancelled', async () => {
    let laterMs = 0;
    await start({ now: () => FIXED_NOW + laterMs, heim: { timeoutMs: 100 } });
    backend.simulator.setFault({ route: 'cancel', latencyMs: 300, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    // A day and an hour on (the key's record has expired), and Heim has carried the cancel out.
    laterMs = 25 * 3_600_000;
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });

    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);
    const again = await send(cancelRequest('apt_alice_3d', { key }));
    expect(again.status).toBe(200);
    expect((await json(again)).status).toBe('cancelled');
    expect(upstreamPosts()).toHaveLength(1);
  });
});

describe('a lost answer settled by another request while a retry with its key waits for the lock', () => {
  it('answers the retry with the settled 200, and keeps it: never already_cancelled for its own cancel', async () => {
    // Found by proxy-interleavings.test.ts: the retry ran anew after the settling, found the
    // visit cancelled and no attempt pending, answered already_cancelled and overwrote the kept 200.
    await start({ now: () => Date.now() });
    // A gateway gives up on the POST and Heim carries it out a moment later: pending (202).
    backend.simulator.setFault({ route: 'cancel', status: 504, commitAfterMs: 50, times: 1 });
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });

    // Another tab's cancel takes the appointment's lock and settles the attempt, its cancellation
    // read slowly, so the retry with the key arrives while it holds the lock.
    backend.simulator.clearLedger();
    backend.simulator.setFault({ route: 'cancellation', latencyMs: 300, times: 1 });
    const otherTab = send(cancelRequest('apt_alice_3d'));
    await vi.waitFor(() => expect(backend.simulator.ledger.some((entry) => entry.method === 'GET')).toBe(true), { timeout: 2000 });
    const retry = send(cancelRequest('apt_alice_3d', { key }));

    expect((await json(await otherTab)).error.code).toBe('already_cancelled');
    const settled = await retry;
    expect(settled.status).toBe(200);
    expect((await json(settled)).status).toBe('cancelled');
    const again = await send(cancelRequest('apt_alice_3d', { key }));
    expect(again.status).toBe(200);
    expect(upstreamPosts()).toHaveLength(0);
  });
});

describe("a key used again for another visit after its day, while the first visit's lost answer is pending", () => {
  it("never gets the first visit's 200 when that attempt is settled while it waits: the other visit is decided on its own", async () => {
    // From the session-11 diff review: the settling wrote its 200 into whatever record the key
    // had then, the new visit's, and the request waiting on that visit's lock returned it, so the
    // patient was told "cancelled" for a visit Heim never cancelled.
    let laterMs = 0;
    await start({ now: () => Date.now() + laterMs });
    const key = freshKey();
    // Day 0, visit X: the gateway gives up, Heim carries the cancel out; its cancellation GET fails for now.
    backend.simulator.setFault({ route: 'cancel', status: 504, commitAfterMs: 50, times: 1 });
    backend.simulator.setFault({ route: 'cancellation', status: 500 });
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(202);
    await vi.waitFor(() => expect(backend.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled'), { timeout: 2000 });

    // A day and an hour on (the key's record has expired, X still pending): another request holds
    // visit Y's lock, reading Y slowly, when the key comes again for Y.
    laterMs = 25 * 3_600_000;
    backend.simulator.clearLedger();
    backend.simulator.setFault({ route: 'appointment', latencyMs: 300, times: 1 });
    const holder = send(cancelRequest('apt_alice_noeta', { body: { reasonCode: 'practitioner_late' } }));
    // (The ledger records a request once answered, so only a pause orders these two.)
    await sleep(50);
    const reused = send(cancelRequest('apt_alice_noeta', { key }));
    await sleep(20);
    // Meanwhile a read of X finds its cancellation and settles X's attempt as ours.
    backend.simulator.clearFaults();
    const xStatus = await send(new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_3d/cancellation`));
    expect((await json(xStatus)).status).toBe('cancelled');

    expect((await holder).status).toBe(400);
    const answer = await reused;
    const body = await json(answer);
    // Y is decided on its own: cancelled at Heim by this request, never X's cancellation.
    expect(answer.status).toBe(200);
    expect(backend.simulator.getAppointment('apt_alice_noeta')?.status).toBe('cancelled');
    expect(body.cancellation.id).toBe(backend.simulator.getCancellation('apt_alice_noeta')?.id);
    expect(body.cancellation.id).not.toBe(backend.simulator.getCancellation('apt_alice_3d')?.id);
  });
});

describe('an already_cancelled is kept only with the cancellation the contract gives it', () => {
  it('answers a retry with the existing cancellation when the first answer could not include it', async () => {
    await start();
    const key = freshKey();
    // Heim carries the cancel out but refuses it (4xx), and its cancellation read then fails:
    // the appointment reads cancelled, so the answer is already_cancelled, without the details.
    backend.simulator.setFault({ route: 'cancel', status: 409, commit: true, times: 1 });
    backend.simulator.setFault({ route: 'cancellation', status: 500, times: 1 });
    const first = await send(cancelRequest('apt_alice_3d', { key }));
    expect(first.status).toBe(409);
    const firstBody = await json(first);
    expect(firstBody.error.code).toBe('already_cancelled');
    expect(firstBody.error.cancellation).toBeUndefined();

    const retry = await send(cancelRequest('apt_alice_3d', { key }));
    expect(retry.status).toBe(409);
    const retryBody = await json(retry);
    expect(retryBody.error.code).toBe('already_cancelled');
    expect(retryBody.error.cancellation).toMatchObject({ reasonCode: 'patient_unwell', cancellingEntity: 'patient' });
    expect(upstreamPosts()).toHaveLength(1);
  });
});

describe('what is kept for a key follows Heim', () => {
  it('answers a retry after an amendment by Heim Operations with the cancellation as Heim now holds it', async () => {
    await start();
    const key = freshKey();
    const first = await json(await send(cancelRequest('apt_alice_3d', { key })));
    expect(first.cancellation.causingEntity).toBe('patient');

    backend.simulator.amendCancellation('apt_alice_3d', { causingEntity: 'platform' });
    // The patient's page reads the cancellation again (a webhook refreshes it the same way).
    const read = await readAppointment(send, 'apt_alice_3d', '/cancellation');
    expect(read.cancellation.causingEntity).toBe('platform');

    const retry = await json(await send(cancelRequest('apt_alice_3d', { key })));
    expect(retry.status).toBe('cancelled');
    expect(retry.cancellation).toEqual(read.cancellation);
    // The charge is the one told when Heim recorded the cancel: an amendment does not move it.
    expect(retry.charge).toEqual(first.charge);
    expect(upstreamPosts()).toHaveLength(1);
  });
});
