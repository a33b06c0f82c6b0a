/** The bounded `webhook-id` store behind the webhook route's "no second effect". */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_DEDUPE_MAX_ENTRIES, DEFAULT_WEBHOOK_DEDUPE_TTL_MS } from '../../src/server/webhooks';
import { WEBHOOK_TOLERANCE_MS } from '../../src/server/webhook-assumptions';
import { WebhookIdStore } from '../../src/server/webhook-id-store';

function store(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 1_000_000;
  const ids = new WebhookIdStore({ ttlMs: options.ttlMs ?? 600_000, maxEntries: options.maxEntries ?? 100, now: () => now });
  return { ids, advance: (ms: number) => (now += ms) };
}

function handle(ids: WebhookIdStore, id: string, handled = true): void {
  const claim = ids.claim(id);
  if (claim.kind !== 'fresh') throw new Error(`${id} was not fresh`);
  claim.settle(handled);
}

describe('WebhookIdStore', () => {
  it('remembers ids for at least the whole window in which one signed request verifies', () => {
    // A request is accepted from 5 minutes before its timestamp to 5 minutes after.
    expect(DEFAULT_WEBHOOK_DEDUPE_TTL_MS).toBeGreaterThanOrEqual(2 * WEBHOOK_TOLERANCE_MS);
    expect(DEFAULT_WEBHOOK_DEDUPE_MAX_ENTRIES).toBe(10_000);
  });

  it('reports a handled id as a duplicate until its TTL passes', async () => {
    const { ids, advance } = store({ ttlMs: 1000 });
    handle(ids, 'msg_1');
    const again = ids.claim('msg_1');
    expect(again.kind).toBe('duplicate');
    if (again.kind === 'duplicate') expect(await again.handled).toBe(true);
    advance(999);
    expect(ids.claim('msg_1').kind).toBe('duplicate');
    advance(1);
    expect(ids.claim('msg_1').kind).toBe('fresh');
  });

  it('never holds more than maxEntries, forgetting the oldest first', () => {
    const { ids } = store({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) handle(ids, id);
    expect(ids.size).toBe(3);
    expect(ids.claim('b').kind).toBe('duplicate');
    expect(ids.claim('a').kind).toBe('fresh');
  });

  it('drops expired entries as new ones arrive, so idle ids do not pile up', () => {
    const { ids, advance } = store({ ttlMs: 1000 });
    for (let i = 0; i < 50; i += 1) handle(ids, `old_${i}`);
    advance(1000);
    handle(ids, 'new');
    expect(ids.size).toBe(1);
  });

  it('forgets an id whose handling failed, so the retry is handled', () => {
    const { ids } = store();
    handle(ids, 'msg_failed', false);
    expect(ids.claim('msg_failed').kind).toBe('fresh');
  });

  it('makes a concurrent duplicate wait for the first delivery and share its outcome', async () => {
    const { ids } = store();
    const first = ids.claim('msg_slow');
    const second = ids.claim('msg_slow');
    expect([first.kind, second.kind]).toEqual(['fresh', 'duplicate']);
    let settled = false;
    if (second.kind === 'duplicate') void second.handled.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    if (first.kind === 'fresh') first.settle(false);
    if (second.kind === 'duplicate') expect(await second.handled).toBe(false);
  });
});
