import type { Prisma } from '../store/prisma-client.js';

/**
 * Holds a PostgreSQL advisory lock on a dataset name until the transaction ends, so that two
 * uploads (or an upload and a delete) of one name take version numbers one after the other.
 * Keyed on the schema too (test schemas do not wait for each other); on PGlite (one
 * connection, one transaction at a time) it is granted at once.
 */
export async function lockDatasetName(tx: Prisma.TransactionClient, name: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('trainyard.dataset:' || current_schema() || ':' || ${name}, 0))`;
}
