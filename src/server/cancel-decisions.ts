/**
 * Which appointments have a cancel being decided right now (under their lock), and which status
 * reads ran while one was. A read that overlapped a decision may have seen Heim before the cancel
 * landed, so on its own it may not answer "not cancelled" (cancellation-service.ts reads Heim again
 * under the lock instead): a portal's badge or another tab would tell the patient their cancelled
 * visit was not cancelled.
 */

/** One status read under way: `raced` once a cancel for its appointment was decided meanwhile. */
export interface StatusRead {
  readonly raced: boolean;
}

export interface CancelDecisions {
  /** Whether a cancel for the appointment is being decided now. */
  deciding(appointmentId: string): boolean;
  /** Runs `decide` as the appointment's decision, marking every status read under way as raced. */
  decide<T>(appointmentId: string, decide: () => Promise<T>): Promise<T>;
  /** Runs `read` as a status read of the appointment, told whether a decision overlapped it. */
  read<T>(appointmentId: string, read: (status: StatusRead) => Promise<T>): Promise<T>;
}

export function createCancelDecisions(): CancelDecisions {
  /** At most one per appointment: decisions run under the appointment's lock. */
  const deciding = new Set<string>();
  const reads = new Map<string, Set<{ raced: boolean }>>();

  return {
    deciding: (appointmentId) => deciding.has(appointmentId),

    async decide(appointmentId, decide) {
      deciding.add(appointmentId);
      for (const read of reads.get(appointmentId) ?? []) read.raced = true;
      try {
        return await decide();
      } finally {
        deciding.delete(appointmentId);
      }
    },

    async read(appointmentId, read) {
      // Begun during a decision: raced from the start.
      const status = { raced: deciding.has(appointmentId) };
      const underWay = reads.get(appointmentId) ?? new Set();
      reads.set(appointmentId, underWay.add(status));
      try {
        return await read(status);
      } finally {
        underWay.delete(status);
        if (underWay.size === 0 && reads.get(appointmentId) === underWay) reads.delete(appointmentId);
      }
    },
  };
}
