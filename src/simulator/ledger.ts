/**
 * The ledger: every `/v1` request the simulator answered, as it arrived. Tests assert on it to
 * prove what the proxy sent upstream (and what it never sent), so it keeps the raw body and every
 * header rather than a parsed summary.
 */

export interface LedgerEntry {
  /**
   * Position in arrival order, starting at 1. Never reused for the simulator's lifetime, even
   * across `clearLedger()`/`reset()`, so a request still in flight can never collide with a new one.
   */
  seq: number;
  /** When the request arrived, by the simulator's clock (ISO, UTC, milliseconds). */
  receivedAt: string;
  method: string;
  /** Pathname plus search, e.g. `/v1/appointments?patient.id=p_demo_alice`. */
  path: string;
  /** Every request header, names lower-cased. */
  headers: Record<string, string>;
  /** The raw body text, `''` if none. */
  body: string;
  /** The status the simulator answered. */
  status: number;
}

export class Ledger {
  #entries: LedgerEntry[] = [];
  #lastSeq = 0;

  /** Reserve the next sequence number when a request arrives. */
  nextSeq(): number {
    this.#lastSeq += 1;
    return this.#lastSeq;
  }

  /**
   * Entries are recorded once answered (their status is known only then); a slow request is
   * still placed by arrival, so the ledger always reads in arrival order.
   */
  record(entry: LedgerEntry): void {
    const frozen = Object.freeze({ ...entry, headers: Object.freeze({ ...entry.headers }) });
    // Searched from the end: an entry almost always belongs there, and a scan from the start made
    // every request cost O(ledger length), slowing a long benchmark run as it went.
    let at = this.#entries.length;
    while (at > 0 && this.#entries[at - 1]!.seq > entry.seq) at -= 1;
    this.#entries.splice(at, 0, frozen);
  }

  /** A snapshot: later requests do not appear in an array already handed out. */
  entries(): readonly LedgerEntry[] {
    return Object.freeze([...this.#entries]);
  }

  clear(): void {
    this.#entries = [];
  }
}

export function headersToRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name.toLowerCase()] = value;
  });
  return record;
}
