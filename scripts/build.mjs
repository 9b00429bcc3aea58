// Builds every workspace package's TypeScript to JavaScript (npm's postinstall, `npm run build`):
// <package>/src/**/*.ts, tests left out, to <package>/dist/ with the same layout, so that paths
// a module computes from import.meta.url (../web/dist/, the Prisma migrations, fixtures) stay
// right. Node loads dist through each package's `exports` "default" condition; tsc, vitest and
// `node --conditions=development` keep reading src (see ARCHITECTURE.md, "Build").
//
// A per-file transpile, no bundling and no type check (`npm run typecheck` does that): esbuild,
// the same transform tsx applies on the fly, so the built code is what ran from the sources.
// The tsconfig options it needs (isolatedModules, verbatimModuleSyntax) are already set, and
// esbuild reads each package's tsconfig.json. The whole workspace takes about a second.
// esbuild is reached through tsx (a dependency of apps/cli), which always brings it.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsxPackage = createRequire(join(root, 'apps', 'cli', 'package.json')).resolve('tsx/package.json');
const esbuild = createRequire(tsxPackage)('esbuild');

/** Workspace folders (root package.json `workspaces`, `dir/*` or `dir`) that have TypeScript sources in src/. */
function packagesWithSources() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return workspaces
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [join(root, pattern)];
      const parent = join(root, pattern.slice(0, -2));
      return readdirSync(parent, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(parent, entry.name));
    })
    .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src')));
}

/** Modules to build: every .ts under src except tests (*.spec.ts, *.int.spec.ts) and declarations. */
function sourcesOf(src) {
  return readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .filter((entry) => !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

const started = performance.now();
let modules = 0;
for (const dir of packagesWithSources()) {
  const src = join(dir, 'src');
  const dist = join(dir, 'dist');
  const entryPoints = sourcesOf(src);
  // From scratch: a module deleted from src must not linger in dist.
  rmSync(dist, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: src,
    outdir: dist,
    absWorkingDir: dir,
    format: 'esm',
    platform: 'node',
    // package.json `engines`: node >= 20.19.
    target: 'node20',
    // Stack traces map back to src with `node --enable-source-maps`; the maps point at the sources.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  modules += entryPoints.length;
}
console.log(`built ${modules} modules to dist/ in ${Math.round(performance.now() - started)} ms`);
console.log(`packages: ${packagesWithSources().map((dir) => relative(root, dir)).join(', ')}`);
