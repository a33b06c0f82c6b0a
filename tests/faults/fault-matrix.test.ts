/**
 * The fault matrix (issue 4): every fault the simulator can inject, applied to the cancel POST and
 * to the GET that reconciles a lost answer. In every cell, what the patient is finally told (the
 * cancel answer, then the status polling the widget does) must equal what the simulated Heim
 * holds, with at most one upstream POST, inside the time budget. A gateway's 502/503 leaves the
 * attempt pending for GATEWAY_GRACE_MS (Heim may still carry it out), so the patient's polling here
 * comes back once past it, on the proxy's clock, before anything may be called "not cancelled".
 */
import { describe, expect, it } from 'vitest';
import { GATEWAY_GRACE_MS } from '../../src/server/heim-assumptions';
import type { Fault } from '../../src/simulator';
import { createTestBackend } from '../support/backend';
import { cancelRequest, freshKey, json } from '../server/helpers';

const UPSTREAM_TIMEOUT_MS = 250;
const HANG_MS = 600;
const BUDGET_MS = 6_000;
const APPOINTMENT = 'apt_alice_3d';

type FaultShape = Omit<Fault, 'route'>;

/** Each fault as it applies to the cancel POST (committed ones change Heim before failing). */
const FAULTS: Record<string, FaultShape> = {
  'added latency (within the timeout)': { latencyMs: 60 },
  '500': { status: 500 },
  '502 with an HTML body': { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' },
  '503 with Retry-After': { status: 503, headers: { 'retry-after': '30' } },
  '429': { status: 429, headers: { 'retry-after': '1' } },
  'committed, then hang': { commit: true, latencyMs: HANG_MS },
  'committed, then reset': { commit: true, transport: 'reset' },
  'malformed JSON (committed)': { commit: true, status: 200, body: '{"id": "can_' },
  'connection refused': { transport: 'refused' },
};

/** The same fault on a GET: nothing to commit. */
const onGet = ({ commit: _commit, ...fault }: FaultShape): FaultShape => fault;

type Seen = 'cancelled' | 'not_cancelled' | 'pending_confirmation';

async function runCell(faults: Fault[]): Promise<{ seen: Seen; truth: Seen; posts: number; elapsedMs: number }> {
  let laterMs = 0;
  const backend = await createTestBackend({
    now: () => Date.now() + laterMs,
    heim: { timeoutMs: UPSTREAM_TIMEOUT_MS },
    proxy: { rateLimit: { max: 1000, windowMs: 60_000 } },
  });
  for (const fault of faults) backend.simulator.setFault(fault);
  const token = await backend.tokenFor('p_demo_alice');
  const send = (request: Request) => {
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${token}`);
    return backend.handler(new Request(request, { headers }));
  };

  const started = Date.now();
  const answer = await send(cancelRequest(APPOINTMENT, { key: freshKey() }));
  let seen: Seen;
  if (answer.status === 200) seen = 'cancelled';
  else if (answer.status === 409 && (await json(answer)).error.code === 'already_cancelled') seen = 'cancelled';
  else if (answer.status === 502) seen = 'not_cancelled';
  else if (answer.status === 202) {
    // What the widget does: poll the status until it is known.
    seen = 'pending_confirmation';
    for (let poll = 1; seen === 'pending_confirmation' && Date.now() - started < BUDGET_MS; poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The patient checks again after the gateway's grace (only a gateway's answer waits for it).
      if (poll === 5) laterMs = GATEWAY_GRACE_MS + 60_000;
      const status = await backend.handler(
        new Request(`http://portal.test/api/appointments/${APPOINTMENT}/cancellation`, { headers: { authorization: `Bearer ${token}` } }),
      );
      seen = (await json(status)).status as Seen;
    }
  } else throw new Error(`Unexpected answer ${answer.status}: ${await answer.text()}`);
  const elapsedMs = Date.now() - started;

  // Let any hung request finish at the simulator before reading its truth.
  await new Promise((resolve) => setTimeout(resolve, HANG_MS + 100));
  const truth: Seen = backend.simulator.getAppointment(APPOINTMENT)?.status === 'cancelled' ? 'cancelled' : 'not_cancelled';
  const posts = backend.simulator.ledger.filter((entry) => entry.method === 'POST').length;
  await backend.close();
  return { seen, truth, posts, elapsedMs };
}

// Each cell has its own backend, so the cells run side by side.
describe.concurrent('fault matrix: the patient is told the truth', { timeout: 20_000 }, () => {
  describe.each(Object.entries(FAULTS))('%s', (_name, fault) => {
    it('on the cancel POST', async () => {
      const result = await runCell([{ route: 'cancel', times: 1, ...fault }]);
      expect(result.seen).toBe(result.truth);
      expect(result.posts).toBeLessThanOrEqual(1);
      expect(result.elapsedMs).toBeLessThan(BUDGET_MS);
    });

    it('on the reconciling GET, after a committed POST whose answer was lost', async () => {
      const result = await runCell([
        { route: 'cancel', times: 1, commit: true, latencyMs: HANG_MS },
        { route: 'cancellation', times: 1, ...onGet(fault) },
      ]);
      expect(result).toMatchObject({ seen: 'cancelled', truth: 'cancelled' });
      expect(result.posts).toBe(1);
      expect(result.elapsedMs).toBeLessThan(BUDGET_MS);
    });

    it('on the reconciling GET, after a POST Heim failed without cancelling', async () => {
      const result = await runCell([
        { route: 'cancel', times: 1, status: 500 },
        { route: 'cancellation', times: 1, ...onGet(fault) },
      ]);
      expect(result).toMatchObject({ seen: 'not_cancelled', truth: 'not_cancelled' });
      expect(result.posts).toBe(1);
      expect(result.elapsedMs).toBeLessThan(BUDGET_MS);
    });
  });
});
