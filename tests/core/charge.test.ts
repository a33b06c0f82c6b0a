import { describe, expect, it } from 'vitest';
import { chargeAtRecording, chargeStateAt, computeCharge, laterChargeState, nextChargeTransitionMs, requiresChargeAcknowledgement } from '../../src/core/charge';

const H = 3_600_000;
const eta = Date.parse('2026-11-25T10:30:00.000Z');

describe('charge rule', () => {
  it('is no_eta without an ETA, whatever the time', () => {
    expect(computeCharge(null, 24, eta)).toEqual({ state: 'no_eta', windowHours: 24, chargeableFrom: null });
    expect(nextChargeTransitionMs(null, 24, eta)).toBeNull();
  });

  it('is free until exactly ETA − window, chargeable from that instant, due from the ETA', () => {
    expect(chargeStateAt(eta, 24, eta - 24 * H - 1)).toBe('free');
    expect(chargeStateAt(eta, 24, eta - 24 * H)).toBe('chargeable');
    expect(chargeStateAt(eta, 24, eta - 1)).toBe('chargeable');
    expect(chargeStateAt(eta, 24, eta)).toBe('due');
    expect(chargeStateAt(eta, 24, eta + 30 * 60_000)).toBe('due');
  });

  it('reports chargeableFrom as an ISO instant and honours the configured window', () => {
    expect(computeCharge(eta, 24, eta - 3 * 24 * H)).toEqual({
      state: 'free',
      windowHours: 24,
      chargeableFrom: '2026-11-24T10:30:00.000Z',
    });
    expect(computeCharge(eta, 48, eta - 30 * H).state).toBe('chargeable');
    expect(computeCharge(eta, 2, eta - 3 * H).state).toBe('free');
  });

  it('measures the window in elapsed time across a clock change', () => {
    // 25 October 2026: BST ends, so the calendar day before the ETA is 25 hours long.
    const etaAfterChange = Date.parse('2026-10-25T12:00:00.000Z');
    expect(computeCharge(etaAfterChange, 24, etaAfterChange).chargeableFrom).toBe('2026-10-24T12:00:00.000Z');
  });

  it('names the next transition so the widget can flip exactly on time', () => {
    expect(nextChargeTransitionMs(eta, 24, eta - 30 * H)).toBe(eta - 24 * H);
    expect(nextChargeTransitionMs(eta, 24, eta - 5 * H)).toBe(eta);
    expect(nextChargeTransitionMs(eta, 24, eta + 1)).toBeNull();
  });

  it('asks for an acknowledgement only when a charge may apply', () => {
    expect(requiresChargeAcknowledgement('no_eta')).toBe(false);
    expect(requiresChargeAcknowledgement('free')).toBe(false);
    expect(requiresChargeAcknowledgement('chargeable')).toBe(true);
    expect(requiresChargeAcknowledgement('due')).toBe(true);
  });
});

describe('laterChargeState', () => {
  it('takes the proxy’s state when it is further on, never moves back, and leaves no_eta alone', () => {
    expect(laterChargeState('free', 'chargeable')).toBe('chargeable');
    expect(laterChargeState('chargeable', 'due')).toBe('due');
    expect(laterChargeState('due', 'free')).toBe('due');
    expect(laterChargeState('chargeable', undefined)).toBe('chargeable');
    expect(laterChargeState('no_eta', 'due')).toBe('no_eta');
  });
});

describe('chargeAtRecording: the charge shown, as it stands when Heim recorded the cancel', () => {
  const shownFree = computeCharge(eta, 24, eta - 25 * H);

  it('is the state at the recording instant for the shown charge\'s ETA, as the proxy\'s 200 reads it', () => {
    expect(chargeAtRecording(shownFree, eta - 24 * H - 1)).toEqual(shownFree);
    expect(chargeAtRecording(shownFree, eta - 24 * H)).toEqual({ ...shownFree, state: 'chargeable' });
    expect(chargeAtRecording(shownFree, eta)).toEqual({ ...shownFree, state: 'due' });
    for (const at of [eta - 30 * H, eta - 24 * H - 1, eta - 24 * H, eta - H, eta + H]) {
      expect(chargeAtRecording(shownFree, at)).toEqual(computeCharge(eta, 24, at));
    }
  });

  it('is free for a cancel acknowledged in the margin but recorded before the window opened', () => {
    const shownChargeable = { ...shownFree, state: 'chargeable' as const };
    expect(chargeAtRecording(shownChargeable, eta - 24 * H - 5_000).state).toBe('free');
  });

  it('keeps a charge without an ETA as it is, and a fractional window exact', () => {
    const noEta = computeCharge(null, 24, eta);
    expect(chargeAtRecording(noEta, eta)).toBe(noEta);
    const short = computeCharge(eta, 1.5, eta - 2 * H);
    expect(chargeAtRecording(short, eta - 1.5 * H - 1).state).toBe('free');
    expect(chargeAtRecording(short, eta - 1.5 * H).state).toBe('chargeable');
  });
});
