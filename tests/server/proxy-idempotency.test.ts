/**
 * What an Idempotency-Key binds, and when. A key is bound to its request once the proxy has sent
 * Heim the cancel; a refusal decided before that changed nothing, so the same key may come back
 * with a corrected body. A retry that is answered from what its key already got is not a new
 * attempt (the rate limit does not count it), and what is kept for a key follows Heim's later
 * amendments, as the reads do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TestBackend } from '../support/backend';
import { cancelRequest, FIXED_NOW, freshKey, json, readAppointment, startAsAlice } from './helpers';

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

  it('still binds a key once Heim was sent the cancel: another body is 422 and nothing more is sent', async () => {
    await start();
    const key = freshKey();
    expect((await send(cancelRequest('apt_alice_3d', { key }))).status).toBe(200);
    const reused = await send(cancelRequest('apt_alice_3d', { key, body: { reasonCode: 'no_longer_required' } }));
    expect(reused.status).toBe(422);
    expect(upstreamPosts()).toHaveLength(1);
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
