/**
 * Mistakes in the handler's options are refused when the handler is made, with one line naming
 * the option and the fix, never its value. Before, a typo (`allowedOrigin`) ran with the default
 * and every cross-origin POST failed with csrf_rejected; a string given as `authenticate` failed
 * only on the first patient's request.
 */
import { describe, expect, it } from 'vitest';
import { NOTE_MAX_LENGTH_LIMIT } from '../../src/core/note';
import { createCancelHandler, type CancelHandlerOptions } from '../../src/server';
import { TEST_HEIM_BASE_URL, TEST_HEIM_KEY, TEST_SESSION_SECRET } from '../support/backend';

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

  it('accepts every documented option together', () => {
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
      logger: () => undefined,
      now: () => Date.now(),
    });
    expect(typeof handler).toBe('function');
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
