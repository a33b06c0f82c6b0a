/**
 * The bin's configuration (loadConfigFromEnv): every bad variable of one start-up in one line, and
 * an ALLOWED_ORIGINS entry copied with its trailing slash or a path says which and what to remove.
 * Before, only the first bad variable was named (a deploy took a round per variable), and
 * "https://portal.example.org/" was refused as "must be an origin such as https://portal.example.org".
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFromEnv } from '../../src/server';

const GOOD = {
  HEIM_API_URL: 'https://api.heim.health/v1',
  HEIM_API_KEY: 'test_config_key_1',
  PORTAL_SESSION_SECRET: 'config-session-secret-0123456789abcdef',
};

function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfigFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfigFromEnv', () => {
  it('names every bad or missing variable in one line, in the table order, never a secret value', () => {
    const error = refusal({ HEIM_API_KEY: 'sk_live_wrongprefix', PORT: 'eighty', CHARGE_WINDOW_HOURS: '0' });
    expect(error.message).toBe(
      [
        'HEIM_API_URL is required',
        'HEIM_API_KEY must start with test_ or live_ followed by letters, digits, _ or -',
        'PORTAL_SESSION_SECRET is required',
        'PORT must be a whole number',
        'CHARGE_WINDOW_HOURS must be more than 0',
      ].join('; '),
    );
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('sk_live_wrongprefix');
    expect(error.variable).toBe('HEIM_API_URL');
    expect(error.problems.map((problem) => problem.variable)).toEqual(['HEIM_API_URL', 'HEIM_API_KEY', 'PORTAL_SESSION_SECRET', 'PORT', 'CHARGE_WINDOW_HOURS']);
  });

  it.each([
    ['a trailing slash', 'https://portal.example.org/', 'ALLOWED_ORIGINS entry "https://portal.example.org/" must be an origin such as https://portal.example.org: remove the trailing slash'],
    ['a path', 'https://portal.example.org,https://portal.example.org/patients', 'ALLOWED_ORIGINS entry "https://portal.example.org/patients" must be an origin such as https://portal.example.org: scheme, host and port only (remove the path, query or fragment)'],
    ['no scheme', 'portal.example.org', 'ALLOWED_ORIGINS entry "portal.example.org" must be an origin such as https://portal.example.org'],
  ])('says what is wrong with an ALLOWED_ORIGINS entry with %s', (_name, value, expected) => {
    expect(refusal({ ...GOOD, ALLOWED_ORIGINS: value }).message).toBe(expected);
  });

  it('accepts the same origins written without the slash', () => {
    const env = { ...GOOD, ALLOWED_ORIGINS: 'https://portal.example.org, http://localhost:5173' };
    expect(loadConfigFromEnv(env).options.allowedOrigins).toEqual(['https://portal.example.org', 'http://localhost:5173']);
    expect(refusal({ ...env, ALLOWED_ORIGINS: 'https://portal.example.org, http://localhost:5173/' }).message).toMatch(/"http:\/\/localhost:5173\/".*remove the trailing slash$/);
  });
});
