// Generates the Prisma client into libs/experiments/src/store/generated (npm's postinstall;
// the generated code is not committed). Works offline: the Prisma CLI fetches its native
// schema engine before any command, even `generate`, which never runs it. Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download; a value the user
// set (a real engine) is kept.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const prismaPackage = require.resolve('prisma/package.json');
const { bin } = JSON.parse(readFileSync(prismaPackage, 'utf8'));
const cli = join(dirname(prismaPackage), typeof bin === 'string' ? bin : bin.prisma);

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= process.execPath;

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', join(root, 'prisma', 'schema.prisma')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
