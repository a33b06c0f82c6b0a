/**
 * The `webhook-id`s the proxy has already handled, so a replayed or re-delivered event has no
 * second effect. Bounded in both time and size, in memory (enough for one proxy process).
 *
 * Why a TTL of twice the tolerance: a signed message is accepted from 5 minutes before its
 * timestamp until 5 minutes after, so the very same signed request can be replayed for up to
 * 10 minutes after its first arrival. After that, verification refuses it on its own. A sender's
 * later retry (new timestamp, same id) that finds the id forgotten is processed again, which is
 * harmless: handling an event only re-reads Heim.
 */

/** `outcome` settles when the first delivery has been handled (true) or has failed (false). */
interface SeenEntry {
  expiresAt: number;
  outcome: Promise<boolean>;
}

export interface WebhookIdStoreOptions {
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

export type WebhookClaim =
  /** First time this id is seen: call `settle(true)` once handled, `settle(false)` to forget it. */
  | { kind: 'fresh'; settle: (handled: boolean) => void }
  /** Seen before (or being handled now): resolves true once that delivery was handled. */
  | { kind: 'duplicate'; handled: Promise<boolean> };

export class WebhookIdStore {
  readonly #entries = new Map<string, SeenEntry>();

  constructor(private readonly options: WebhookIdStoreOptions) {}

  get size(): number {
    return this.#entries.size;
  }

  claim(id: string): WebhookClaim {
    const now = this.options.now();
    this.#prune(now);
    const existing = this.#entries.get(id);
    if (existing) return { kind: 'duplicate', handled: existing.outcome };

    if (this.#entries.size >= this.options.maxEntries) {
      // Maps iterate in insertion order: forget the oldest. At worst that id is handled twice,
      // which only re-reads Heim again.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    let settle!: (handled: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => (settle = resolve));
    const entry: SeenEntry = { expiresAt: now + this.options.ttlMs, outcome };
    this.#entries.set(id, entry);
    return {
      kind: 'fresh',
      settle: (handled) => {
        // A delivery that failed is forgotten, so the sender's retry is handled rather than skipped.
        if (!handled && this.#entries.get(id) === entry) this.#entries.delete(id);
        settle(handled);
      },
    };
  }

  #prune(now: number): void {
    // Entries share one TTL, so insertion order is expiry order: stop at the first live one.
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(id);
    }
  }
}
