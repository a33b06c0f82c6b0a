/** The real demo (proxy + simulator on loopback) on the truth's clock, and visits at known instants. */
import type { RunningDemo } from '../../src/demo/run-demo';
import { startBuiltDemo } from './demo-server';
import type { TruthClock } from './time-truth-clock';

/** The demo patient whose visits the time tests add (she has few seeded ones, none named like ours). */
export const TIME_PATIENT = { id: 'p_demo_chloe', name: 'Chloe Evans' } as const;

/** The proxy's default charge window (24 h). */
export const WINDOW_MS = 24 * 3_600_000;

export function startTimeDemo(truth: TruthClock): Promise<RunningDemo> {
  return startBuiltDemo({ now: truth.now });
}

/** Adds a scheduled visit for TIME_PATIENT whose ETA is `etaMs`; its title is how tests find it. */
export function addVisit(demo: RunningDemo, visit: { id: string; title: string; etaMs: number }): void {
  demo.simulator.addAppointment({
    id: visit.id,
    status: 'scheduled',
    estimatedTimeOfArrival: new Date(visit.etaMs).toISOString(),
    patient: { ...TIME_PATIENT },
    serviceName: visit.title,
    location: { line1: '1 Clockmakers Row', city: 'London', postcode: 'EC1V 0AA' },
  });
}

/** Requests the simulator received that cancel something: what "sent upstream" means. */
export function upstreamCancels(demo: RunningDemo) {
  return demo.simulator.ledger.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/cancel'));
}
