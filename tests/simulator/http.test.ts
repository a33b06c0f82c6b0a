import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index';
import { KEY, T0, VALID_CANCEL } from './support';

let running: RunningSimulator | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('startSimulator over real loopback HTTP', () => {
  it('listens on an ephemeral loopback port and serves /v1 with the key', async () => {
    running = await startSimulator({ now: () => T0 });
    expect(running.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.baseUrl).toBe(`${running.origin}/v1`);

    const unauthenticated = await fetch(`${running.baseUrl}/appointments/apt_alice_3d`);
    expect(unauthenticated.status).toBe(401);

    const response = await fetch(`${running.baseUrl}/appointments/apt_alice_3d`, { headers: { Authorization: KEY } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toMatchObject({ id: 'apt_alice_3d', status: 'scheduled' });
  });

  it('cancels once, answers the duplicate with 409, and ledgers what went over the wire', async () => {
    running = await startSimulator({ now: () => T0 });
    const post = () =>
      fetch(`${running?.baseUrl}/appointments/apt_alice_5h/cancel`, {
        method: 'POST',
        headers: { Authorization: KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify(VALID_CANCEL),
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(409);

    const ledger = (await (await fetch(`${running.origin}/_sim/ledger`)).json()) as { entries: { headers: Record<string, string>; body: string; status: number }[] };
    expect(ledger.entries.map((e) => e.status)).toEqual([200, 409]);
    const first = ledger.entries[0];
    expect(first?.body).toBe(JSON.stringify(VALID_CANCEL));
    expect(first?.headers['authorization']).toBe(KEY);
    expect(first?.headers['content-type']).toBe('application/json');
    expect(first?.headers['host']).toBe(new URL(running.origin).host);
    expect(running.simulator.ledger).toHaveLength(2);

    const cancellation = await fetch(`${running.baseUrl}/appointments/apt_alice_5h/cancellation`, { headers: { Authorization: KEY } });
    expect((await cancellation.json()) as unknown).toMatchObject({ appointmentId: 'apt_alice_5h', reasonCode: 'patient_unwell' });
  });

  it('drives faults, amendments and reset through /_sim over HTTP', async () => {
    running = await startSimulator({ now: () => T0 });
    const control = (path: string, method: string, body?: unknown) =>
      fetch(`${running?.origin}/_sim${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    expect((await control('/faults', 'POST', { route: 'cancel', status: 503, commit: true, times: 1 })).status).toBe(204);
    const faulted = await fetch(`${running.baseUrl}/appointments/apt_alice_30h/cancel`, {
      method: 'POST',
      headers: { Authorization: KEY },
      body: JSON.stringify(VALID_CANCEL),
    });
    expect(faulted.status).toBe(503);
    expect(running.simulator.getAppointment('apt_alice_30h')?.status).toBe('cancelled');

    const amended = await control('/appointments/apt_alice_30h/amend', 'POST', { reasonCode: 'no_longer_required' });
    expect(amended.status).toBe(200);
    const read = await fetch(`${running.baseUrl}/appointments/apt_alice_30h/cancellation`, { headers: { Authorization: KEY } });
    expect(((await read.json()) as { reasonCode: string }).reasonCode).toBe('no_longer_required');

    expect((await control('/reset', 'POST')).status).toBe(204);
    expect(running.simulator.getAppointment('apt_alice_30h')?.status).toBe('scheduled');
    expect(running.simulator.ledger).toEqual([]);
  });

  it('stops accepting connections after close()', async () => {
    const server = await startSimulator();
    await fetch(`${server.baseUrl}/appointments`, { headers: { Authorization: KEY } });
    await server.close();
    await expect(fetch(`${server.baseUrl}/appointments`, { headers: { Authorization: KEY } })).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    running = await startSimulator();
    const port = Number(new URL(running.origin).port);
    await expect(startSimulator({ port })).rejects.toThrow(/EADDRINUSE/);
  });
});
