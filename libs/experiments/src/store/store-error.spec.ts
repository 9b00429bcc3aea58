import { describe, expect, it } from 'vitest';
import { isUnavailableError, StoreError, toStoreError } from './store-error.js';

/** The shape Prisma 7 gives a raw query or a transaction whose connection the server ended. */
function prismaRawError(sqlState: string, message: string): Error {
  return Object.assign(new Error(`Raw query failed. Code: \`${sqlState}\`. Message: \`${message}\``), {
    name: 'PrismaClientKnownRequestError',
    code: 'P2010',
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: sqlState, kind: 'postgres', code: sqlState, message } } },
  });
}

describe('toStoreError', () => {
  it('maps a server that went away mid-query (meta.driverAdapterError) to UNAVAILABLE', () => {
    const mapped = toStoreError(prismaRawError('57P01', 'terminating connection due to administrator command'), 'writing an epoch');
    expect(mapped).toBeInstanceOf(StoreError);
    expect((mapped as StoreError).code).toBe('UNAVAILABLE');
    expect(isUnavailableError(prismaRawError('57P03', 'the database system is starting up'))).toBe(true);
  });

  it('leaves errors that waiting cannot fix alone', () => {
    expect(isUnavailableError(prismaRawError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isUnavailableError(new Error('boom'))).toBe(false);
  });
});
