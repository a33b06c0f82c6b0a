import { describe, expect, it } from 'vitest';
import { createSimulator, SimulatorStateError } from '../../src/simulator';

const NOW = Date.parse('2026-11-24T09:00:00.000Z');

describe('moveEta (Heim re-plans a route)', () => {
  it('moves the ETA that GET returns and moves updatedAt forward', async () => {
    const simulator = createSimulator({ now: () => NOW });
    const before = simulator.getAppointment('apt_alice_3d')!;
    simulator.moveEta('apt_alice_3d', '2026-11-24T20:15:00+01:00');
    const response = await simulator.fetch(
      new Request('http://sim.test/v1/appointments/apt_alice_3d', { headers: { authorization: 'test_simulator_key_0000000000' } }),
    );
    const body = await response.json();
    expect(body.estimatedTimeOfArrival).toBe('2026-11-24T19:15:00.000Z');
    expect(Date.parse(body.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    simulator.moveEta('apt_alice_3d', null);
    expect(simulator.getAppointment('apt_alice_3d')!.estimatedTimeOfArrival).toBeNull();
  });

  it('refuses an unknown appointment or a malformed instant', () => {
    const simulator = createSimulator({ now: () => NOW });
    expect(() => simulator.moveEta('apt_nobody', null)).toThrow(SimulatorStateError);
    expect(() => simulator.moveEta('apt_alice_3d', 'tomorrow')).toThrow(SimulatorStateError);
    // Without a zone it would be read in the host's own zone: a different visit on each machine.
    expect(() => simulator.moveEta('apt_alice_3d', '2026-03-29T10:30:00')).toThrow(SimulatorStateError);
  });
});
