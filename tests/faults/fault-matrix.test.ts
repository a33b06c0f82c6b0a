/**
 * The fault matrix (issue 4): every fault the simulator can inject, applied to the cancel POST and
 * to the GET that reconciles a lost answer. In every cell, what the patient is finally told (the
 * cancel answer, then the status polling the widget does) must equal what the simulated Heim
 * holds, with at most one upstream POST. A hung Heim never holds the patient's answer: it comes back
 * while the hung request is still unanswered (the proxy's own timeout bounds the wait). A gateway's
 * 502/503 leaves the attempt pending for GATEWAY_GRACE_MS (Heim may still carry it out), so the
 * patient's polling here comes back once past it, on the proxy's clock, before anything may be
 * called "not cancelled". How fast the answers come is for `npm run bench:proxy`, not for a test.
 */
import { describe, expect, it, vi } from 'vitest';
import { GATEWAY_GRACE_MS } from '../../src/server/heim-assumptions';
import type { Fault } from '../../src/simulator';
import { createTestBackend, TEST_HEIM_BASE_URL, TEST_HEIM_KEY, type TestBackend } from '../support/backend';
import { cancelRequest, freshKey, json } from '../server/helpers';

const UPSTREAM_TIMEOUT_MS = 250;
/** A hang on a reconciling GET: past the proxy's timeout. */
const HANG_MS = 600;
/**
 * A hang on the cancel POST: longer than the proxy's wait for it and for a hung reconciling GET
 * together, by far, so the patient's answer comes back while it is still unanswered.
 */
const POST_HANG_MS = 2 * HANG_MS;
/** The poll at which the proxy's clock has moved past the gateway's grace. */
const GRACE_POLL = 5;
const APPOINTMENT = 'apt_alice_3d';

type FaultShape = Omit<Fault, 'route'>;

/** Each fault as it applies to the cancel POST (committed ones change Heim before failing). */
const FAULTS: Record<string, FaultShape> = {
  'added latency (within the timeout)': { latencyMs: 60 },
  '500': { status: 500 },
  '502 with an HTML body': { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' },
  '503 with Retry-After': { status: 503, headers: { 'retry-after': '30' } },
  '429': { status: 429, headers: { 'retry-after': '1' } },
  'committed, then hang': { commit: true, latencyMs: POST_HANG_MS },
  'committed, then reset': { commit: true, transport: 'reset' },
  'malformed JSON (committed)': { commit: true, status: 200, body: '{"id": "can_' },
  'connection refused': { transport: 'refused' },
};

/** The same fault on a GET: nothing to commit, and a hang of HANG_MS. */
const onGet = ({ commit: _commit, ...fault }: FaultShape): FaultShape =>
  fault.latencyMs === POST_HANG_MS ? { ...fault, latencyMs: HANG_MS } : fault;

type Seen = 'cancelled' | 'not_cancelled' | 'pending_confirmation';

interface CellResult {
  seen: Seen;
  truth: Seen;
  /** Upstream POSTs, once Heim has answered every request (a hung one included). */
  posts: number;
  /**
   * Requests Heim had not yet answered when the patient got the cancel's answer (among those it had
   * received before the last one it answered by then): the hung ones the proxy stopped waiting for.
   */
  unansweredAtAnswer: number;
  /** Status polls the patient made after a 202. */
  polls: number;
}

/**
 * Resolves once the simulator has answered every request it received, a hung one included. The
 * ledger numbers requests as they arrive and lists them once answered: a read of our own is
 * numbered after every earlier request, so when the ledger holds as many entries as that number,
 * nothing is still in flight.
 */
async function heimIdle(backend: TestBackend): Promise<void> {
  await backend.simulator.fetch(new Request(`${TEST_HEIM_BASE_URL}/appointments/${APPOINTMENT}`, { headers: { authorization: TEST_HEIM_KEY } }));
  const last = Math.max(...backend.simulator.ledger.map((entry) => entry.seq));
  await vi.waitFor(() => expect(backend.simulator.ledger).toHaveLength(last), { timeout: 10 * POST_HANG_MS, interval: 20 });
}

async function runCell(faults: Fault[]): Promise<CellResult> {
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
  const upstreamPosts = () => backend.simulator.ledger.filter((entry) => entry.method === 'POST').length;

  const answer = await send(cancelRequest(APPOINTMENT, { key: freshKey() }));
  const answeredBefore = new Set(backend.simulator.ledger.map((entry) => entry.seq));
  let seen: Seen;
  let polls = 0;
  if (answer.status === 200) seen = 'cancelled';
  else if (answer.status === 409 && (await json(answer)).error.code === 'already_cancelled') seen = 'cancelled';
  else if (answer.status === 502) seen = 'not_cancelled';
  else if (answer.status === 202) {
    // What the widget does: poll the status until it is known (bounded by polls, not by time).
    seen = 'pending_confirmation';
    while (seen === 'pending_confirmation' && polls < 2 * GRACE_POLL) {
      polls += 1;
      // The patient checks again after the gateway's grace (only a gateway's answer waits for it).
      if (polls === GRACE_POLL) laterMs = GATEWAY_GRACE_MS + 60_000;
      const status = await backend.handler(
        new Request(`http://portal.test/api/appointments/${APPOINTMENT}/cancellation`, { headers: { authorization: `Bearer ${token}` } }),
      );
      seen = (await json(status)).status as Seen;
    }
  } else throw new Error(`Unexpected answer ${answer.status}: ${await answer.text()}`);

  // Let any hung request finish at the simulator before reading its truth.
  await heimIdle(backend);
  const truth: Seen = backend.simulator.getAppointment(APPOINTMENT)?.status === 'cancelled' ? 'cancelled' : 'not_cancelled';
  const posts = upstreamPosts();
  const lastAnswered = Math.max(...answeredBefore);
  const unansweredAtAnswer = backend.simulator.ledger.filter((entry) => entry.seq < lastAnswered && !answeredBefore.has(entry.seq)).length;
  await backend.close();
  return { seen, truth, posts, polls, unansweredAtAnswer };
}

/** How many of a cell's faults hang a request past the proxy's timeout. */
const hangs = (faults: Fault[]) => faults.filter((fault) => fault.latencyMs !== undefined && fault.latencyMs > UPSTREAM_TIMEOUT_MS).length;

/** What holds in every cell, besides its own truth. */
function expectBounded(result: CellResult, faults: Fault[]): void {
  // Told by the first poll past the gateway's grace at the latest, never left pending.
  expect(result.polls).toBeLessThanOrEqual(GRACE_POLL);
  // Answered on the proxy's own timeout while Heim still hung, not when Heim got round to it.
  expect(result.unansweredAtAnswer).toBe(hangs(faults));
}

// Each cell has its own backend, so the cells run side by side.
describe.concurrent('fault matrix: the patient is told the truth', { timeout: 20_000 }, () => {
  describe.each(Object.entries(FAULTS))('%s', (_name, fault) => {
    it('on the cancel POST', async () => {
      const faults: Fault[] = [{ route: 'cancel', times: 1, ...fault }];
      const result = await runCell(faults);
      expect(result.seen).toBe(result.truth);
      expect(result.posts).toBeLessThanOrEqual(1);
      expectBounded(result, faults);
    });

    it('on the reconciling GET, after a committed POST whose answer was lost', async () => {
      const faults: Fault[] = [
        { route: 'cancel', times: 1, commit: true, latencyMs: POST_HANG_MS },
        { route: 'cancellation', times: 1, ...onGet(fault) },
      ];
      const result = await runCell(faults);
      expect(result).toMatchObject({ seen: 'cancelled', truth: 'cancelled' });
      expect(result.posts).toBe(1);
      expectBounded(result, faults);
    });

    it('on the reconciling GET, after a POST Heim failed without cancelling', async () => {
      const faults: Fault[] = [
        { route: 'cancel', times: 1, status: 500 },
        { route: 'cancellation', times: 1, ...onGet(fault) },
      ];
      const result = await runCell(faults);
      expect(result).toMatchObject({ seen: 'not_cancelled', truth: 'not_cancelled' });
      expect(result.posts).toBe(1);
      expectBounded(result, faults);
    });
  });
});
