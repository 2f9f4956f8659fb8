/** SQLSTATE classes and socket errors that mean "the database is unreachable for now". */
const TRANSIENT_SQLSTATE = /^(08|53|57P)/;
const TRANSIENT_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const TRANSIENT_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

/** Whether `err` says the database could not be reached (retry later), not that a query was wrong. */
export function isTransientDatabaseError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    if (typeof e !== 'object') return false;
    const { code, message, driverError, cause } = e as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (TRANSIENT_SOCKET.has(code) || TRANSIENT_SQLSTATE.test(code)))
      return true;
    if (typeof message === 'string' && TRANSIENT_MESSAGE.test(message)) return true;
    e = driverError ?? cause;
  }
  return false;
}
