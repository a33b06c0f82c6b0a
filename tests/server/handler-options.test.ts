/**
 * Mistakes in the handler's options are refused when the handler is made, with one line naming
 * the option and the fix, never its value. Before, a typo (`allowedOrigin`) ran with the default
 * and every cross-origin POST failed with csrf_rejected; a string given as `authenticate` failed
 * only on the first patient's request. The options that change what a patient is told
 * (chargeWindowHours, practitionerLateAfterMinutes) are checked by what the handler answers and
 * what reaches Heim.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NOTE_MAX_LENGTH_LIMIT } from '../../src/core/note';
import { createCancelHandler, type CancelHandlerOptions } from '../../src/server';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, TEST_SESSION_SECRET, type TestBackend, type TestBackendOptions } from '../support/backend';
import { FIXED_NOW, cancelRequest, json, readAppointment, startAsAlice } from './helpers';

const GOOD: CancelHandlerOptions = {
  heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY },
  sessionSecret: TEST_SESSION_SECRET,
};

/** What a JavaScript caller (or a spread of an untyped config object) can pass. */
function createWith(options: unknown): () => unknown {
  return () => createCancelHandler(options as CancelHandlerOptions);
}

function thrownBy(create: () => unknown): string {
  try {
    create();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected createCancelHandler to throw');
}

describe('unknown handler options', () => {
  it.each([
    ['a misspelt top-level option', { ...GOOD, allowedOrigin: ['https://portal.example.org'] }, 'allowedOrigin: unknown option (did you mean allowedOrigins?)'],
    ['a top-level option in the wrong case', { ...GOOD, basepath: '/heim' }, 'basepath: unknown option (did you mean basePath?)'],
    ['a heim option given one level too high', { ...GOOD, timeoutMs: 3000 }, 'timeoutMs: unknown option (did you mean heim.timeoutMs?)'],
    ['a misspelt heim option', { ...GOOD, heim: { ...GOOD.heim, timeout: 3000 } }, 'heim.timeout: unknown option (did you mean heim.timeoutMs?)'],
    ['a misspelt rateLimit option', { ...GOOD, rateLimit: { max: 5, window: 60_000 } }, 'rateLimit.window: unknown option (did you mean rateLimit.windowMs?)'],
    ['an option with no near name', { ...GOOD, cors: true }, 'cors: unknown option'],
  ])('refuses %s, naming it and its likely intent', (_name, options, expected) => {
    expect(thrownBy(createWith(options))).toBe(`Invalid cancel handler option ${expected}`);
  });

  it('reports a misspelt required option as the typo, not as the option it left missing', () => {
    const { baseUrl, ...heimWithoutBaseUrl } = GOOD.heim;
    const message = thrownBy(createWith({ ...GOOD, heim: { ...heimWithoutBaseUrl, baseURL: baseUrl } }));
    expect(message).toBe('Invalid cancel handler option heim.baseURL: unknown option (did you mean heim.baseUrl?)');
  });

  it('accepts every documented option together, and serves with them', async () => {
    const logged: string[] = [];
    const handler = createCancelHandler({
      heim: { baseUrl: TEST_HEIM_BASE_URL, apiKey: TEST_HEIM_KEY, timeoutMs: 3000, fetch: (input, init) => fetch(input, init) },
      sessionSecret: TEST_SESSION_SECRET,
      sessionMaxLifetimeSeconds: 43_200,
      sessionAudience: 'heim-cancel',
      authenticate: () => null,
      webhookSecret: `whsec_${Buffer.from('options-test-webhook-secret-32b!').toString('base64')}`,
      allowedOrigins: ['https://portal.example.org'],
      chargeWindowHours: 12,
      reasonCodes: ['patient_unwell'],
      practitionerLateAfterMinutes: 20,
      noteMaxLength: 300,
      timeZone: 'Europe/Paris',
      basePath: '/heim',
      rateLimit: { max: 5, windowMs: 30_000 },
      logger: (entry) => logged.push(entry.event),
      now: () => Date.now(),
    });
    // Served under its basePath, by its own authenticate (which signs nobody in), told to its logger.
    const response = await handler(new Request('https://portal.example.org/heim/appointments/apt_alice_3d'));
    expect(response.status).toBe(401);
    expect((await json(response)).error.code).toBe('unauthenticated');
    expect(logged).toContain('proxy.refused');
  });
});

describe('function options', () => {
  it.each([
    ['authenticate', { ...GOOD, authenticate: 'sessionFromCookie' }, 'authenticate: must be a function (request) => ({ patientId }) or null'],
    ['authenticate', { ...GOOD, authenticate: { patientId: 'p_demo_alice' } }, 'authenticate: must be a function'],
    ['logger', { ...GOOD, logger: console }, 'logger: must be a function (entry) => void'],
    ['now', { ...GOOD, now: 1_764_000_000_000 }, 'now: must be a function () => epoch milliseconds'],
    ['heim.fetch', { ...GOOD, heim: { ...GOOD.heim, fetch: 'undici' } }, 'heim.fetch: must be a function like the global fetch'],
  ])('refuses a %s that is not a function, at creation', (_name, options, expected) => {
    expect(thrownBy(createWith(options))).toContain(`Invalid cancel handler option ${expected}`);
  });

  it('never echoes the value it refused', () => {
    const message = thrownBy(createWith({ ...GOOD, authenticate: 'postgres://portal:hunter2@db/sessions' }));
    expect(message).not.toContain('hunter2');
  });
});

describe('missing Heim options', () => {
  it.each([
    ['heim', { sessionSecret: TEST_SESSION_SECRET }, "heim: required: { baseUrl: 'https://api.heim.health/v1', apiKey: 'live_…' }"],
    ['heim.baseUrl', { ...GOOD, heim: { apiKey: TEST_HEIM_KEY } }, 'heim.baseUrl: required, e.g. https://api.heim.health/v1'],
    // An unset environment variable read into the options.
    ['heim.baseUrl', { ...GOOD, heim: { baseUrl: undefined, apiKey: TEST_HEIM_KEY } }, 'heim.baseUrl: required, e.g. https://api.heim.health/v1'],
    ['heim.apiKey', { ...GOOD, heim: { baseUrl: TEST_HEIM_BASE_URL } }, "heim.apiKey: required: the organisation's Heim key, test_… or live_…"],
  ])('says %s is required, not that it is malformed', (_name, options, expected) => {
    expect(thrownBy(createWith(options))).toBe(`Invalid cancel handler option ${expected}`);
  });

  it('still says a present but wrong base URL must be a URL', () => {
    expect(thrownBy(createWith({ ...GOOD, heim: { ...GOOD.heim, baseUrl: 'api.heim.health/v1' } }))).toBe(
      'Invalid cancel handler option heim.baseUrl: must be a URL',
    );
  });

  it('says what the options must be when there are none', () => {
    expect(thrownBy(createWith(undefined))).toBe('Invalid cancel handler option options: must be an object { heim, authenticate or sessionSecret, … }');
  });
});

describe('noteMaxLength', () => {
  // The note Heim receives holds our sentences and the patient's words quoted, where " and \ are
  // escaped and an emoji is two UTF-16 units: past this cap a long note would be refused by Heim on
  // every try (502 to the patient), so the mistake is refused when the handler is made.
  it('accepts the largest limit whose every note fits Heim', () => {
    expect(typeof createCancelHandler({ ...GOOD, noteMaxLength: NOTE_MAX_LENGTH_LIMIT })).toBe('function');
  });

  it.each([NOTE_MAX_LENGTH_LIMIT + 1, 2000, 5000])('refuses %i at creation, saying why and what is allowed', (noteMaxLength) => {
    expect(thrownBy(createWith({ ...GOOD, noteMaxLength }))).toBe(
      `Invalid cancel handler option noteMaxLength: must be at most ${NOTE_MAX_LENGTH_LIMIT}: the note sent to Heim holds the reason and the patient's words quoted (where " and emoji count twice) within Heim's 2000 characters`,
    );
  });
});

describe('what the charge and reason options change', () => {
  const HOUR = 3_600_000;
  const MINUTE = 60_000;
  let backend: TestBackend;
  let send: (request: Request) => Promise<Response>;
  let nowMs = FIXED_NOW;
  afterEach(() => backend.close());

  async function start(proxy: NonNullable<TestBackendOptions['proxy']>): Promise<void> {
    nowMs = FIXED_NOW;
    ({ backend, send } = await startAsAlice({ now: () => nowMs, proxy }));
  }
  const posts = () => backend.simulator.ledger.filter((entry) => entry.method === 'POST');

  it('chargeWindowHours 48: a visit 30 h away is chargeable, and its cancel needs the acknowledgement, with nothing sent without it', async () => {
    await start({ chargeWindowHours: 48 });
    const eta = FIXED_NOW + 30 * HOUR; // apt_alice_30h: free under the default 24 h window
    const charge = { state: 'chargeable', windowHours: 48, chargeableFrom: new Date(eta - 48 * HOUR).toISOString() };
    expect((await readAppointment(send, 'apt_alice_30h')).charge).toEqual(charge);

    const refused = await send(cancelRequest('apt_alice_30h'));
    expect(refused.status).toBe(409);
    expect((await json(refused)).error).toMatchObject({ code: 'charge_acknowledgement_required', charge });
    expect(posts()).toHaveLength(0);

    const accepted = await send(cancelRequest('apt_alice_30h', { body: { reasonCode: 'patient_unwell', acknowledgeCharge: true } }));
    expect(accepted.status).toBe(200);
    expect((await json(accepted)).charge).toEqual(charge);
    expect(posts()).toHaveLength(1);
  });

  it('practitionerLateAfterMinutes 5: practitioner_late is offered and taken from 5 minutes past the ETA, not before', async () => {
    await start({ practitionerLateAfterMinutes: 5 });
    const eta = FIXED_NOW + 20 * MINUTE; // apt_alice_20m
    const late = { body: { reasonCode: 'practitioner_late', acknowledgeCharge: true } };

    nowMs = eta + 5 * MINUTE - 1;
    expect((await readAppointment(send, 'apt_alice_20m')).reasons).not.toContain('practitioner_late');
    expect((await send(cancelRequest('apt_alice_20m', late))).status).toBe(400);
    expect(posts()).toHaveLength(0);

    nowMs = eta + 5 * MINUTE; // ten minutes before the default of 15 would offer it
    expect((await readAppointment(send, 'apt_alice_20m')).reasons).toContain('practitioner_late');
    const accepted = await send(cancelRequest('apt_alice_20m', late));
    expect(accepted.status).toBe(200);
    expect(JSON.parse(posts()[0]!.body)).toMatchObject({ reasonCode: 'practitioner_late', causingEntity: 'practitioner' });
    expect(posts()).toHaveLength(1);
  });
});
