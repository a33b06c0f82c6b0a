import { isIdempotencyKey } from '../core/index';

/**
 * A fresh Idempotency-Key (the proxy accepts 8–128 of `[A-Za-z0-9_-]`). `randomUUID` needs a
 * secure context, so plain-HTTP intranet portals fall back to `getRandomValues`, which does not.
 */
export function createIdempotencyKey(): string {
  const cryptoApi = globalThis.crypto;
  let key: string;
  if (typeof cryptoApi?.randomUUID === 'function') {
    key = cryptoApi.randomUUID();
  } else {
    const bytes = new Uint8Array(16);
    cryptoApi.getRandomValues(bytes);
    key = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  }
  if (!isIdempotencyKey(key)) throw new Error('Could not create a valid Idempotency-Key.');
  return key;
}
