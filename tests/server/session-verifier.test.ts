/**
 * The proxy remembers tokens it has verified (WebCrypto was three quarters of its CPU per read).
 * Remembering must never widen what is accepted: an expired token is refused even when
 * remembered, and a token that failed once is checked again, never trusted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPatientSession, createSessionVerifier, sessionKey } from '../../src/server';

const SECRET = 'session-verifier-test-secret-0123456789abcdef';
const OTHER = 'another-secret-entirely-0123456789abcdefghij';
const bearer = (token: string) => new Request('http://proxy.test/api/appointments/apt_x', { headers: { authorization: `Bearer ${token}` } });

afterEach(() => {
  vi.useRealTimers();
});

describe('createSessionVerifier', () => {
  it('accepts a valid token again and again, and refuses it from the second it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-24T09:00:00Z'));
    const verify = createSessionVerifier(sessionKey(SECRET));
    const token = await createPatientSession({ secret: SECRET, patientId: 'p_alice', expiresInSeconds: 60 });
    expect(await verify(bearer(token))).toEqual({ patientId: 'p_alice' });
    expect(await verify(bearer(token))).toEqual({ patientId: 'p_alice' });
    vi.setSystemTime(Date.parse('2026-11-24T09:00:59Z'));
    expect(await verify(bearer(token))).toEqual({ patientId: 'p_alice' });
    vi.setSystemTime(Date.parse('2026-11-24T09:01:00Z'));
    expect(await verify(bearer(token))).toBeNull();
    // And stays refused: nothing brings a forgotten token back but jose, which refuses it too.
    expect(await verify(bearer(token))).toBeNull();
  });

  it('never remembers a token that failed: tampered, signed with another secret, or not a patient', async () => {
    const verify = createSessionVerifier(sessionKey(SECRET));
    const foreign = await createPatientSession({ secret: OTHER, patientId: 'p_alice' });
    expect(await verify(bearer(foreign))).toBeNull();
    expect(await verify(bearer(foreign))).toBeNull();

    const good = await createPatientSession({ secret: SECRET, patientId: 'p_alice' });
    const [header, payload, signature] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'p_mallory', exp: 4_102_444_800 })).toString('base64url');
    const tampered = `${header}.${forgedPayload}.${signature}`;
    expect(await verify(bearer(good))).toEqual({ patientId: 'p_alice' });
    expect(await verify(bearer(tampered))).toBeNull();
    expect(await verify(bearer(`${header}.${payload}.${signature!.slice(0, -2)}AA`))).toBeNull();

    const notAPatient = await createPatientSession({ secret: SECRET, patientId: 'admin' });
    expect(await verify(bearer(notAPatient))).toBeNull();
  });

  it('keeps patients apart: each token maps to its own patient', async () => {
    const verify = createSessionVerifier(sessionKey(SECRET));
    const alice = await createPatientSession({ secret: SECRET, patientId: 'p_alice' });
    const bilal = await createPatientSession({ secret: SECRET, patientId: 'p_bilal' });
    for (let round = 0; round < 3; round += 1) {
      expect(await verify(bearer(alice))).toEqual({ patientId: 'p_alice' });
      expect(await verify(bearer(bilal))).toEqual({ patientId: 'p_bilal' });
    }
    expect(await verify(new Request('http://proxy.test/'))).toBeNull();
  });
});
