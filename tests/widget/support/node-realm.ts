/**
 * Vitest's jsdom environment exposes jsdom's `Uint8Array` as the global, while Node's
 * `TextEncoder`, `crypto` and `Buffer` make Node's. The in-process proxy signs sessions with jose,
 * whose `key instanceof Uint8Array` check then fails across the two realms. The widget never
 * touches typed arrays of its own, so pointing the global at Node's constructor (as Vitest already
 * does for its node environment) only lets the real server code run unchanged inside jsdom.
 */
const NodeUint8Array = Object.getPrototypeOf(new TextEncoder().encode('')).constructor as Uint8ArrayConstructor;
if (globalThis.Uint8Array !== NodeUint8Array) {
  Object.defineProperty(globalThis, 'Uint8Array', { value: NodeUint8Array, writable: true, configurable: true });
}
