/**
 * The in-memory backend (real proxy + real Heim simulator, src/demo/in-memory-backend.ts) with
 * the test suite's key, secret and portal origin. Storybook's MSW handlers use the same backend.
 */
import {
  IN_MEMORY_HEIM_BASE_URL,
  createInMemoryBackend,
  type InMemoryBackend,
  type InMemoryBackendOptions,
} from '../../src/demo/in-memory-backend';

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef';
export const TEST_HEIM_KEY = 'test_canary_key_5f1c9a2b7e4d';
export const TEST_PORTAL_ORIGIN = 'http://portal.test';
export const TEST_HEIM_BASE_URL = IN_MEMORY_HEIM_BASE_URL;

export type TestBackendOptions = Omit<InMemoryBackendOptions, 'heimApiKey' | 'sessionSecret' | 'portalOrigin'>;
export type TestBackend = InMemoryBackend;

export function createTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  return createInMemoryBackend({
    heimApiKey: TEST_HEIM_KEY,
    sessionSecret: TEST_SESSION_SECRET,
    portalOrigin: TEST_PORTAL_ORIGIN,
    ...options,
  });
}
