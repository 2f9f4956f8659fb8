/**
 * Tells "the database cannot be reached or is overloaded right now" (worth a 503 and a retry)
 * apart from every other database error (a bug, worth a 500). Reads node socket codes,
 * PostgreSQL SQLSTATEs and the messages pg's pool uses when a connection dies.
 */

export type DatabaseTrouble = 'unreachable' | 'busy';

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const UNREACHABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** query_canceled (statement timeout), serialization_failure, deadlock_detected, lock timeout. */
const BUSY_SQLSTATES = new Set(['57014', '40001', '40P01', '55P03']);

const UNREACHABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection error/i,
  /Connection is not established/i,
  /the database system is (starting up|shutting down)/i,
];

function causes(err: unknown): unknown[] {
  const seen: unknown[] = [];
  let current: unknown = err;
  while (current !== undefined && current !== null && seen.length < 5 && !seen.includes(current)) {
    seen.push(current);
    const next = current as { driverError?: unknown; cause?: unknown };
    current = next.driverError ?? next.cause;
  }
  return seen;
}

export function databaseTrouble(err: unknown): DatabaseTrouble | undefined {
  for (const e of causes(err)) {
    if (typeof e !== 'object' || e === null) continue;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || UNREACHABLE_SQLSTATES.has(code) || code.startsWith('08')) {
        return 'unreachable';
      }
      if (BUSY_SQLSTATES.has(code)) return 'busy';
    }
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((re) => re.test(message))) {
      return 'unreachable';
    }
  }
  return undefined;
}
