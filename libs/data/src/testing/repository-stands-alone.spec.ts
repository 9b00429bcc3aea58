import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A clone of this repository must build, test and document itself with nothing beside it.
// The check lives here because the dataset fixtures were the main thing once read from a
// folder next to the clone, and libs/data's tests run in every `npm test`.

/** The first folder above this file whose package.json declares workspaces. */
function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)) return dir;
    if (dirname(dir) === dir) throw new Error(`no workspace package.json above ${fileURLToPath(import.meta.url)}`);
    dir = dirname(dir);
  }
}

/** Folders that are never part of the repository's own content (see .gitignore). */
const NOT_SOURCE = new Set(['.git', 'node_modules', 'dist', '.nx', '.trainyard', 'coverage', 'generated', 'test-artifacts', 'test-results']);

/** Files git tracks, plus new ones not ignored; a walk of the tree when there is no git checkout (a source archive). */
function repositoryFiles(root: string): string[] {
  try {
    const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return listed.split('\0').filter((file) => file !== '' && existsSync(join(root, file)));
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        if (NOT_SOURCE.has(entry.name)) return [];
        const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
        return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
      });
    return walk('');
  }
}

// The sibling folder the repository used to read from, named by its subfolders or as a path
// segment; written so that this file does not match them itself.
const SIBLING_FOLDER = [/\bshared[\\/]+(?:datasets|guide|hooks)\b/g, /['"]\.\.['"]\s*,\s*['"]shared['"]/g, /\/work\/shared\b/g];
const CLIMB = /(?:\.\.\/)+[^\s'"`)\]>,;*]*/g;

/** What in `text` (the content of `file`, relative to `root`) points outside the repository. */
export function reachesOutside(root: string, file: string, text: string): string[] {
  const found: string[] = [];
  for (const pattern of SIBLING_FOLDER) for (const match of text.matchAll(pattern)) found.push(match[0]);
  // A relative path in code (new URL(.., import.meta.url), imports, globs) or a link in
  // Markdown is relative to the file that holds it.
  for (const match of text.matchAll(CLIMB)) {
    const target = relative(root, resolve(root, dirname(file), match[0]));
    if (target === '..' || target.startsWith('../') || target.startsWith('..\\') || isAbsolute(target)) found.push(match[0]);
  }
  return found;
}

describe('the repository stands alone', () => {
  const root = workspaceRoot();

  it('flags a path to a folder beside the clone, and only that', () => {
    // Built from pieces so that this file itself passes the check below.
    const up = '../';
    const sibling = ['sha', 'red'].join('');
    expect(reachesOutside(root, 'ARCHITECTURE.md', `The brief is \`${up}${sibling}/guide/ARCHITECTURE.md\`.`)).toHaveLength(2);
    expect(reachesOutside(root, 'libs/data/README.md', `copies live in \`${sibling}/datasets\``)).toHaveLength(1);
    expect(reachesOutside(root, 'libs/data/src/testing/x.ts', `return join(dir, '..', '${sibling}', 'datasets');`)).toHaveLength(1);
    expect(reachesOutside(root, 'apps/cli/src/commands/x.ts', `new URL('${up.repeat(5)}examples/', import.meta.url)`)).toEqual([`${up.repeat(5)}examples/`]);
    expect(reachesOutside(root, 'apps/cli/src/commands/x.ts', `new URL('${up.repeat(4)}examples/', import.meta.url)`)).toEqual([]);
    expect(reachesOutside(root, 'libs/data/src/testing/x.ts', `import { sha256Hex } from '${up}hash/sha256-hex.js';`)).toEqual([]);
  });

  it('no file of the repository reads, imports or links anything outside it', () => {
    const files = repositoryFiles(root);
    expect(files).toContain('libs/data/fixtures/cal_housing.data');
    const offenders: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(join(root, file));
      if (bytes.includes(0)) continue; // binary
      for (const reach of reachesOutside(root, file, bytes.toString('utf8'))) offenders.push(`${file}: ${reach}`);
    }
    expect(offenders).toEqual([]);
  });
});
