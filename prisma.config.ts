import { defineConfig } from 'prisma/config';

// For the Prisma CLI only (generate, and migrate deploy/status where its engine can be
// downloaded). trainyard itself applies prisma/migrations at start (libs/experiments/src/store).
// DATABASE_URL is optional here: `prisma generate` at install needs no database.
const url = process.env['DATABASE_URL'];

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(url ? { datasource: { url } } : {}),
});
