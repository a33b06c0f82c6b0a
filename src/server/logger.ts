/**
 * Structured log lines. Callers pass only operational facts (event, appointment id, the patient's
 * Heim id, the request's Idempotency-Key, reason code, statuses, timings): never a note, a name, any
 * other header, a body or a key. `redactSecrets` is a last
 * line of defence for messages that come from elsewhere (error texts).
 */

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  event: string;
  [field: string]: string | number | boolean | null | undefined;
}

export type Logger = (entry: LogEntry) => void;

let sequence = 0;

/**
 * JSON lines, `info` on stdout and the rest on stderr. `seq` counts the process's lines: a
 * collector that keeps the two streams apart, or lines written in the same millisecond, can still
 * be put back in the order they happened (a refusal after its cause).
 */
export const consoleJsonLogger: Logger = (entry) => {
  sequence += 1;
  const line = JSON.stringify({ time: new Date().toISOString(), seq: sequence, ...entry });
  if (entry.level === 'info') console.log(line);
  else console.error(line);
};

export const silentLogger: Logger = () => undefined;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('[redacted]');
  return out;
}

/**
 * Wraps a logger so that no field can carry one of the given secrets, whatever a caller passes,
 * and so that a failing log sink can never turn a cancellation that happened into an error.
 */
export function redactingLogger(logger: Logger, secrets: readonly string[]): Logger {
  return (entry) => {
    const safe: LogEntry = { level: entry.level, event: entry.event };
    for (const [key, value] of Object.entries(entry)) {
      safe[key] = typeof value === 'string' ? redactSecrets(value, secrets) : value;
    }
    try {
      logger(safe);
    } catch {
      // Logging is best effort; the patient's answer is not.
    }
  };
}
