/**
 * NOT_FOUND: no such row. CONFLICT: a unique key is taken (a sweep name), a row is still used
 * (a dataset version runs trained on) or a migration is in a state only a person can resolve.
 * UNAVAILABLE: the database cannot be reached right now (refused, reset, timed out, shutting
 * down); callers may retry. INVALID: the caller passed something the store cannot use (a
 * cursor from another sort). TOO_LARGE: an upload went past its size limit (nothing of it is kept).
 */
export type StoreErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'UNAVAILABLE' | 'INVALID' | 'TOO_LARGE';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Node socket errors and PostgreSQL SQLSTATEs that mean "the server is not there right now":
// class 08 (connection exception), 57P01-57P03 (shutdown, crash recovery, starting up),
// 53300 (too many connections).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH']);
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;
// Prisma's codes for the same: P1001 can't reach, P1002 timed out, P1008 operation timed out,
// P1017 server closed the connection, P2024 no connection from the pool in time.
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// Driver adapter error kinds (Prisma 7 wraps driver errors in these).
const ADAPTER_UNAVAILABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionAlreadyClosed']);
const CONNECTION_MESSAGES = /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect|Can't reach database/i;

/** Whether an error from Prisma, pg or PGlite means the database is unreachable (worth a retry). */
export function isUnavailableError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // Walk the cause chain: Prisma wraps adapter errors, which wrap the driver's.
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; name?: unknown; errors?: unknown };
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || UNAVAILABLE_SQLSTATES.test(e.code) || PRISMA_UNAVAILABLE.has(e.code))) return true;
    if (typeof e.kind === 'string' && ADAPTER_UNAVAILABLE.has(e.kind)) return true;
    if (e.name === 'PrismaClientInitializationError') return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    // AggregateError from net.connect when every address of a host refuses.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isUnavailableError(inner))) return true;
    // Prisma 7 puts the driver's error of a raw query or a transaction under
    // meta.driverAdapterError.cause (e.g. SQLSTATE 57P01 when the server shuts down mid-query).
    const driver = (current as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta?.driverAdapterError?.cause;
    if (driver !== undefined && isUnavailableError(driver)) return true;
    current = e.cause;
  }
  return false;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { kind?: unknown; originalCode?: unknown } } | null;
  return e?.code === 'P2002' || e?.code === '23505' || e?.cause?.kind === 'UniqueConstraintViolation';
}

/** Maps what the database layer threw to a StoreError where callers can act on it; other errors pass through. */
export function toStoreError(error: unknown, context: string): unknown {
  if (error instanceof StoreError) return error;
  if (isUnavailableError(error)) {
    return new StoreError('UNAVAILABLE', `${context}: the database is unreachable (${firstLine(error)})`, { cause: error });
  }
  if (isUniqueViolation(error)) return new StoreError('CONFLICT', `${context}: already exists`, { cause: error });
  return error;
}

/** Runs one store operation and maps its errors (see toStoreError). */
export async function storeCall<T>(context: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toStoreError(error, context);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split('\n').filter(Boolean).pop()?.slice(0, 300) ?? 'unknown error';
}
