/**
 * The secret canary: recognisable keys and secrets, fresh for each run, configured into the proxy
 * (and into the environment while the demo page is built), must appear in no built browser file,
 * no response (bodies and headers) and no log line: neither the proxy's structured logs nor
 * anything written to the console during a full flow that includes every kind of failure.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createCancelHandler, createPatientSession, startProxyServer } from '../../src/server';
import { createSimulator, signWebhook, startSimulator } from '../../src/simulator';
import { HTTP_HEIM_KEY, HTTP_SESSION_SECRET } from '../integration/loopback';
import { TEST_HEIM_KEY, TEST_PORTAL_ORIGIN, TEST_SESSION_SECRET } from '../support/backend';
import { SECURITY_WEBHOOK_SECRET, UNLIMITED, createSecurityBackend, freshIdempotencyKey } from './support';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const CANARY_KEY = `test_canary_${hex(12)}`;
const CANARY_SESSION_SECRET = `canary-session-secret-${hex(16)}`;
const CANARY_WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
/**
 * Every variable a careless `define` or `import.meta.env` could inline into a browser bundle, each
 * holding its canary while the demo page or Storybook is built.
 */
const CANARY_BUILD_ENV: Readonly<Record<string, string>> = {
  HEIM_API_KEY: CANARY_KEY,
  VITE_HEIM_API_KEY: CANARY_KEY,
  PORTAL_SESSION_SECRET: CANARY_SESSION_SECRET,
  VITE_PORTAL_SESSION_SECRET: CANARY_SESSION_SECRET,
  HEIM_WEBHOOK_SECRET: CANARY_WEBHOOK_SECRET,
  VITE_HEIM_WEBHOOK_SECRET: CANARY_WEBHOOK_SECRET,
};
const CANARY_NOTE = `canary patient words ${hex(6)}`;

/** Every secret any test configures: none may reach a browser, a response or a log. */
const ALL_SECRETS = [
  CANARY_KEY,
  CANARY_SESSION_SECRET,
  CANARY_WEBHOOK_SECRET,
  TEST_HEIM_KEY,
  TEST_SESSION_SECRET,
  HTTP_HEIM_KEY,
  HTTP_SESSION_SECRET,
  SECURITY_WEBHOOK_SECRET,
];
/** Shapes of real secrets, should one ever be pasted into a source file that is bundled. */
const SECRET_SHAPES = [/\blive_[A-Za-z0-9_-]{8,}/, /whsec_[A-Za-z0-9+/]{20,}/, /test_canary_[0-9a-f]{8,}/];

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Files under `dir`; one removed meanwhile (another run rebuilding dist/) is skipped. */
function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    try {
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    } catch {
      return [];
    }
  });
}

function readIfPresent(file: string): string {
  try {
    return readFileSync(file).toString('latin1');
  } catch {
    return '';
  }
}

function expectNoSecretIn(files: string[]): void {
  for (const file of files) {
    const content = readIfPresent(file);
    for (const secret of ALL_SECRETS) expect(content.includes(secret), `${file} holds a configured secret`).toBe(false);
    for (const shape of SECRET_SHAPES) expect(shape.test(content), `${file} matches ${shape}`).toBe(false);
  }
}

describe('no secret in any built browser file', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'heim-cancel-demo-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('builds the demo page with the canaries in the environment and finds none of them in it', async () => {
    // The same Vite build as buildDemoPage() (src/demo/build-page.ts), into a temporary directory
    // so that a concurrently served dist/demo is never emptied under anyone's feet. Every variable
    // a careless `define` or `import.meta.env` could inline holds a canary meanwhile (CANARY_BUILD_ENV).
    const { build } = await import('vite');
    const names = [...Object.keys(CANARY_BUILD_ENV), 'NODE_ENV'];
    const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    Object.assign(process.env, { ...CANARY_BUILD_ENV, NODE_ENV: 'production' });
    try {
      await build({
        configFile: `${repoRoot}vite.config.ts`,
        mode: 'production',
        logLevel: 'silent',
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const files = filesUnder(outDir);
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    expect(files.some((file) => file.endsWith('.map'))).toBe(true);
    expect(files.some((file) => file.endsWith('.html'))).toBe(true);
    expectNoSecretIn(files);
  }, 120_000);

  // dist/demo and dist/storybook are not scanned as they stand (they may be stale, or not built in
  // a fresh clone): the test above builds the demo page afresh, and this one builds Storybook
  // afresh (`npm run build-storybook`'s command, about 7 s), each with the canaries in the
  // environment.
  it('finds none in a Storybook built with the canaries in its environment', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'heim-cancel-canary-storybook-'));
    try {
      const built = spawnSync('npx', ['--no-install', 'storybook', 'build', '--quiet', '-o', outDir], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, ...CANARY_BUILD_ENV },
      });
      expect(built.status, built.stderr).toBe(0);
      const files = filesUnder(outDir);
      expect(files.some((file) => file.endsWith('.html')), 'the build holds a Storybook').toBe(true);
      expect(files.some((file) => file.endsWith('.js'))).toBe(true);
      expectNoSecretIn(files);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('no secret in any response or log line, through a full flow with every kind of failure', () => {
  const BASE = 'https://heim.test/v1';
  const responses: string[] = [];
  const consoleLines: string[] = [];
  const spies: MockInstance[] = [];

  beforeAll(() => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      spies.push(
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          consoleLines.push(args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}\n${arg.stack}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
        }),
      );
    }
  });
  afterAll(() => {
    for (const spy of spies) spy.mockRestore();
  });

  async function record(response: Response): Promise<Response> {
    const text = await response.text();
    const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    responses.push(`${response.status}\n${headers}\n\n${text}`);
    return new Response(response.status === 204 ? null : text, { status: response.status, headers: response.headers });
  }

  /** The proxy with the default logger (JSON lines on the console) and the canary key. */
  function consoleProxy(simulator = createSimulator({ apiKeys: [CANARY_KEY] }), extra: Partial<Parameters<typeof createCancelHandler>[0]> = {}) {
    const handler = createCancelHandler({
      heim: {
        baseUrl: BASE,
        apiKey: CANARY_KEY,
        timeoutMs: 150,
        fetch: async (input, init) => {
          const request = new Request(input, { ...init, signal: null });
          const work = simulator.fetch(request);
          if (!init?.signal) return work;
          const signal = init.signal;
          return new Promise<Response>((resolve, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            work.then(resolve, reject);
          });
        },
      },
      sessionSecret: CANARY_SESSION_SECRET,
      webhookSecret: CANARY_WEBHOOK_SECRET,
      allowedOrigins: [TEST_PORTAL_ORIGIN],
      ...extra,
    });
    return { simulator, handler: async (request: Request) => record(await handler(request)) };
  }

  const session = (patientId = 'p_demo_alice', secret = CANARY_SESSION_SECRET) => createPatientSession({ secret, patientId });
  const cancel = (token: string | null, id: string, body: unknown, headers: Record<string, string> = {}, key = freshIdempotencyKey()) =>
    new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/${id}/cancel`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-requested-with': 'heim-cancel-widget',
        origin: TEST_PORTAL_ORIGIN,
        'idempotency-key': key,
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const read = (token: string, path: string) =>
    new Request(`${TEST_PORTAL_ORIGIN}/api${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('the happy path, every refusal, and every upstream failure, on the console logger', async () => {
    // The limit has its own part below; here it would turn later refusals into 429s.
    const { simulator, handler } = consoleProxy(undefined, { rateLimit: UNLIMITED });
    const alice = await session();
    const bilal = await session('p_demo_bilal');

    // Reads and a successful cancel with a note, then its retry and a second attempt.
    expect((await handler(read(alice, '/appointments/apt_alice_3d'))).status).toBe(200);
    const key = freshIdempotencyKey();
    expect((await handler(cancel(alice, 'apt_alice_3d', { reasonCode: 'patient_unwell', note: CANARY_NOTE }, {}, key))).status).toBe(200);
    expect((await handler(cancel(alice, 'apt_alice_3d', { reasonCode: 'patient_unwell', note: CANARY_NOTE }, {}, key))).status).toBe(200);
    expect((await handler(cancel(alice, 'apt_alice_3d', { reasonCode: 'patient_unwell' }))).status).toBe(409);
    expect((await handler(read(alice, '/appointments/apt_alice_3d/cancellation'))).status).toBe(200);

    // Refusals of every kind.
    const expired = await createPatientSession({ secret: CANARY_SESSION_SECRET, patientId: 'p_demo_alice', expiresInSeconds: -60 });
    const forged = await session('p_demo_alice', `${CANARY_SESSION_SECRET}-other`);
    const refusals: [Request, number][] = [
      [cancel(null, 'apt_alice_30h', { reasonCode: 'patient_unwell' }), 401],
      [cancel(expired, 'apt_alice_30h', { reasonCode: 'patient_unwell' }), 401],
      [cancel(forged, 'apt_alice_30h', { reasonCode: 'patient_unwell' }), 401],
      [cancel(CANARY_KEY, 'apt_alice_30h', { reasonCode: 'patient_unwell' }), 401],
      [cancel(alice, 'apt_alice_30h', { reasonCode: 'patient_unwell' }, { origin: 'https://evil.example' }), 403],
      [cancel(alice, 'apt_alice_30h', { reasonCode: 'patient_unwell' }, { 'content-type': 'text/plain' }), 403],
      [cancel(alice, 'apt_alice_30h', { reasonCode: 'patient_unwell' }, { 'content-type': 'application/xml' }), 415],
      [cancel(alice, 'apt_alice_30h', { reasonCode: 'patient_unwell', note: 'x'.repeat(20_000) }), 413],
      [cancel(alice, 'apt_alice_30h', '{"reasonCode":'), 400],
      [cancel(alice, 'apt_alice_30h', { reasonCode: 'patient_unwell', apiKey: CANARY_KEY }), 400],
      [cancel(alice, 'apt_alice_30h', `{"reasonCode":"patient_unwell","${CANARY_KEY}":1}`), 400],
      [cancel(alice, 'apt_alice_30h', '{"reasonCode":"patient_unwell","reasonCode":"no_longer_required"}'), 400],
      [cancel(alice, 'apt_alice_30h', { reasonCode: 'organisation_cancelled' }), 400],
      [cancel(alice, 'apt_alice_5h', { reasonCode: 'patient_unwell' }), 409],
      [cancel(alice, 'apt_alice_completed', { reasonCode: 'patient_unwell' }), 409],
      [cancel(bilal, 'apt_alice_30h', { reasonCode: 'patient_unwell' }), 404],
      [cancel(alice, 'apt_x%2F..', { reasonCode: 'patient_unwell' }), 400],
      [new Request(`${TEST_PORTAL_ORIGIN}/api/appointments/apt_alice_30h/cancel`, { method: 'PUT', headers: { authorization: `Bearer ${alice}` } }), 405],
      [new Request(`${TEST_PORTAL_ORIGIN}/api/nowhere`), 404],
    ];
    for (const [request, status] of refusals) expect((await handler(request)).status, request.url).toBe(status);

    // Heim misbehaving, with its own error text naming the key (as a careless upstream might).
    const leakyBody = JSON.stringify({ error: { type: 'internal', message: `key ${CANARY_KEY} at Object.<anonymous> (/srv/heim.js:1:1)` } });
    simulator.setFault({ route: 'cancel', status: 500, body: leakyBody, times: 1 });
    expect([502, 202]).toContain((await handler(cancel(alice, 'apt_alice_30h', { reasonCode: 'patient_unwell' }))).status);
    simulator.setFault({ route: 'cancel', status: 502, body: `<html>${CANARY_KEY}</html>`, contentType: 'text/html', commit: true, times: 1 });
    expect((await handler(cancel(alice, 'apt_alice_noeta', { reasonCode: 'patient_unwell' }))).status).toBe(200);
    simulator.setFault({ route: 'cancel', status: 200, body: `not json ${CANARY_KEY}`, commit: true, times: 1 });
    expect([200, 202]).toContain((await handler(cancel(alice, 'apt_alice_20m', { reasonCode: 'patient_unwell', acknowledgeCharge: true }))).status);
    simulator.setFault({ route: 'cancel', latencyMs: 400, times: 1 });
    expect((await handler(cancel(alice, 'apt_alice_30m_ago', { reasonCode: 'practitioner_late', acknowledgeCharge: true }))).status).toBe(202);
    simulator.setFault({ route: 'appointment', status: 503, body: leakyBody, times: 1 });
    expect((await handler(read(alice, '/appointments/apt_bilal_3d'))).status).toBe(502);
    simulator.setFault({ route: 'appointment', status: 401, body: leakyBody, times: 1 });
    expect((await handler(read(alice, '/appointments/apt_alice_3d'))).status).toBe(502);

    // The rate limit.
    const limited = consoleProxy();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await limited.handler(cancel(alice, 'apt_alice_30h', '{}'))).status);
    expect(statuses).toContain(429);

    // Webhooks: valid, wrongly signed, and unparsable.
    const event = JSON.stringify({ type: 'appointment.cancelled', timestamp: new Date().toISOString(), data: { appointmentId: 'apt_alice_3d' } });
    const hook = (secret: string, body: string) =>
      new Request(`${TEST_PORTAL_ORIGIN}/api/webhooks/heim`, { method: 'POST', headers: signWebhook({ secret, id: `msg_${hex(8)}`, timestamp: new Date(), body }), body });
    expect((await handler(hook(CANARY_WEBHOOK_SECRET, event))).status).toBe(204);
    expect((await handler(hook(`whsec_${randomBytes(32).toString('base64')}`, event))).status).toBeGreaterThanOrEqual(400);
    expect((await handler(hook(CANARY_WEBHOOK_SECRET, `{"type":"${CANARY_KEY}"`))).status).toBe(400);

    expect(consoleLines.length).toBeGreaterThan(0);
  });

  it('Heim refusing the key, Heim unreachable, and a portal authenticate() that throws', async () => {
    // The simulator accepts another key: every call answers 401.
    const wrongKey = consoleProxy(createSimulator({ apiKeys: ['test_some_other_key_000000'] }));
    const alice = await session();
    expect((await wrongKey.handler(cancel(alice, 'apt_alice_3d', { reasonCode: 'patient_unwell' }))).status).toBe(502);
    expect((await wrongKey.handler(read(alice, '/appointments/apt_alice_3d'))).status).toBe(502);

    const unreachable = createCancelHandler({
      heim: {
        baseUrl: BASE,
        apiKey: CANARY_KEY,
        fetch: async () => {
          throw Object.assign(new TypeError(`fetch failed for ${CANARY_KEY}`), { cause: { code: 'ECONNREFUSED', message: CANARY_KEY } });
        },
      },
      sessionSecret: CANARY_SESSION_SECRET,
      allowedOrigins: [TEST_PORTAL_ORIGIN],
    });
    expect((await record(await unreachable(cancel(alice, 'apt_alice_3d', { reasonCode: 'patient_unwell' })))).status).toBe(502);

    const throwing = createCancelHandler({
      heim: { baseUrl: BASE, apiKey: CANARY_KEY, fetch: async () => new Response('{}') },
      authenticate: () => {
        throw new Error(`session store down; key=${CANARY_KEY} secret=${CANARY_SESSION_SECRET}`);
      },
      allowedOrigins: [TEST_PORTAL_ORIGIN],
    });
    const crashed = await record(await throwing(cancel(alice, 'apt_alice_3d', { reasonCode: 'patient_unwell' })));
    expect(crashed.status).toBe(500);
    expect((await crashed.json()).error.code).toBe('internal_error');
  });

  it('over real HTTP, including a client that disconnects mid-request', async () => {
    const heim = await startSimulator({ apiKeys: [CANARY_KEY], latencyMs: 50 });
    const handler = createCancelHandler({
      heim: { baseUrl: heim.baseUrl, apiKey: CANARY_KEY, timeoutMs: 2000 },
      sessionSecret: CANARY_SESSION_SECRET,
    });
    const server = await startProxyServer(handler, { host: '127.0.0.1', port: 0 });
    try {
      const alice = await session();
      const post = (body: string, signal?: AbortSignal) =>
        fetch(`${server.origin}/api/appointments/apt_alice_3d/cancel`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-requested-with': 'x',
            origin: server.origin,
            'idempotency-key': freshIdempotencyKey(),
            authorization: `Bearer ${alice}`,
          },
          body,
          ...(signal ? { signal } : {}),
        });
      await record(await post('{"reasonCode":'));
      const aborted = new AbortController();
      const pending = post(JSON.stringify({ reasonCode: 'patient_unwell', note: CANARY_NOTE }), aborted.signal).catch(() => null);
      setTimeout(() => aborted.abort(), 10);
      await pending;
      await new Promise((resolve) => setTimeout(resolve, 150));
      await record(await fetch(`${server.origin}/api/appointments/apt_alice_3d/cancellation`, { headers: { authorization: `Bearer ${alice}` } }));
      const ledger = heim.simulator.ledger;
      // The key did go to Heim, and only there.
      expect(ledger.length).toBeGreaterThan(0);
      expect(ledger.every((entry) => entry.headers.authorization === CANARY_KEY)).toBe(true);
    } finally {
      await server.close();
      await heim.close();
    }
  });

  it('the in-memory backend’s structured logs, after the corpus-style flow', async () => {
    const backend = await createSecurityBackend({ proxy: { rateLimit: { max: 3, windowMs: 60_000 } } });
    await backend.fetch('/api/appointments/apt_alice_3d');
    backend.simulator.setFault({ route: 'cancel', status: 500, body: `{"error":"${TEST_HEIM_KEY}"}`, times: 1 });
    for (let i = 0; i < 5; i += 1) {
      await record(await backend.fetch('/api/appointments/apt_alice_3d/cancel', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'x', origin: TEST_PORTAL_ORIGIN, 'idempotency-key': freshIdempotencyKey() },
        body: JSON.stringify({ reasonCode: 'patient_unwell', note: CANARY_NOTE }),
      }));
    }
    const logged = JSON.stringify(backend.logs);
    expect(backend.logs.length).toBeGreaterThan(0);
    for (const secret of [...ALL_SECRETS, CANARY_NOTE]) expect(logged.includes(secret), `logs hold ${secret.slice(0, 12)}…`).toBe(false);
    await backend.close();
  });

  afterAll(() => {
    // Checked once everything above has run (afterAll hooks run in reverse: before the spies go).
    expect(responses.length).toBeGreaterThan(30);
    for (const text of responses) {
      for (const secret of [...ALL_SECRETS, CANARY_NOTE]) expect(text.includes(secret), `a response holds ${secret.slice(0, 12)}…: ${text.slice(0, 200)}`).toBe(false);
      expect(text).not.toMatch(/\n\s+at |simulated_fault|\/srv\/heim\.js/);
    }
    const consoleText = consoleLines.join('\n');
    for (const secret of [...ALL_SECRETS, CANARY_NOTE]) expect(consoleText.includes(secret), `the console holds ${secret.slice(0, 12)}…`).toBe(false);
  });
});
