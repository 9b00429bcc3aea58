/*
 * The generated client (prisma generate, run at install into ./generated) re-exported for the
 * rest of the store, so that nothing else imports generated paths.
 */
export { PrismaClient, Prisma } from './generated/client.js';
export type { RunStatus as DbRunStatus, ArtifactKind } from './generated/enums.js';
import type { Prisma, PrismaClient } from './generated/client.js';

/** What a repository runs its queries on: the client, or the client of an open transaction. */
export type DbClient = PrismaClient | Prisma.TransactionClient;
