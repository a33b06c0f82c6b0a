import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createPatientSession } from '../../src/server';
import { startSimulator } from '../../src/simulator';
import { rawRequest } from '../security/raw-http';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const GOOD_ENV = {
  HEIM_API_URL: 'https://api.heim.health/v1',
  HEIM_API_KEY: 'test_bin_canary_77aa21',
  PORTAL_SESSION_SECRET: 'bin-session-secret-0123456789abcdefghij',
  HOST: '127.0.0.1',
  PORT: '0',
};

/** Resolves with the proxy's origin once the bin prints its start line. */
function startedAt(child: ReturnType<typeof spawn>, output: () => { stdout: string; stderr: string }): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line: ${JSON.stringify(output())}`)), 20_000);
    child.stdout?.on('data', () => {
      const match = /health check: (http:\/\/[^\s/]+)\/api\/healthz\)/.exec(output().stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
}

function runBin(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/bin.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}

describe('the standalone proxy (npm run proxy)', () => {
  it.each([
    ['HEIM_API_URL', { HEIM_API_URL: undefined }, 'HEIM_API_URL is required'],
    ['HEIM_API_URL', { HEIM_API_URL: 'http://api.heim.health/v1' }, 'HEIM_API_URL must be https: unless the host is loopback'],
    ['HEIM_API_URL', { HEIM_API_URL: 'https://api.heim.health' }, 'HEIM_API_URL must end with the API version path'],
    ['HEIM_API_KEY', { HEIM_API_KEY: 'sk_live_wrongprefix' }, 'HEIM_API_KEY must start with test_ or live_'],
    ['PORTAL_SESSION_SECRET', { PORTAL_SESSION_SECRET: 'short' }, 'PORTAL_SESSION_SECRET must be at least 32 bytes'],
    ['PATIENT_REASON_CODES', { PATIENT_REASON_CODES: 'patient_unwell,organisation_cancelled' }, 'PATIENT_REASON_CODES must list only patient-eligible reason codes'],
    ['PORT', { PORT: 'eighty' }, 'PORT must be a whole number'],
  ])('refuses a bad %s with one clear line and exit code 1', async (_name, override, expected) => {
    const { child, output } = runBin({ ...GOOD_ENV, ...override });
    const [code] = await once(child, 'exit');
    const { stderr } = output();
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(expected);
    expect(stderr).not.toContain('sk_live_wrongprefix');
  });

  it('names every bad variable of one start-up in its one line, and an ALLOWED_ORIGINS entry with a trailing slash', async () => {
    const { child, output } = runBin({ ...GOOD_ENV, HEIM_API_KEY: 'sk_live_wrongprefix', PORT: 'eighty', ALLOWED_ORIGINS: 'https://portal.example.org/' });
    const [code] = await once(child, 'exit');
    const { stderr } = output();
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'heim-cancel-proxy: invalid configuration: HEIM_API_KEY must start with test_ or live_ followed by letters, digits, _ or -; ALLOWED_ORIGINS entry "https://portal.example.org/" must be an origin such as https://portal.example.org: remove the trailing slash; PORT must be a whole number',
    ]);
  });

  it('prints no URL at start-up that answers 404', async () => {
    const { child, output } = runBin(GOOD_ENV);
    try {
      await startedAt(child, output);
      const startLine = output().stdout.split('\n').find((line) => line.includes('listening on'))!;
      const urls = startLine.match(/http:\/\/[^\s)]+/g) ?? [];
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect((await fetch(url)).status, url).not.toBe(404);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('starts, answers /api/healthz and stops on SIGTERM, never printing the key', async () => {
    const { child, output } = runBin(GOOD_ENV);
    const origin = await startedAt(child, output);
    const response = await fetch(`${origin}/api/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const { stdout, stderr } = output();
    expect(stdout + stderr).not.toContain(GOOD_ENV.HEIM_API_KEY);
    expect(stdout + stderr).not.toContain(GOOD_ENV.PORTAL_SESSION_SECRET);
  });

  it("answers HTTP that Node's parser refuses in the JSON envelope, not Node's plain text, and logs it", async () => {
    const { child, output } = runBin(GOOD_ENV);
    try {
      const origin = await startedAt(child, output);
      const answer = await rawRequest(origin, `GET /api/healthz HTTP/1.1\r\nHost: ${new URL(origin).host}\r\nX Bad: 1\r\n\r\n`);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body).error.code).toBe('invalid_request');
      // The line is written before the answer, but reaches this process on another pipe.
      const logged = await vi.waitFor(() => {
        const lines = output().stdout.split('\n').filter((line) => line.includes('"proxy.client_error"'));
        expect(lines).toHaveLength(1);
        return lines;
      });
      expect(JSON.parse(logged[0]!)).toMatchObject({ level: 'info', event: 'proxy.client_error', status: 400, code: 'invalid_request' });
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('on SIGTERM, lets a cancel waiting for Heim finish and answers it before exiting', async () => {
    const heimKey = 'test_bin_drain_key_3f9a0c';
    const heim = await startSimulator({ apiKeys: [heimKey], host: '127.0.0.1', port: 0 });
    try {
      heim.simulator.setFault({ route: 'cancel', latencyMs: 1_500, times: 1 });
      const { child, output } = runBin({ ...GOOD_ENV, HEIM_API_URL: heim.baseUrl, HEIM_API_KEY: heimKey, ALLOWED_ORIGINS: 'http://portal.test' });
      const origin = await startedAt(child, output);
      const token = await createPatientSession({ secret: GOOD_ENV.PORTAL_SESSION_SECRET, patientId: 'p_demo_alice' });
      const answer = fetch(`${origin}/api/appointments/apt_alice_3d/cancel`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-requested-with': 'heim-cancel-widget',
          origin: 'http://portal.test',
          cookie: `portal_session=${token}`,
          'idempotency-key': 'key_drain_0001',
        },
        body: JSON.stringify({ reasonCode: 'patient_unwell' }),
      });
      // Stopped while Heim is still working on the cancel (a deploy, a scale-down).
      await new Promise((resolve) => setTimeout(resolve, 500));
      child.kill('SIGTERM');
      const response = await answer;
      expect(response.status).toBe(200);
      expect((await response.json()).status).toBe('cancelled');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(output().stdout).toMatch(/SIGTERM: finishing requests in progress/);
      expect(heim.simulator.ledger.filter((entry) => entry.method === 'POST')).toHaveLength(1);
      expect(heim.simulator.getAppointment('apt_alice_3d')?.status).toBe('cancelled');
    } finally {
      await heim.close();
    }
  });
});
