/**
 * Remembers, per patient and Idempotency-Key, which request a key was first used for and, once it
 * is final, the answer it got. In memory: enough for one proxy process (a later issue may move it
 * to shared storage for several instances).
 */

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export interface IdempotencyRecord {
  appointmentId: string;
  fingerprint: string;
  /** The answer in progress, so a concurrent retry joins it instead of running again. */
  inFlight: Promise<StoredAnswer> | null;
  /** Set only for final answers (cancelled, already cancelled, not cancellable). */
  final: StoredAnswer | null;
  expiresAt: number;
}

export interface IdempotencyStoreOptions {
  ttlMs?: number;
  maxEntries?: number;
  now: () => number;
}

export class IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: IdempotencyStoreOptions) {
    this.ttlMs = options.ttlMs ?? 24 * 3_600_000;
    this.maxEntries = options.maxEntries ?? 50_000;
  }

  get(scope: string): IdempotencyRecord | undefined {
    const record = this.records.get(scope);
    if (record && record.expiresAt <= this.options.now()) {
      this.records.delete(scope);
      return undefined;
    }
    return record;
  }

  create(scope: string, appointmentId: string, fingerprint: string): IdempotencyRecord {
    if (this.records.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
    const record: IdempotencyRecord = {
      appointmentId,
      fingerprint,
      inFlight: null,
      final: null,
      expiresAt: this.options.now() + this.ttlMs,
    };
    this.records.set(scope, record);
    return record;
  }
}

/** A stable description of what was asked, independent of key order and absent defaults. */
export function requestFingerprint(
  appointmentId: string,
  body: { reasonCode: string; note?: string | undefined; acknowledgeCharge?: boolean | undefined },
): string {
  return JSON.stringify([appointmentId, body.reasonCode, body.note ?? '', body.acknowledgeCharge === true]);
}
