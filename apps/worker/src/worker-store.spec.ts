import { describe, expect, it } from 'vitest';
import { StoreError } from '@trainyard/experiments';
import { isStoreUnavailable } from './worker-store.js';

/** The shape Prisma 7 gives a raw query whose connection the server terminated (seen on PostgreSQL 15). */
function prismaRawError(sqlState: string, message: string): Error {
  return Object.assign(new Error(`Raw query failed. Code: \`${sqlState}\`. Message: \`${message}\``), {
    name: 'PrismaClientKnownRequestError',
    code: 'P2010',
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: sqlState, kind: 'postgres', code: sqlState, message } } },
  });
}

describe('isStoreUnavailable', () => {
  it('waits out a database that is away', () => {
    expect(isStoreUnavailable(new StoreError('UNAVAILABLE', 'down'))).toBe(true);
    expect(isStoreUnavailable(prismaRawError('57P01', 'terminating connection due to administrator command'))).toBe(true);
  });

  it('does not wait for what waiting cannot fix', () => {
    expect(isStoreUnavailable(new StoreError('NOT_FOUND', 'no run'))).toBe(false);
    expect(isStoreUnavailable(prismaRawError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isStoreUnavailable(new Error('boom'))).toBe(false);
  });
});
