/**
 * Remembers, per patient and Idempotency-Key, which request a key was first used for and, once it
 * is final, the answer it got. In memory: enough for one proxy process (a later issue may move it
 * to shared storage for several instances).
 *
 * A key is bound to its request only once the proxy has sent Heim the cancel (as Stripe binds a
 * key only once the request began executing): a refusal decided before that (a reason not allowed
 * now, a charge not acknowledged, a visit already cancelled by someone else) changed nothing, so
 * the same key may come back with a corrected body instead of being told it was reused.
 */

export interface StoredAnswer {
  status: number;
  body: unknown;
  /** Set on the copy handed to a retry answered from its key (for the log), never on what is kept. */
  replayed?: true;
}

export interface IdempotencyRecord {
  appointmentId: string;
  fingerprint: string;
  /** The answer in progress, so a concurrent retry joins it instead of running again. */
  inFlight: Promise<StoredAnswer> | null;
  /** Set only for final answers (cancelled, already cancelled, not cancellable). */
  final: StoredAnswer | null;
  /** Heim was sent the cancel for this key: from then on the key stays bound to this request. */
  sent: boolean;
  expiresAt: number;
}

export interface IdempotencyStoreOptions {
  ttlMs?: number;
  maxEntries?: number;
  now: () => number;
}

export class IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  /** Scopes by appointment, so what Heim now holds for a visit can reach the answers kept for it. */
  private readonly byAppointment = new Map<string, Set<string>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: IdempotencyStoreOptions) {
    this.ttlMs = options.ttlMs ?? 24 * 3_600_000;
    this.maxEntries = options.maxEntries ?? 50_000;
  }

  get(scope: string): IdempotencyRecord | undefined {
    const record = this.records.get(scope);
    if (record && record.expiresAt <= this.options.now()) {
      this.remove(scope, record);
      return undefined;
    }
    return record;
  }

  create(scope: string, appointmentId: string, fingerprint: string): IdempotencyRecord {
    if (this.records.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.records.entries().next().value;
      if (oldest !== undefined) this.remove(oldest[0], oldest[1]);
    }
    const record: IdempotencyRecord = {
      appointmentId,
      fingerprint,
      inFlight: null,
      final: null,
      sent: false,
      expiresAt: this.options.now() + this.ttlMs,
    };
    this.records.set(scope, record);
    let scopes = this.byAppointment.get(appointmentId);
    if (!scopes) this.byAppointment.set(appointmentId, (scopes = new Set()));
    scopes.add(scope);
    return record;
  }

  /** Frees the key of a request that ended without sending Heim anything (unless already replaced). */
  release(scope: string, record: IdempotencyRecord): void {
    if (this.records.get(scope) === record) this.remove(scope, record);
  }

  /** The records kept for one appointment (a handful: one per key that reached Heim). */
  forAppointment(appointmentId: string): IdempotencyRecord[] {
    const scopes = this.byAppointment.get(appointmentId);
    if (!scopes) return [];
    return [...scopes].flatMap((scope) => this.get(scope) ?? []);
  }

  private remove(scope: string, record: IdempotencyRecord): void {
    this.records.delete(scope);
    const scopes = this.byAppointment.get(record.appointmentId);
    scopes?.delete(scope);
    if (scopes?.size === 0) this.byAppointment.delete(record.appointmentId);
  }
}

/** A stable description of what was asked, independent of key order and absent defaults. */
export function requestFingerprint(
  appointmentId: string,
  body: { reasonCode: string; note?: string | undefined; acknowledgeCharge?: boolean | undefined },
): string {
  return JSON.stringify([appointmentId, body.reasonCode, body.note ?? '', body.acknowledgeCharge === true]);
}
