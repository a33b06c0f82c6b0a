/**
 * A fresh Idempotency-Key (the proxy accepts 8–128 of `[A-Za-z0-9_-]`): 128 random bits as 32
 * lowercase hex digits, always within that pattern. `getRandomValues` rather than `randomUUID`,
 * which needs a secure context: one path serves plain-HTTP intranet portals and every other page.
 */
export function createIdempotencyKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
